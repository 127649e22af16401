using Grpc.AspNetCore.Web;

namespace Guance.Billing.Host.Infrastructure;

/// <summary>
/// The web console on the browser endpoint (<c>Guance:Console:Url</c>): its fingerprinted,
/// pre-compressed files (MapStaticAssets), index.html for every other path of the single-page app,
/// gRPC-Web for its calls, and strict security headers. None of it answers on the gRPC endpoint,
/// and none of it is set up when the browser endpoint is off (in-memory test hosts, benchmarks).
/// The page and its calls share one origin, so no CORS is configured.
/// </summary>
public static class ConsoleHosting
{
    /// <summary>
    /// Blazor WebAssembly needs 'wasm-unsafe-eval' to compile its runtime; no inline or evaluated
    /// script is allowed. MudBlazor positions popovers with inline style attributes, hence
    /// 'unsafe-inline' for styles only.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
        "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>MapStaticAssets' own setting (on by default for a build output).</summary>
    public const string ReloadStaticAssetsSetting = "ReloadStaticAssetsAtRuntime";

    private sealed class ConsoleOnly
    {
        public static readonly ConsoleOnly Instance = new();
    }

    public static bool IsEnabled(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration[HostEndpoints.ConsoleUrlSetting]);

    /// <summary>Serves the console's files from the build output too (<c>dotnet run</c>), not only from a publish folder.</summary>
    public static void AddConsole(this WebApplicationBuilder builder)
    {
        if (IsEnabled(builder.Configuration))
        {
            builder.WebHost.UseStaticWebAssets();
            // From the build output (a Build manifest) MapStaticAssets would send no-cache everywhere; the
            // manifest's own headers are right in every environment: immutable for fingerprinted files (a
            // rebuilt file gets a new fingerprint), no-cache with an ETag for the rest.
            builder.Configuration["EnableStaticAssetsDevelopmentCaching"] = "true";
            // The build output's files do not change while the host runs (a rebuild renames them), so MapStaticAssets'
            // reload of changed files stays off: it took the framework's .wasm files for changed (their times differ
            // from the manifest's) and sent them gzip-framed but uncompressed, 38 MB instead of 13 MB on a first
            // visit (docs/performance.md, "Web console: first load"). A setting given explicitly still wins.
            if (builder.Configuration[ReloadStaticAssetsSetting] is null)
            {
                builder.Configuration[ReloadStaticAssetsSetting] = "false";
            }
        }
    }

    /// <summary>Before the gRPC services are mapped: headers and gRPC-Web on browser requests only.</summary>
    public static void UseConsole(this WebApplication app)
    {
        if (!IsEnabled(app.Configuration))
        {
            return;
        }
        app.UseWhen(HostEndpoints.IsOpsRequest, browser =>
        {
            browser.Use((context, next) =>
            {
                var headers = context.Response.Headers;
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "no-referrer";
                headers["Cross-Origin-Opener-Policy"] = "same-origin";
                headers["Cross-Origin-Resource-Policy"] = "same-origin";
                headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()";
                return next(context);
            });
            // gRPC-Web's middleware rewrites the content type; MalformedFrameMiddleware needs to know a base64 text body.
            browser.Use((context, next) =>
            {
                if (context.Request.ContentType?.StartsWith("application/grpc-web-text", StringComparison.OrdinalIgnoreCase) == true)
                {
                    context.Items[MalformedFrameMiddleware.GrpcWebTextMark] = true;
                }
                return next(context);
            });
            browser.UseGrpcWeb(new GrpcWebOptions { DefaultEnabled = true });
        });
        // The console's pages and files exist only on the browser endpoint.
        app.Use((context, next) =>
        {
            if (!HostEndpoints.IsOpsRequest(context) && context.GetEndpoint()?.Metadata.GetMetadata<ConsoleOnly>() is not null)
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }
            return next(context);
        });
        app.MapStaticAssets().WithMetadata(ConsoleOnly.Instance);
        // Paths of the single-page app (/workspaces/...) get index.html, never cached: it names the current fingerprints.
        app.MapFallbackToFile("index.html", new StaticFileOptions
        {
            OnPrepareResponse = file => file.Context.Response.Headers.CacheControl = "no-cache",
        }).WithMetadata(ConsoleOnly.Instance);
    }
}
