using Grpc.Core;
using Grpc.Core.Interceptors;
using Guance.Billing.Common;
using Guance.Billing.Identity;

namespace Guance.Billing.Host.Infrastructure;

/// <summary>
/// Reads <c>authorization: Bearer &lt;token&gt;</c> and establishes the caller. A call without a
/// token is anonymous (the services decide whether that is enough); a token that does not work
/// fails the call at once with UNAUTHENTICATED.
/// A unary call reads the token with its own scope's database context, which its service uses next. A
/// streaming call reads it in a scope of its own, disposed at once: the call's scope lives as long as the
/// stream, and a database context held there for every idle agent's stream was most of the memory a held
/// stream cost (docs/performance.md, "Memory of held streams").
/// </summary>
public sealed class AuthenticationInterceptor(IServiceProvider callServices, IServiceScopeFactory scopes) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        await AuthenticateAsync(context, callServices.GetRequiredService<AccessTokenService>());
        return await continuation(request, context);
    }

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        await AuthenticateStreamAsync(context);
        return await continuation(requestStream, context);
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        await AuthenticateStreamAsync(context);
        await continuation(request, responseStream, context);
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        await AuthenticateStreamAsync(context);
        await continuation(requestStream, responseStream, context);
    }

    /// <summary>The longest authorization header accepted; a bearer token is far shorter.</summary>
    public const int MaxAuthorizationLength = 4 * 1024;

    /// <summary>The longest value of any other request header accepted.</summary>
    public const int MaxHeaderLength = 8 * 1024;

    private async Task AuthenticateStreamAsync(ServerCallContext context)
    {
        await using var scope = scopes.CreateAsyncScope();
        await AuthenticateAsync(context, scope.ServiceProvider.GetRequiredService<AccessTokenService>());
    }

    private static async Task AuthenticateAsync(ServerCallContext context, AccessTokenService tokens)
    {
        RefuseOversizedHeaders(context.RequestHeaders);
        // The connection's remote address: behind a proxy, forwarded headers must set it (README, "Sign-in throttling").
        var clientAddress = ClientAddresses.Of(context.GetHttpContext().Connection.RemoteIpAddress);
        var header = context.RequestHeaders.GetValue("authorization");
        if (string.IsNullOrEmpty(header))
        {
            context.SetCaller(Caller.Anonymous with { ClientAddress = clientAddress });
            return;
        }
        const string scheme = "Bearer ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) || header.Length == scheme.Length)
        {
            throw Errors.Unauthenticated(ErrorReasons.TokenMalformed, "The authorization header must be 'Bearer <token>'.");
        }
        var caller = await tokens.AuthenticateAsync(header[scheme.Length..].Trim(), context.CancellationToken);
        context.SetCaller(caller with { ClientAddress = clientAddress });
    }

    /// <summary>
    /// Kestrel admits headers up to a bound far above these (Program.cs), so that an oversized one
    /// reaches this check and gets an answer instead of a dropped connection, which clients retry.
    /// </summary>
    private static void RefuseOversizedHeaders(Metadata headers)
    {
        foreach (var entry in headers)
        {
            var length = entry.IsBinary ? entry.ValueBytes.Length : entry.Value.Length;
            var max = entry.Key == "authorization" ? MaxAuthorizationLength : MaxHeaderLength;
            if (length > max)
            {
                throw Errors.Unauthenticated(ErrorReasons.HeaderTooLarge, $"The request header '{Errors.Echo(entry.Key)}' is longer than {max} bytes.")
                    .With("header", Errors.Echo(entry.Key))
                    .With("max_length", max.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
        }
    }
}
