using Grpc.Core;
using Grpc.Net.Client.Web;
using Guance.Billing.Client;

namespace Guance.Billing.Console.Api;

/// <summary>Where the console's calls go: the host over gRPC-Web, or a fake in component tests.</summary>
public abstract class ConsoleConnection
{
    /// <summary>A call invoker that sends <paramref name="token"/> (none when null).</summary>
    public abstract CallInvoker Invoker(string? token);
}

/// <summary>
/// The host that served the page, through the generated C# client over gRPC-Web (browsers cannot
/// speak gRPC's HTTP/2 trailers). One client per token, kept while the token is in use.
/// </summary>
public sealed class GrpcWebConnection(Uri hostAddress) : ConsoleConnection, IDisposable
{
    private readonly Dictionary<string, GuanceBillingClient> _clients = new(StringComparer.Ordinal);

    public override CallInvoker Invoker(string? token)
    {
        var key = token ?? "";
        lock (_clients)
        {
            if (!_clients.TryGetValue(key, out var client))
            {
                // A signed-out token is never used again; only the current one is kept.
                foreach (var old in _clients.Values)
                {
                    old.Dispose();
                }
                _clients.Clear();
                client = new GuanceBillingClient(new GuanceBillingClientOptions
                {
                    Address = hostAddress,
                    Token = token,
                    HttpHandler = new GrpcWebHandler(GrpcWebMode.GrpcWeb, new HttpClientHandler()),
                });
                _clients[key] = client;
            }
            return client.CallInvoker;
        }
    }

    public void Dispose()
    {
        lock (_clients)
        {
            foreach (var client in _clients.Values)
            {
                client.Dispose();
            }
            _clients.Clear();
        }
    }
}
