using Grpc.Core;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.V1;
using WorkspaceClient = Guance.Billing.V1.WorkspaceService.WorkspaceServiceClient;

namespace Guance.Billing.IntegrationTests.Workspaces;

/// <summary>
/// The permission boundary of every WorkspaceService RPC about a workspace, for every kind of
/// caller: the four roles, a non-member, no token, a revoked token, a collector token and the
/// operator. Each case runs on a fresh workspace; a refused call must change nothing.
/// </summary>
public sealed class PermissionTests(PermissionTests.Team team) : IClassFixture<PermissionTests.Team>
{
    public enum Who
    {
        Owner,
        Administrator,
        Standard,
        ReadOnly,
        NonMember,
        NoToken,
        RevokedToken,
        Collector,
        Operator,
    }

    private static readonly WorkspaceRole[] AllRoles = [WorkspaceRole.Owner, WorkspaceRole.Administrator, WorkspaceRole.Standard, WorkspaceRole.ReadOnly];
    private static readonly WorkspaceRole[] Managers = [WorkspaceRole.Owner, WorkspaceRole.Administrator];
    private static readonly WorkspaceRole[] OwnerOnly = [WorkspaceRole.Owner];

    /// <summary>
    /// One RPC, the roles that may call it, and how to ready a workspace for it. An Owner's own action
    /// (<paramref name="OwnerAlone"/>) is refused to the operator too.
    /// </summary>
    private sealed record RpcCase(WorkspaceRole[] Allowed, Func<BillingHost, TestWorkspace, Task<Func<WorkspaceClient, Task>>> Prepare, bool OwnerAlone = false);

    private static Task<Func<WorkspaceClient, Task>> Ready<T>(Func<WorkspaceClient, AsyncUnaryCall<T>> call) =>
        Task.FromResult<Func<WorkspaceClient, Task>>(client => call(client).ResponseAsync);

    private static readonly Dictionary<string, RpcCase> Cases = new()
    {
        ["GetWorkspace"] = new(AllRoles, (_, ws) => Ready(c => c.GetWorkspaceAsync(new GetWorkspaceRequest { WorkspaceId = ws.Id }))),
        ["UpdateWorkspace"] = new(Managers, (_, ws) => Ready(c => c.UpdateWorkspaceAsync(new UpdateWorkspaceRequest
        {
            WorkspaceId = ws.Id,
            Workspace = new Workspace { Name = "renamed" },
            UpdateMask = new Google.Protobuf.WellKnownTypes.FieldMask { Paths = { "name" } },
        }))),
        ["DissolveWorkspace"] = new(OwnerOnly, (_, ws) => Ready(c => c.DissolveWorkspaceAsync(new DissolveWorkspaceRequest { WorkspaceId = ws.Id })), OwnerAlone: true),
        ["ListMembers"] = new(AllRoles, (_, ws) => Ready(c => c.ListMembersAsync(new ListMembersRequest { WorkspaceId = ws.Id }))),
        ["AddMember as Standard"] = new(Managers, async (host, ws) =>
        {
            var newcomer = await host.SignUpAsync("newcomer");
            return await Ready(c => c.AddMemberAsync(new AddMemberRequest { WorkspaceId = ws.Id, Email = newcomer.Email, Role = WorkspaceRole.Standard }));
        }),
        ["AddMember as Administrator"] = new(OwnerOnly, async (host, ws) =>
        {
            var newcomer = await host.SignUpAsync("newcomer");
            return await Ready(c => c.AddMemberAsync(new AddMemberRequest { WorkspaceId = ws.Id, Email = newcomer.Email, Role = WorkspaceRole.Administrator }));
        }),
        ["UpdateMemberRole Standard to Read-only"] = new(Managers, async (host, ws) =>
        {
            var target = await host.AddNewMemberAsync(ws, WorkspaceRole.Standard, "target");
            return await Ready(c => c.UpdateMemberRoleAsync(new UpdateMemberRoleRequest { WorkspaceId = ws.Id, UserId = target.Id, Role = WorkspaceRole.ReadOnly }));
        }),
        ["UpdateMemberRole Standard to Administrator"] = new(OwnerOnly, async (host, ws) =>
        {
            var target = await host.AddNewMemberAsync(ws, WorkspaceRole.Standard, "target");
            return await Ready(c => c.UpdateMemberRoleAsync(new UpdateMemberRoleRequest { WorkspaceId = ws.Id, UserId = target.Id, Role = WorkspaceRole.Administrator }));
        }),
        ["UpdateMemberRole Administrator to Standard"] = new(OwnerOnly, async (host, ws) =>
        {
            var target = await host.AddNewMemberAsync(ws, WorkspaceRole.Administrator, "target");
            return await Ready(c => c.UpdateMemberRoleAsync(new UpdateMemberRoleRequest { WorkspaceId = ws.Id, UserId = target.Id, Role = WorkspaceRole.Standard }));
        }),
        ["RemoveMember a Standard member"] = new(Managers, async (host, ws) =>
        {
            var target = await host.AddNewMemberAsync(ws, WorkspaceRole.Standard, "target");
            return await Ready(c => c.RemoveMemberAsync(new RemoveMemberRequest { WorkspaceId = ws.Id, UserId = target.Id }));
        }),
        ["RemoveMember an Administrator"] = new(OwnerOnly, async (host, ws) =>
        {
            var target = await host.AddNewMemberAsync(ws, WorkspaceRole.Administrator, "target");
            return await Ready(c => c.RemoveMemberAsync(new RemoveMemberRequest { WorkspaceId = ws.Id, UserId = target.Id }));
        }),
        ["TransferOwnership"] = new(OwnerOnly, async (host, ws) =>
        {
            var heir = await host.AddNewMemberAsync(ws, WorkspaceRole.Standard, "heir");
            return await Ready(c => c.TransferOwnershipAsync(new TransferOwnershipRequest { WorkspaceId = ws.Id, NewOwnerUserId = heir.Id }));
        }, OwnerAlone: true),
        ["UpdateRetention"] = new(OwnerOnly, async (host, ws) =>
        {
            await host.UpgradeAsync(ws);
            return await Ready(c => c.UpdateRetentionAsync(new UpdateRetentionRequest { WorkspaceId = ws.Id, DataType = DataType.Logs, Days = 30 }));
        }, OwnerAlone: true),
        ["CreateCollectorToken"] = new(Managers, (_, ws) => Ready(c => c.CreateCollectorTokenAsync(new CreateCollectorTokenRequest { WorkspaceId = ws.Id, DisplayName = "agents" }))),
        ["ListCollectorTokens"] = new(Managers, (_, ws) => Ready(c => c.ListCollectorTokensAsync(new ListCollectorTokensRequest { WorkspaceId = ws.Id }))),
        ["RevokeCollectorToken"] = new(Managers, async (host, ws) =>
        {
            var token = await host.Operator.Workspaces.CreateCollectorTokenAsync(new CreateCollectorTokenRequest { WorkspaceId = ws.Id, DisplayName = "to revoke" });
            return await Ready(c => c.RevokeCollectorTokenAsync(new RevokeCollectorTokenRequest
            {
                WorkspaceId = ws.Id, CollectorTokenId = token.CollectorToken.CollectorTokenId,
            }));
        }),
    };

    public static TheoryData<string, Who> Matrix
    {
        get
        {
            var data = new TheoryData<string, Who>();
            foreach (var rpc in Cases.Keys)
            {
                foreach (var who in Enum.GetValues<Who>())
                {
                    data.Add(rpc, who);
                }
            }
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Each_caller_gets_what_the_role_table_says(string rpc, Who who)
    {
        var host = team.Host;
        var ws = await team.NewWorkspaceAsync();
        var call = await Cases[rpc].Prepare(host, ws);
        var client = (await team.ApiOfAsync(who, ws)).Workspaces;

        var (code, reason) = Expected(Cases[rpc], who);
        if (code == StatusCode.OK)
        {
            await call(client);
            return;
        }
        var before = await host.SnapshotAsync(ws.Id);
        await RpcAssert.Fails(code, () => call(client), reason);
        Assert.Equal(before, await host.SnapshotAsync(ws.Id));
    }

    private static (StatusCode Code, string? Reason) Expected(RpcCase rpc, Who who)
    {
        WorkspaceRole? role = who switch
        {
            Who.Owner => WorkspaceRole.Owner,
            Who.Administrator => WorkspaceRole.Administrator,
            Who.Standard => WorkspaceRole.Standard,
            Who.ReadOnly => WorkspaceRole.ReadOnly,
            _ => null,
        };
        if (role is { } r)
        {
            return rpc.Allowed.Contains(r) ? (StatusCode.OK, null) : (StatusCode.PermissionDenied, "ROLE_NOT_PERMITTED");
        }
        return who switch
        {
            Who.NonMember => (StatusCode.NotFound, "WORKSPACE_NOT_FOUND"),
            Who.NoToken => (StatusCode.Unauthenticated, "TOKEN_MISSING"),
            Who.RevokedToken => (StatusCode.Unauthenticated, "TOKEN_REVOKED"),
            Who.Collector => (StatusCode.PermissionDenied, "CONSOLE_USER_REQUIRED"),
            Who.Operator => rpc.OwnerAlone ? (StatusCode.PermissionDenied, "OWNER_REQUIRED") : (StatusCode.OK, null),
            _ => throw new ArgumentOutOfRangeException(nameof(who)),
        };
    }

    /// <summary>The host and one user per role, shared by every case; each case gets its own workspace.</summary>
    public sealed class Team : IAsyncLifetime
    {
        public BillingHost Host { get; } = new();
        private TestUser _owner = null!;
        private TestUser _administrator = null!;
        private TestUser _standard = null!;
        private TestUser _readOnly = null!;
        private TestUser _outsider = null!;
        private string _revokedToken = null!;

        public async Task InitializeAsync()
        {
            _owner = await Host.SignUpAsync("owner");
            _administrator = await Host.SignUpAsync("admin");
            _standard = await Host.SignUpAsync("standard");
            _readOnly = await Host.SignUpAsync("readonly");
            _outsider = await Host.SignUpAsync("outsider");
            // The Owner's own token, revoked: even the most powerful caller is refused with it.
            _revokedToken = await _owner.RevokedTokenOfAsync();
        }

        public async Task<TestWorkspace> NewWorkspaceAsync()
        {
            var workspace = (await _owner.Api.Workspaces.CreateWorkspaceAsync(new CreateWorkspaceRequest
            {
                Name = "Permissions", SiteCode = "cn1", ActivationChannel = ActivationChannel.OfficialWebsite,
            })).Workspace;
            foreach (var (user, role) in new[] { (_administrator, WorkspaceRole.Administrator), (_standard, WorkspaceRole.Standard), (_readOnly, WorkspaceRole.ReadOnly) })
            {
                await _owner.Api.Workspaces.AddMemberAsync(new AddMemberRequest { WorkspaceId = workspace.WorkspaceId, Email = user.Email, Role = role });
            }
            return new TestWorkspace(workspace, _owner, _administrator, _standard, _readOnly, _outsider);
        }

        public async Task<Api> ApiOfAsync(Who who, TestWorkspace ws) => who switch
        {
            Who.Owner => _owner.Api,
            Who.Administrator => _administrator.Api,
            Who.Standard => _standard.Api,
            Who.ReadOnly => _readOnly.Api,
            Who.NonMember => _outsider.Api,
            Who.NoToken => Host.Api(),
            Who.RevokedToken => Host.Api(_revokedToken),
            // A working collector token of this very workspace: it reports usage, it does not manage.
            Who.Collector => Host.Api((await Host.Operator.Workspaces.CreateCollectorTokenAsync(
                new CreateCollectorTokenRequest { WorkspaceId = ws.Id, DisplayName = "agent" })).Token),
            Who.Operator => Host.Operator,
            _ => throw new ArgumentOutOfRangeException(nameof(who)),
        };

        public Task DisposeAsync()
        {
            Host.Dispose();
            return Task.CompletedTask;
        }
    }
}
