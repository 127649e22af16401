using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.V1;

namespace Guance.Billing.IntegrationTests.Workspaces;

/// <summary>Steps that the workspace tests share, all through the public API.</summary>
public static class WorkspaceSteps
{
    /// <summary>Signs up a new user and has the Owner add them with the role.</summary>
    public static async Task<TestUser> AddNewMemberAsync(this BillingHost host, TestWorkspace workspace, WorkspaceRole role, string name = "member")
    {
        var user = await host.SignUpAsync(name);
        await host.Operator.Workspaces.AddMemberAsync(new AddMemberRequest { WorkspaceId = workspace.Id, Email = user.Email, Role = role });
        return user;
    }

    /// <summary>All members, as the operator sees them.</summary>
    public static async Task<IReadOnlyList<Member>> MembersAsync(this BillingHost host, string workspaceId) =>
        (await host.Operator.Workspaces.ListMembersAsync(new ListMembersRequest { WorkspaceId = workspaceId, PageSize = 1000 })).Members;

    /// <summary>The role of one user, or null when not a member.</summary>
    public static async Task<WorkspaceRole?> RoleOfAsync(this BillingHost host, string workspaceId, string userId) =>
        (await host.MembersAsync(workspaceId)).FirstOrDefault(m => m.UserId == userId)?.Role;

    /// <summary>The workspace as the operator sees it.</summary>
    public static async Task<Workspace> WorkspaceAsync(this BillingHost host, string workspaceId) =>
        (await host.Operator.Workspaces.GetWorkspaceAsync(new GetWorkspaceRequest { WorkspaceId = workspaceId })).Workspace;

    /// <summary>Everything a workspace RPC could change, to prove that a refused call changed nothing.</summary>
    public static async Task<string> SnapshotAsync(this BillingHost host, string workspaceId)
    {
        var workspace = await host.WorkspaceAsync(workspaceId);
        var members = await host.MembersAsync(workspaceId);
        var tokens = await host.Operator.Workspaces.ListCollectorTokensAsync(new ListCollectorTokensRequest { WorkspaceId = workspaceId, PageSize = 1000 });
        return string.Join('\n', workspace, string.Join(',', members), tokens);
    }

    /// <summary>A bearer token of the user that has been revoked.</summary>
    public static async Task<string> RevokedTokenOfAsync(this TestUser user)
    {
        var created = await user.Api.Identity.CreateApiTokenAsync(new CreateApiTokenRequest { DisplayName = "to revoke" });
        await user.Api.Identity.RevokeApiTokenAsync(new RevokeApiTokenRequest { ApiTokenId = created.ApiToken.ApiTokenId });
        return created.Token;
    }

    /// <summary>A well-formed workspace id that no workspace has.</summary>
    public static readonly string UnknownWorkspaceId = "ws_" + new string('0', 26);

    /// <summary>A well-formed user id that no user has.</summary>
    public static readonly string UnknownUserId = "usr_" + new string('0', 26);
}
