using Grpc.Core;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.V1;

namespace Guance.Billing.IntegrationTests.Hosting;

/// <summary>
/// An oversized header is answered UNAUTHENTICATED HEADER_TOO_LARGE over a real HTTP/2 connection
/// (Kestrel's own limits apply only to a host on a port), instead of a dropped connection that
/// clients would see as UNAVAILABLE and retry.
/// </summary>
public sealed class OversizedHeaderTests
{
    [Fact]
    public async Task Oversized_authorization_and_other_headers_are_refused_and_the_connection_keeps_serving()
    {
        await using var host = await HostProcess.StartAsync();

        var api = host.Api();
        foreach (var size in new[] { 33 * 1024, 200 * 1024 })
        {
            var token = new Metadata { { "authorization", "Bearer " + new string('t', size) } };
            var error = await RpcAssert.Fails(StatusCode.Unauthenticated, () => api.Workspaces.ListSitesAsync(new ListSitesRequest(), token), "HEADER_TOO_LARGE");
            Assert.True(error.Status.Detail.Length < 200);

            var padded = new Metadata { { "x-padding", new string('p', size) } };
            await RpcAssert.Fails(StatusCode.Unauthenticated, () => api.Workspaces.ListSitesAsync(new ListSitesRequest(), padded), "HEADER_TOO_LARGE");

            // The same channel (and connection) still serves.
            Assert.NotEmpty((await api.Workspaces.ListSitesAsync(new ListSitesRequest())).Sites);
        }

        // A bearer token of sane size is read as before.
        await RpcAssert.Fails(StatusCode.Unauthenticated, () => host.Api(new string('t', 4000)).Workspaces.ListSitesAsync(new ListSitesRequest()), "TOKEN_INVALID");
        Assert.NotEmpty((await host.Operator.Workspaces.ListSitesAsync(new ListSitesRequest())).Sites);
    }
}
