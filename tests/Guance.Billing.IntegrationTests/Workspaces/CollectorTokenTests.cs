using Grpc.Core;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.V1;

namespace Guance.Billing.IntegrationTests.Workspaces;

/// <summary>CreateCollectorToken, ListCollectorTokens, RevokeCollectorToken.</summary>
public sealed class CollectorTokenTests(BillingHost host) : IClassFixture<BillingHost>
{
    private static CreateCollectorTokenRequest Create(TestWorkspace ws, string name) => new() { WorkspaceId = ws.Id, DisplayName = name };

    [Theory]
    [InlineData("Owner")]
    [InlineData("Administrator")]
    public async Task CreateCollectorToken_shows_a_working_collector_token_once(string creator)
    {
        var ws = await host.CreateWorkspaceAsync();
        var api = (creator == "Owner" ? ws.Owner : ws.Administrator).Api.Workspaces;

        var created = await api.CreateCollectorTokenAsync(Create(ws, "  prod hosts "));

        Assert.StartsWith("gct_", created.Token);
        Assert.StartsWith("ct_", created.CollectorToken.CollectorTokenId);
        Assert.Equal((ws.Id, "prod hosts"), (created.CollectorToken.WorkspaceId, created.CollectorToken.DisplayName));
        Assert.Equal(host.Clock.GetUtcNow(), created.CollectorToken.CreateTime.ToDateTimeOffset());
        Assert.Null(created.CollectorToken.RevokeTime);
        // It authenticates, as a collector: it may not manage the workspace.
        var collector = host.Api(created.Token);
        await collector.Workspaces.ListSitesAsync(new ListSitesRequest());
        await RpcAssert.Fails(StatusCode.PermissionDenied,
            () => collector.Workspaces.GetWorkspaceAsync(new GetWorkspaceRequest { WorkspaceId = ws.Id }), "CONSOLE_USER_REQUIRED");
        await RpcAssert.Fails(StatusCode.PermissionDenied,
            () => collector.Identity.GetCurrentUserAsync(new GetCurrentUserRequest()), "CONSOLE_USER_REQUIRED");
        // Listed, never with its secret.
        var listed = Assert.Single((await api.ListCollectorTokensAsync(new ListCollectorTokensRequest { WorkspaceId = ws.Id })).CollectorTokens);
        Assert.Equal(created.CollectorToken, listed);
        Assert.DoesNotContain(created.Token[4..], listed.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("tab\tinside")]
    [InlineData("sixty-five characters are one too many for the display name here!")]
    public async Task CreateCollectorToken_validates_the_display_name(string name)
    {
        var ws = await host.CreateWorkspaceAsync();
        await RpcAssert.InvalidFields(() => ws.Owner.Api.Workspaces.CreateCollectorTokenAsync(Create(ws, name)), "display_name");
        await RpcAssert.InvalidFields(() => ws.Owner.Api.Workspaces.CreateCollectorTokenAsync(new CreateCollectorTokenRequest { DisplayName = name }), "workspace_id", "display_name");
        Assert.Empty((await ws.Owner.Api.Workspaces.ListCollectorTokensAsync(new ListCollectorTokensRequest { WorkspaceId = ws.Id })).CollectorTokens);
    }

    [Fact]
    public async Task ListCollectorTokens_pages_newest_first_with_revoked_ones_and_only_this_workspaces()
    {
        var ws = await host.CreateWorkspaceAsync();
        var other = await host.CreateWorkspaceAsync();
        await other.Owner.Api.Workspaces.CreateCollectorTokenAsync(Create(other, "elsewhere"));
        var ids = new List<string>();
        for (int i = 0; i < 3; i++)
        {
            host.Clock.Advance(TimeSpan.FromSeconds(1));
            ids.Add((await ws.Owner.Api.Workspaces.CreateCollectorTokenAsync(Create(ws, $"t{i}"))).CollectorToken.CollectorTokenId);
        }
        await ws.Owner.Api.Workspaces.RevokeCollectorTokenAsync(new RevokeCollectorTokenRequest { WorkspaceId = ws.Id, CollectorTokenId = ids[1] });

        var listed = new List<CollectorToken>();
        var pageToken = "";
        var pages = 0;
        do
        {
            var page = await ws.Administrator.Api.Workspaces.ListCollectorTokensAsync(new ListCollectorTokensRequest { WorkspaceId = ws.Id, PageSize = 2, PageToken = pageToken });
            listed.AddRange(page.CollectorTokens);
            pageToken = page.NextPageToken;
            pages++;
        }
        while (pageToken != "");

        Assert.Equal(2, pages);
        Assert.Equal(["t2", "t1", "t0"], listed.Select(t => t.DisplayName));
        Assert.Equal([false, true, false], listed.Select(t => t.RevokeTime is not null));
    }

    [Fact]
    public async Task ListCollectorTokens_validates_paging()
    {
        var ws = await host.CreateWorkspaceAsync();
        var api = ws.Owner.Api.Workspaces;
        await RpcAssert.InvalidFields(() => api.ListCollectorTokensAsync(new ListCollectorTokensRequest { WorkspaceId = ws.Id, PageSize = -1 }), "page_size");
        await RpcAssert.InvalidFields(() => api.ListCollectorTokensAsync(new ListCollectorTokensRequest { WorkspaceId = ws.Id, PageToken = "garbage" }), "page_token");
        await RpcAssert.InvalidFields(() => api.ListCollectorTokensAsync(new ListCollectorTokensRequest { WorkspaceId = "ws", PageSize = 1001, PageToken = "x" }),
            "workspace_id", "page_size", "page_token");
    }

    [Fact]
    public async Task RevokeCollectorToken_stops_the_token_at_once_and_is_idempotent()
    {
        var ws = await host.CreateWorkspaceAsync();
        var created = await ws.Owner.Api.Workspaces.CreateCollectorTokenAsync(Create(ws, "agents"));
        var kept = await ws.Owner.Api.Workspaces.CreateCollectorTokenAsync(Create(ws, "kept"));
        var revoke = new RevokeCollectorTokenRequest { WorkspaceId = ws.Id, CollectorTokenId = created.CollectorToken.CollectorTokenId };
        host.Clock.Advance(TimeSpan.FromMinutes(3));

        var revoked = (await ws.Administrator.Api.Workspaces.RevokeCollectorTokenAsync(revoke)).CollectorToken;

        Assert.Equal(host.Clock.GetUtcNow(), revoked.RevokeTime.ToDateTimeOffset());
        await RpcAssert.Fails(StatusCode.Unauthenticated, () => host.Api(created.Token).Workspaces.ListSitesAsync(new ListSitesRequest()), "TOKEN_REVOKED");
        await host.Api(kept.Token).Workspaces.ListSitesAsync(new ListSitesRequest());

        host.Clock.Advance(TimeSpan.FromMinutes(3));
        var again = (await ws.Owner.Api.Workspaces.RevokeCollectorTokenAsync(revoke)).CollectorToken;
        Assert.Equal(revoked, again);
    }

    [Fact]
    public async Task RevokeCollectorToken_finds_only_this_workspaces_collector_tokens()
    {
        var ws = await host.CreateWorkspaceAsync();
        var other = await host.CreateWorkspaceAsync();
        var foreign = await other.Owner.Api.Workspaces.CreateCollectorTokenAsync(Create(other, "theirs"));
        var api = ws.Owner.Api.Workspaces;

        await RpcAssert.Fails(StatusCode.NotFound, () => api.RevokeCollectorTokenAsync(new RevokeCollectorTokenRequest
        {
            WorkspaceId = ws.Id, CollectorTokenId = foreign.CollectorToken.CollectorTokenId,
        }), "COLLECTOR_TOKEN_NOT_FOUND");
        await RpcAssert.Fails(StatusCode.NotFound, () => api.RevokeCollectorTokenAsync(new RevokeCollectorTokenRequest
        {
            WorkspaceId = ws.Id, CollectorTokenId = "ct_" + new string('0', 26),
        }), "COLLECTOR_TOKEN_NOT_FOUND");
        // Someone else's user token is not a collector token.
        var userTokens = await ws.Owner.Api.Identity.ListApiTokensAsync(new ListApiTokensRequest());
        await RpcAssert.InvalidFields(() => api.RevokeCollectorTokenAsync(new RevokeCollectorTokenRequest
        {
            WorkspaceId = ws.Id, CollectorTokenId = userTokens.ApiTokens[0].ApiTokenId,
        }), "collector_token_id");
        await RpcAssert.InvalidFields(() => api.RevokeCollectorTokenAsync(new RevokeCollectorTokenRequest { WorkspaceId = ws.Id }), "collector_token_id");

        await host.Api(foreign.Token).Workspaces.ListSitesAsync(new ListSitesRequest());
        await ws.Owner.Api.Identity.GetCurrentUserAsync(new GetCurrentUserRequest());
    }

    [Fact]
    public async Task A_dissolved_workspace_still_lists_and_revokes_its_tokens()
    {
        var ws = await host.CreateWorkspaceAsync();
        var created = await ws.Owner.Api.Workspaces.CreateCollectorTokenAsync(Create(ws, "agents"));
        var dissolved = (await ws.Owner.Api.Workspaces.DissolveWorkspaceAsync(new DissolveWorkspaceRequest { WorkspaceId = ws.Id })).Workspace;
        host.Clock.Advance(TimeSpan.FromMinutes(1));

        var revoked = (await ws.Owner.Api.Workspaces.RevokeCollectorTokenAsync(new RevokeCollectorTokenRequest
        {
            WorkspaceId = ws.Id, CollectorTokenId = created.CollectorToken.CollectorTokenId,
        })).CollectorToken;

        // Dissolving revoked it; revoking again keeps that time.
        Assert.Equal(dissolved.DissolveTime, revoked.RevokeTime);
    }
}
