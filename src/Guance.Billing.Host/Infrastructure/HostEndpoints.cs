using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Guance.Billing.Host.Infrastructure;

/// <summary>
/// The host's two endpoints. gRPC listens on <c>--urls</c> (or <c>ASPNETCORE_URLS</c>; default
/// <c>http://127.0.0.1:50051</c>, several separated by <c>;</c>), HTTP/2 only, so that plaintext gRPC clients (h2c) work. The ops
/// endpoint for browsers and scrapers listens on <c>Guance:Console:Url</c> (default
/// <c>http://127.0.0.1:8080</c>; empty turns it off) with HTTP/1.1 only: browsers speak HTTP/2 only over TLS,
/// which a TLS-terminating proxy in front gives them (and speaks HTTP/1.1 to this endpoint), and gRPC-Web needs
/// no more. It is the only place that serves the web console, gRPC-Web (<see cref="ConsoleHosting"/>) and <c>/metrics</c>.
/// </summary>
public static class HostEndpoints
{
    public const string ConsoleUrlSetting = "Guance:Console:Url";
    private const string OpsConnection = "guance.ops-endpoint";

    public const string DefaultGrpcUrl = "http://127.0.0.1:50051";

    /// <summary>Kestrel's own key, read explicitly: the HTTP/2 streams one connection may carry at once (default 100).</summary>
    public const string MaxStreamsPerConnectionKey = "Kestrel:Limits:Http2:MaxStreamsPerConnection";

    /// <summary>
    /// Takes the gRPC addresses out of the command line (<c>--urls</c>) and the environment
    /// (<c>ASPNETCORE_URLS</c>, <c>DOTNET_URLS</c>): the host binds them itself, with the ops endpoint
    /// beside them, and Kestrel would otherwise warn at every start that they were overridden.
    /// </summary>
    public static string[] TakeGrpcUrls(ref string[] args)
    {
        string? urls = null;
        var rest = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (arg is "--urls" or "/urls" && i + 1 < args.Length)
            {
                urls = args[++i];
            }
            else if (arg.StartsWith("--urls=", StringComparison.OrdinalIgnoreCase) || arg.StartsWith("/urls=", StringComparison.OrdinalIgnoreCase))
            {
                urls = arg[(arg.IndexOf('=') + 1)..];
            }
            else
            {
                rest.Add(arg);
            }
        }
        args = rest.ToArray();
        foreach (var variable in new[] { "ASPNETCORE_URLS", "DOTNET_URLS" })
        {
            urls ??= Environment.GetEnvironmentVariable(variable);
            Environment.SetEnvironmentVariable(variable, null);
        }
        return (string.IsNullOrWhiteSpace(urls) ? DefaultGrpcUrl : urls)
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    public static void ConfigureEndpoints(this WebApplicationBuilder builder, IReadOnlyList<string> grpcUrls)
    {
        var consoleUrl = builder.Configuration[ConsoleUrlSetting];
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            foreach (var url in grpcUrls)
            {
                Listen(kestrel, url, HttpProtocols.Http2, ops: false);
            }
            if (!string.IsNullOrWhiteSpace(consoleUrl))
            {
                Listen(kestrel, consoleUrl, HttpProtocols.Http1, ops: true);
            }
        });
    }

    /// <summary>Whether the request came in on the ops endpoint.</summary>
    public static bool IsOpsRequest(HttpContext context) =>
        context.Features.Get<IConnectionItemsFeature>()?.Items.ContainsKey(OpsConnection) == true;

    private static void Listen(KestrelServerOptions kestrel, string url, HttpProtocols protocols, bool ops)
    {
        var normalized = url.Replace("://*:", "://0.0.0.0:").Replace("://+:", "://0.0.0.0:");
        if (!Uri.TryCreate(normalized, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp || uri.AbsolutePath != "/")
        {
            throw new InvalidOperationException($"'{url}' is not an endpoint address of the form http://host:port.");
        }
        void Configure(ListenOptions listen)
        {
            listen.Protocols = protocols;
            if (ops)
            {
                listen.Use(next => connection =>
                {
                    connection.Items[OpsConnection] = true;
                    return next(connection);
                });
            }
        }
        switch (uri.Host)
        {
            case "localhost":
                kestrel.ListenLocalhost(uri.Port, Configure);
                break;
            case "0.0.0.0" or "[::]":
                kestrel.ListenAnyIP(uri.Port, Configure);
                break;
            default:
                if (!System.Net.IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address))
                {
                    throw new InvalidOperationException($"'{url}': listen on an IP address, localhost or *, not on a host name.");
                }
                kestrel.Listen(address, uri.Port, Configure);
                break;
        }
    }
}
