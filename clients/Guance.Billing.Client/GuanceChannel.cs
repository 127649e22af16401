using Grpc.Core;
using Grpc.Net.Client;

namespace Guance.Billing.Client;

/// <summary>
/// Creates the channel to the host: the token as call credentials (over TLS for an https address,
/// over plaintext HTTP/2 for an http one, which is meant for local use), the retry policy of
/// idempotent reads in the service config, and the default deadline.
/// </summary>
public static class GuanceChannel
{
    public static GrpcChannel Create(GuanceBillingClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var plaintext = options.Address.Scheme == Uri.UriSchemeHttp;
        var transport = plaintext ? ChannelCredentials.Insecure : ChannelCredentials.SecureSsl;
        var channelOptions = new GrpcChannelOptions
        {
            Credentials = options.Token is { Length: > 0 } token
                ? ChannelCredentials.Create(transport, BearerToken(token))
                : transport,
            // Call credentials over plaintext are refused unless allowed: the host's local endpoint is h2c.
            UnsafeUseInsecureChannelCallCredentials = plaintext,
            ServiceConfig = options.Retry is { } retry ? IdempotentReads.ServiceConfig(retry) : null,
            MaxReceiveMessageSize = options.MaxReceiveMessageSize,
            HttpHandler = options.HttpHandler,
            DisposeHttpClient = true,
        };
        return GrpcChannel.ForAddress(options.Address, channelOptions);
    }

    /// <summary>Call credentials that send <c>authorization: Bearer &lt;token&gt;</c>.</summary>
    public static CallCredentials BearerToken(string token)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(token);
        var header = "Bearer " + token.Trim();
        return CallCredentials.FromInterceptor((_, metadata) =>
        {
            metadata.Add("authorization", header);
            return Task.CompletedTask;
        });
    }
}
