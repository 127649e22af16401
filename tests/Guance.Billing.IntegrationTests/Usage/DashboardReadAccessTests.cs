using Grpc.Core;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.IntegrationTests.Workspaces;
using Guance.Billing.V1;
using Timestamp = Google.Protobuf.WellKnownTypes.Timestamp;

namespace Guance.Billing.IntegrationTests.Usage;

/// <summary>
/// The dashboard reads check the caller's token and membership in the database at every call (no
/// cache may keep a revoked token or a removed member working, docs/domain.md §2): a change made by one
/// call is enforced by the very next read. On PostgreSQL the same runs in the database pass; the
/// two-host version is <see cref="MultiHost.MultiHostReadAccessTests"/>.
/// </summary>
public sealed class DashboardReadAccessTests : IDisposable
{
    private readonly BillingHost _host = new();

    public void Dispose() => _host.Dispose();

    /// <summary>The four dashboard reads of one workspace, as one caller.</summary>
    public static IEnumerable<Func<Api, string, Task>> Reads(DateTimeOffset now) =>
    [
        async (api, ws) => await api.Usage.GetUsageStatisticsAsync(new GetUsageStatisticsRequest { WorkspaceId = ws }),
        async (api, ws) => await api.Usage.ListUsagePointsAsync(new ListUsagePointsRequest
        {
            WorkspaceId = ws, Item = BillingItem.Logs, Granularity = UsagePointGranularity.Hourly,
            StartTime = Timestamp.FromDateTimeOffset(now.AddDays(-7)), EndTime = Timestamp.FromDateTimeOffset(now),
        }),
        async (api, ws) => await api.Usage.ListUsagePointsAsync(new ListUsagePointsRequest
        {
            WorkspaceId = ws, Item = BillingItem.Logs, Granularity = UsagePointGranularity.Daily,
            StartTime = Timestamp.FromDateTimeOffset(now.AddDays(-30)), EndTime = Timestamp.FromDateTimeOffset(now),
        }),
        async (api, ws) => await api.Settlement.GetConsumptionSummaryAsync(new GetConsumptionSummaryRequest { WorkspaceId = ws }),
        async (api, ws) => await api.Settlement.ListDailyBillsAsync(new ListDailyBillsRequest { WorkspaceId = ws, Year = now.Year, Month = now.Month }),
    ];

    [Fact]
    public async Task A_revoked_token_is_refused_at_the_next_read()
    {
        var ws = await _host.CreateWorkspaceAsync();
        foreach (var read in Reads(_host.Clock.GetUtcNow()))
        {
            var created = await ws.Administrator.Api.Identity.CreateApiTokenAsync(new CreateApiTokenRequest { DisplayName = "dashboard" });
            var dashboard = _host.Api(created.Token);
            await read(dashboard, ws.Id);
            await ws.Administrator.Api.Identity.RevokeApiTokenAsync(new RevokeApiTokenRequest { ApiTokenId = created.ApiToken.ApiTokenId });
            await RpcAssert.Fails(StatusCode.Unauthenticated, () => read(dashboard, ws.Id), "TOKEN_REVOKED");
        }
    }

    [Fact]
    public async Task A_removed_member_gets_not_found_at_the_next_read()
    {
        var ws = await _host.CreateWorkspaceAsync();
        foreach (var read in Reads(_host.Clock.GetUtcNow()))
        {
            var member = await _host.SignUpAsync("member");
            await ws.Owner.Api.Workspaces.AddMemberAsync(new AddMemberRequest { WorkspaceId = ws.Id, Email = member.Email, Role = WorkspaceRole.Administrator });
            await read(member.Api, ws.Id);
            await ws.Owner.Api.Workspaces.RemoveMemberAsync(new RemoveMemberRequest { WorkspaceId = ws.Id, UserId = member.Id });
            await RpcAssert.Fails(StatusCode.NotFound, () => read(member.Api, ws.Id), "WORKSPACE_NOT_FOUND");
        }
    }

    [Fact]
    public async Task A_member_moved_to_a_role_without_billing_is_denied_at_the_next_read()
    {
        var ws = await _host.CreateWorkspaceAsync();
        foreach (var read in Reads(_host.Clock.GetUtcNow()))
        {
            await ws.Owner.Api.Workspaces.UpdateMemberRoleAsync(new UpdateMemberRoleRequest { WorkspaceId = ws.Id, UserId = ws.Administrator.Id, Role = WorkspaceRole.Administrator });
            await read(ws.Administrator.Api, ws.Id);
            await ws.Owner.Api.Workspaces.UpdateMemberRoleAsync(new UpdateMemberRoleRequest { WorkspaceId = ws.Id, UserId = ws.Administrator.Id, Role = WorkspaceRole.ReadOnly });
            await RpcAssert.Fails(StatusCode.PermissionDenied, () => read(ws.Administrator.Api, ws.Id), "ROLE_NOT_PERMITTED");
        }
    }

    [Fact]
    public async Task An_unknown_workspace_and_a_workspace_of_another_tenant_look_alike()
    {
        var ws = await _host.CreateWorkspaceAsync();
        foreach (var read in Reads(_host.Clock.GetUtcNow()))
        {
            var unknown = await RpcAssert.Fails(StatusCode.NotFound, () => read(ws.Outsider.Api, WorkspaceSteps.UnknownWorkspaceId), "WORKSPACE_NOT_FOUND");
            var foreign = await RpcAssert.Fails(StatusCode.NotFound, () => read(ws.Outsider.Api, ws.Id), "WORKSPACE_NOT_FOUND");
            Assert.Equal(unknown.Status.Detail.Replace(WorkspaceSteps.UnknownWorkspaceId, "ID", StringComparison.Ordinal), foreign.Status.Detail.Replace(ws.Id, "ID", StringComparison.Ordinal));
            await RpcAssert.Fails(StatusCode.NotFound, () => read(_host.Operator, WorkspaceSteps.UnknownWorkspaceId), "WORKSPACE_NOT_FOUND");
            await read(_host.Operator, ws.Id);
        }
    }
}
