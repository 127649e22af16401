using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.V1;

namespace Guance.Billing.IntegrationTests.Hosting;

/// <summary>Times are stored to the microsecond; responses say the same time as every later read.</summary>
public sealed class TimestampTests(BillingHost host) : IClassFixture<BillingHost>
{
    [Fact]
    public async Task A_time_reads_the_same_in_the_response_that_made_it_and_when_read_back()
    {
        // A clock between two microseconds, as a real one almost always is.
        host.Clock.Advance(TimeSpan.FromTicks(1234567));
        var user = await host.SignUpAsync("precise");
        var created = (await user.Api.Workspaces.CreateWorkspaceAsync(new CreateWorkspaceRequest
        {
            Name = "Precise", SiteCode = "cn1", ActivationChannel = ActivationChannel.OfficialWebsite,
        })).Workspace;
        var token = await user.Api.Workspaces.CreateCollectorTokenAsync(new CreateCollectorTokenRequest { WorkspaceId = created.WorkspaceId, DisplayName = "t" });

        Assert.Equal(created, (await user.Api.Workspaces.GetWorkspaceAsync(new GetWorkspaceRequest { WorkspaceId = created.WorkspaceId })).Workspace);
        Assert.Equal(user.User, (await user.Api.Identity.GetCurrentUserAsync(new GetCurrentUserRequest())).User);
        Assert.Equal(token.CollectorToken,
            Assert.Single((await user.Api.Workspaces.ListCollectorTokensAsync(new ListCollectorTokensRequest { WorkspaceId = created.WorkspaceId })).CollectorTokens));
        Assert.Equal(0, created.CreateTime.Nanos % 1000);
    }
}
