using Grpc.Core;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.V1;

namespace Guance.Billing.IntegrationTests.Client;

public sealed class DeadlineTests(BillingHost host) : IClassFixture<BillingHost>
{
    [Fact]
    public async Task A_unary_call_without_a_deadline_gets_the_default_one()
    {
        var (client, wire) = host.BillingClient(null, o => o.DefaultDeadline = TimeSpan.FromMinutes(7));
        using var _ = client;

        await client.Workspaces.ListSitesAsync(new ListSitesRequest());

        var timeout = wire.AttemptsOf("WorkspaceService/ListSites").Single().Timeout;
        Assert.NotNull(timeout);
        Assert.InRange(timeout.Value, TimeSpan.FromMinutes(6), TimeSpan.FromMinutes(7));
    }

    [Fact]
    public async Task The_default_deadline_is_30_seconds()
    {
        var (client, wire) = host.BillingClient();
        using var _ = client;

        await client.Workspaces.ListSitesAsync(new ListSitesRequest());

        Assert.InRange(wire.AttemptsOf("WorkspaceService/ListSites").Single().Timeout!.Value, TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task A_deadline_set_by_the_caller_wins()
    {
        var (client, wire) = host.BillingClient(null, o => o.DefaultDeadline = TimeSpan.FromSeconds(30));
        using var _ = client;

        await client.Workspaces.ListSitesAsync(new ListSitesRequest(), deadline: DateTime.UtcNow.AddHours(2));

        Assert.InRange(wire.AttemptsOf("WorkspaceService/ListSites").Single().Timeout!.Value, TimeSpan.FromMinutes(100), TimeSpan.FromHours(2));
    }

    [Fact]
    public async Task A_call_past_its_default_deadline_fails_with_DEADLINE_EXCEEDED()
    {
        var (client, wire) = host.BillingClient(null, o => o.DefaultDeadline = TimeSpan.FromTicks(1));
        using var _ = client;

        var error = await Assert.ThrowsAsync<RpcException>(() => client.Workspaces.ListSitesAsync(new ListSitesRequest()).ResponseAsync);

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        Assert.Empty(wire.AttemptsOf("WorkspaceService/ListSites"));
    }

    [Fact]
    public async Task Without_a_default_deadline_no_timeout_is_sent()
    {
        var (client, wire) = host.BillingClient(null, o => o.DefaultDeadline = null);
        using var _ = client;

        await client.Workspaces.ListSitesAsync(new ListSitesRequest());

        Assert.Null(wire.AttemptsOf("WorkspaceService/ListSites").Single().Timeout);
    }

    [Fact]
    public async Task The_blocking_call_gets_the_default_deadline_too()
    {
        var (client, wire) = host.BillingClient(null, o => o.DefaultDeadline = TimeSpan.FromMinutes(3));
        using var _ = client;

        await Task.Run(() => client.Workspaces.ListSites(new ListSitesRequest()));

        Assert.InRange(wire.AttemptsOf("WorkspaceService/ListSites").Single().Timeout!.Value, TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(3));
    }
}
