using System.Net;
using System.Text.RegularExpressions;
using Grpc.Core;
using Grpc.Net.Client;
using Grpc.Net.Client.Web;
using Guance.Billing.Client;
using Guance.Billing.V1;

namespace Guance.Billing.BrowserTests.EndToEnd;

/// <summary>
/// How the host serves the console: on the browser endpoint only, with strict security headers,
/// compressed files cached by content hash, and gRPC-Web there (and only there) with the same error
/// answers as gRPC.
/// </summary>
[Collection(ConsoleEndToEnd.Name)]
public sealed partial class ConsoleEndpointTests(ConsoleHost console)
{
    [Fact]
    public async Task Every_console_address_gets_the_page_with_strict_security_headers()
    {
        using var http = new HttpClient { BaseAddress = console.ConsoleAddress };

        foreach (var path in new[] { "/", "/workspaces/ws_x/billing/bills" })
        {
            using var response = await http.GetAsync(new Uri(path, UriKind.Relative));

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains("_framework/blazor.webassembly.", await response.Content.ReadAsStringAsync());
            var csp = response.Headers.GetValues("Content-Security-Policy").Single();
            var scriptSources = csp.Split(';').Select(d => d.Trim()).Single(d => d.StartsWith("script-src ", StringComparison.Ordinal));
            Assert.Equal("script-src 'self' 'wasm-unsafe-eval'", scriptSources);
            Assert.Contains("frame-ancestors 'none'", csp);
            Assert.Contains("default-src 'self'", csp);
            Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
            Assert.True(response.Headers.CacheControl?.NoCache, "the page names the current fingerprints: it must be revalidated");
        }
    }

    [Fact]
    public async Task The_framework_files_are_compressed_and_cached_by_content_hash()
    {
        using var http = new HttpClient { BaseAddress = console.ConsoleAddress };
        var page = await http.GetStringAsync(new Uri("/", UriKind.Relative));
        var script = FingerprintedScript().Match(page).Value;
        Assert.NotEmpty(script);

        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/" + script, UriKind.Relative));
        request.Headers.AcceptEncoding.ParseAdd("br, gzip");
        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(response.Content.Headers.ContentEncoding.Single(), new[] { "br", "gzip" });
        Assert.True(response.Headers.CacheControl?.MaxAge >= TimeSpan.FromDays(365), $"Cache-Control: {response.Headers.CacheControl}");
        Assert.Contains("immutable", response.Headers.CacheControl!.ToString());
        Assert.NotNull(response.Headers.ETag);
    }

    [Fact]
    public async Task The_framework_assemblies_are_sent_really_compressed_from_the_build_output()
    {
        // The host of these tests runs from the build output: MapStaticAssets' reload of changed files once sent its
        // .wasm files gzip-framed at CompressionLevel.NoCompression, as big as the files themselves.
        using var http = new HttpClient { BaseAddress = console.ConsoleAddress };
        var plain = await ContentLengthAsync(http, "identity");
        var compressed = await ContentLengthAsync(http, "gzip");

        Assert.True(compressed < plain / 2, $"System.Private.CoreLib.wasm: {compressed:N0} bytes gzip, {plain:N0} bytes plain");
    }

    [Fact]
    public async Task GrpcWeb_answers_on_the_browser_endpoint_only()
    {
        using var browser = GrpcWebChannel(console.ConsoleAddress);
        var sites = await new WorkspaceService.WorkspaceServiceClient(browser).ListSitesAsync(new ListSitesRequest());
        Assert.Contains(sites.Sites, s => s.Code == "cn1");

        // gRPC-Web over the gRPC endpoint's own protocol (h2c), so that only the host's restriction can refuse it.
        using var grpcPort = GrpcWebChannel(console.Host.Address, HttpVersion.Version20);
        var refused = await Assert.ThrowsAsync<RpcException>(async () => await new WorkspaceService.WorkspaceServiceClient(grpcPort).ListSitesAsync(new ListSitesRequest()));
        Assert.NotEqual(StatusCode.OK, refused.StatusCode);

        // Nor are the console's files on the gRPC endpoint.
        using var h2c = new HttpClient { DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
        using var onGrpcPort = await h2c.GetAsync(new Uri(console.Host.Address, "/"));
        Assert.Equal(HttpStatusCode.NotFound, onGrpcPort.StatusCode);
    }

    [Fact]
    public async Task A_malformed_grpc_web_request_is_answered_invalid_argument_as_on_grpc()
    {
        using var browser = GrpcWebChannel(console.ConsoleAddress);
        var raw = new Marshaller<byte[]>(bytes => bytes, bytes => bytes);
        var method = new Method<byte[], byte[]>(MethodType.Unary, "guance.billing.v1.WorkspaceService", "GetWorkspace", raw, raw);

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await browser.CreateCallInvoker().AsyncUnaryCall(method, null, new CallOptions(), [0xFF, 0xFF, 0xFF, 0xFF]));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("MALFORMED_REQUEST", BillingError.From(error).Reason);
    }

    private static async Task<long> ContentLengthAsync(HttpClient http, string encoding)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/_framework/System.Private.CoreLib.wasm", UriKind.Relative));
        request.Headers.AcceptEncoding.ParseAdd(encoding);
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(encoding == "identity" ? [] : [encoding], response.Content.Headers.ContentEncoding);
        return (await response.Content.ReadAsByteArrayAsync()).LongLength;
    }

    /// <summary>gRPC-Web; by default over HTTP/1.1, as a browser speaks to a plaintext endpoint.</summary>
    private static GrpcChannel GrpcWebChannel(Uri address, Version? httpVersion = null) =>
        GrpcChannel.ForAddress(address, new GrpcChannelOptions
        {
            HttpHandler = new GrpcWebHandler(GrpcWebMode.GrpcWeb, new HttpClientHandler()),
            HttpVersion = httpVersion ?? HttpVersion.Version11,
            HttpVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        });

    [GeneratedRegex(@"_framework/blazor\.webassembly\.[a-z0-9]+\.js")]
    private static partial Regex FingerprintedScript();
}
