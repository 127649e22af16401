using Grpc.Core;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.V1;

namespace Guance.Billing.IntegrationTests.Hosting;

/// <summary>The host stopped (gracefully, then killed as in a crash) and started again on the same data directory.</summary>
public sealed class RestartTests
{
    private const string Password = "correct horse battery";

    /// <summary>What the first run left behind, as its own calls returned it.</summary>
    private sealed record Remembered(
        User Ann, string AnnToken, string WorkspaceId, Workspace Workspace, IReadOnlyList<Member> Members,
        IReadOnlyList<CollectorToken> CollectorTokens, string ActiveCollector, string RevokedCollector, string RevokedApiToken);

    [Fact]
    public async Task A_restarted_host_finds_everything_still_there_after_a_graceful_stop_and_after_a_crash()
    {
        using var database = TestDatabase.Create();
        var options = new HostProcessOptions { Database = database };

        Remembered remembered;
        await using (var first = await HostProcess.StartAsync(options))
        {
            remembered = await LeaveThingsBehindAsync(first);
            Assert.Equal(0, await first.StopAsync());
        }

        await using (var second = await HostProcess.StartAsync(options))
        {
            await FindEverythingAsync(second, remembered);
            // Something new, then a crash right after it was acknowledged.
            await second.Api(remembered.AnnToken).Workspaces.UpdateWorkspaceAsync(new UpdateWorkspaceRequest
            {
                WorkspaceId = remembered.WorkspaceId,
                Workspace = new Workspace { Description = "changed before the crash" },
                UpdateMask = new() { Paths = { "description" } },
            });
            remembered = remembered with { Workspace = await WorkspaceAsync(second.Api(remembered.AnnToken), remembered.WorkspaceId) };
            await second.KillAsync();
        }

        await using var third = await HostProcess.StartAsync(options);
        await FindEverythingAsync(third, remembered);
        Assert.Equal("changed before the crash", (await WorkspaceAsync(third.Api(remembered.AnnToken), remembered.WorkspaceId)).Description);
    }

    private static async Task<Remembered> LeaveThingsBehindAsync(HostProcess host)
    {
        var ann = await host.Api().Identity.SignUpAsync(new SignUpRequest { Email = "ann@example.com", Password = Password, DisplayName = "Ann" });
        var bob = await host.Api().Identity.SignUpAsync(new SignUpRequest { Email = "bob@example.com", Password = Password, DisplayName = "Bob" });
        var api = host.Api(ann.Token);
        var workspaceId = (await api.Workspaces.CreateWorkspaceAsync(new CreateWorkspaceRequest
        {
            Name = "Production", SiteCode = "eu1", ActivationChannel = ActivationChannel.OfficialWebsite, Description = "kept",
        })).Workspace.WorkspaceId;
        await api.Workspaces.AddMemberAsync(new AddMemberRequest { WorkspaceId = workspaceId, Email = bob.User.Email, Role = WorkspaceRole.Administrator });
        var active = await api.Workspaces.CreateCollectorTokenAsync(new CreateCollectorTokenRequest { WorkspaceId = workspaceId, DisplayName = "active" });
        var revoked = await api.Workspaces.CreateCollectorTokenAsync(new CreateCollectorTokenRequest { WorkspaceId = workspaceId, DisplayName = "revoked" });
        await api.Workspaces.RevokeCollectorTokenAsync(new RevokeCollectorTokenRequest { WorkspaceId = workspaceId, CollectorTokenId = revoked.CollectorToken.CollectorTokenId });
        var apiToken = await api.Identity.CreateApiTokenAsync(new CreateApiTokenRequest { DisplayName = "old ci" });
        await api.Identity.RevokeApiTokenAsync(new RevokeApiTokenRequest { ApiTokenId = apiToken.ApiToken.ApiTokenId });

        return new Remembered(
            ann.User, ann.Token, workspaceId,
            await WorkspaceAsync(api, workspaceId),
            (await api.Workspaces.ListMembersAsync(new ListMembersRequest { WorkspaceId = workspaceId })).Members,
            (await api.Workspaces.ListCollectorTokensAsync(new ListCollectorTokensRequest { WorkspaceId = workspaceId })).CollectorTokens,
            active.Token, revoked.Token, apiToken.Token);
    }

    private static async Task FindEverythingAsync(HostProcess host, Remembered remembered)
    {
        // The user signs in with the password, and the token from before still works.
        var signedIn = await host.Api().Identity.SignInAsync(new SignInRequest { Email = "ann@example.com", Password = Password });
        Assert.Equal(remembered.Ann, signedIn.User);
        var api = host.Api(remembered.AnnToken);
        Assert.Equal(remembered.Ann, (await api.Identity.GetCurrentUserAsync(new GetCurrentUserRequest())).User);

        Assert.Equal(remembered.Workspace, await WorkspaceAsync(api, remembered.WorkspaceId));
        Assert.Equal(remembered.Members, (await api.Workspaces.ListMembersAsync(new ListMembersRequest { WorkspaceId = remembered.WorkspaceId })).Members);
        Assert.Equal(remembered.CollectorTokens,
            (await api.Workspaces.ListCollectorTokensAsync(new ListCollectorTokensRequest { WorkspaceId = remembered.WorkspaceId })).CollectorTokens);
        Assert.Equal([remembered.WorkspaceId], (await api.Workspaces.ListWorkspacesAsync(new ListWorkspacesRequest())).Workspaces.Select(w => w.WorkspaceId));

        // Tokens keep their state: the active collector token works, revoked ones stay revoked.
        await host.Api(remembered.ActiveCollector).Workspaces.ListSitesAsync(new ListSitesRequest());
        await RpcAssert.Fails(StatusCode.Unauthenticated, () => host.Api(remembered.RevokedCollector).Workspaces.ListSitesAsync(new ListSitesRequest()), "TOKEN_REVOKED");
        await RpcAssert.Fails(StatusCode.Unauthenticated, () => host.Api(remembered.RevokedApiToken).Identity.GetCurrentUserAsync(new GetCurrentUserRequest()), "TOKEN_REVOKED");
        // The configured operator token is the same across restarts.
        await host.Operator.Workspaces.GetWorkspaceAsync(new GetWorkspaceRequest { WorkspaceId = remembered.WorkspaceId });
    }

    private static async Task<Workspace> WorkspaceAsync(Api api, string workspaceId) =>
        (await api.Workspaces.GetWorkspaceAsync(new GetWorkspaceRequest { WorkspaceId = workspaceId })).Workspace;
}
