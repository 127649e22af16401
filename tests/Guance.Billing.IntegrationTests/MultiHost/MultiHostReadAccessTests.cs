using Grpc.Core;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.IntegrationTests.Usage;
using Guance.Billing.V1;

namespace Guance.Billing.IntegrationTests.MultiHost;

/// <summary>
/// A token revoked or a member removed through one host is refused by the other host's very next
/// dashboard read: nothing that a host remembers locally may keep them working (docs/domain.md §2).
/// </summary>
[Collection(TwoHosts.Name)]
public sealed class MultiHostReadAccessTests(TwoHostsFixture hosts)
{
    [PostgresFact]
    public async Task A_token_revoked_on_one_host_is_refused_by_the_next_read_on_the_other()
    {
        var cluster = await hosts.ClusterAsync();
        var (workspaceId, ownerToken) = await WorkspaceAsync(cluster);
        foreach (var read in DashboardReadAccessTests.Reads(DateTimeOffset.UtcNow))
        {
            var created = await cluster.Api(1, ownerToken).Identity.CreateApiTokenAsync(new CreateApiTokenRequest { DisplayName = "dashboard" });
            var dashboard = cluster.Api(0, created.Token);
            await read(dashboard, workspaceId);
            await read(dashboard, workspaceId);
            await cluster.Api(1, ownerToken).Identity.RevokeApiTokenAsync(new RevokeApiTokenRequest { ApiTokenId = created.ApiToken.ApiTokenId });
            await RpcAssert.Fails(StatusCode.Unauthenticated, () => read(dashboard, workspaceId), "TOKEN_REVOKED");
        }
    }

    [PostgresFact]
    public async Task A_member_removed_on_one_host_is_refused_by_the_next_read_on_the_other()
    {
        var cluster = await hosts.ClusterAsync();
        var (workspaceId, ownerToken) = await WorkspaceAsync(cluster);
        foreach (var read in DashboardReadAccessTests.Reads(DateTimeOffset.UtcNow))
        {
            var (memberId, memberEmail, memberToken) = await SignUpAsync(cluster.Api(0));
            await cluster.Api(1, ownerToken).Workspaces.AddMemberAsync(new AddMemberRequest { WorkspaceId = workspaceId, Email = memberEmail, Role = WorkspaceRole.Administrator });
            var member = cluster.Api(0, memberToken);
            await read(member, workspaceId);
            await read(member, workspaceId);
            await cluster.Api(1, ownerToken).Workspaces.RemoveMemberAsync(new RemoveMemberRequest { WorkspaceId = workspaceId, UserId = memberId });
            await RpcAssert.Fails(StatusCode.NotFound, () => read(member, workspaceId), "WORKSPACE_NOT_FOUND");
        }
    }

    private static async Task<(string WorkspaceId, string OwnerToken)> WorkspaceAsync(HostCluster cluster)
    {
        var (_, _, owner) = await SignUpAsync(cluster.Api(1));
        var id = (await cluster.Api(1, owner).Workspaces.CreateWorkspaceAsync(new CreateWorkspaceRequest
        {
            Name = "Dashboards", SiteCode = "cn1", ActivationChannel = ActivationChannel.OfficialWebsite,
        })).Workspace.WorkspaceId;
        return (id, owner);
    }

    private static async Task<(string UserId, string Email, string Token)> SignUpAsync(Api anonymous)
    {
        var email = $"reads.{Guid.NewGuid():N}@example.com";
        var signUp = await anonymous.Identity.SignUpAsync(new SignUpRequest { Email = email, Password = "correct horse battery", DisplayName = "Reads" });
        return (signUp.User.UserId, email, signUp.Token);
    }
}
