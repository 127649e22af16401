using Grpc.Core;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.IntegrationTests.Workspaces;
using Guance.Billing.V1;
using static Guance.Billing.IntegrationTests.Settlement.SettlementRulesKit;
using CloudProvider = Guance.Billing.V1.CloudProvider;

namespace Guance.Billing.IntegrationTests.Settlement;

/// <summary>
/// The permission boundary of every SettlementService RPC, for every kind of caller: the four roles, a
/// non-member, no token, a revoked token, a collector token, a billing-center session and the
/// operator (the pattern of <see cref="PermissionTests"/>). Workspace RPCs follow the role table
/// (billing: Owner and Administrator view, the Owner alone acts, the operator included); the jobs, the clock, price list
/// creation and arbitrary selection are the operator's; price lists are public; a billing account's
/// bills are its own session's and the operator's. Each case runs on a fresh workspace; a refused
/// call changes nothing.
/// </summary>
public sealed class SettlementPermissionTests(SettlementPermissionTests.Team team) : IClassFixture<SettlementPermissionTests.Team>
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
        BillingSession,
        Operator,
    }

    private delegate (StatusCode Code, string? Reason) Expectation(Who who);

    /// <summary>One RPC, what each caller gets, and how to ready a fresh workspace for it.</summary>
    private sealed record RpcCase(Expectation Expect, Func<Team, TestWorkspace, Task<Func<Api, Task>>> Prepare);

    private static readonly (StatusCode, string?) Ok = (StatusCode.OK, null);

    /// <summary>A workspace RPC that these roles (and the operator) may call.</summary>
    private static Expectation Roles(params Who[] allowed) => who => who switch
    {
        _ when allowed.Contains(who) || who == Who.Operator => Ok,
        Who.Owner or Who.Administrator or Who.Standard or Who.ReadOnly => (StatusCode.PermissionDenied, "ROLE_NOT_PERMITTED"),
        Who.NonMember => (StatusCode.NotFound, "WORKSPACE_NOT_FOUND"),
        Who.NoToken => (StatusCode.Unauthenticated, "TOKEN_MISSING"),
        Who.RevokedToken => (StatusCode.Unauthenticated, "TOKEN_REVOKED"),
        _ => (StatusCode.PermissionDenied, "CONSOLE_USER_REQUIRED"),
    };

    private static readonly Expectation Managers = Roles(Who.Owner, Who.Administrator);
    /// <summary>The Owner's own actions: not even the operator takes them for a customer (docs/domain.md §2).</summary>
    private static readonly Expectation OwnerOnly = who => who == Who.Operator ? (StatusCode.PermissionDenied, "OWNER_REQUIRED") : Roles(Who.Owner)(who);

    /// <summary>The operator's alone; <paramref name="forOperator"/> is what the operator gets when it is not plain success.</summary>
    private static Expectation OperatorOnly((StatusCode, string?)? forOperator = null) => who => who switch
    {
        Who.Operator => forOperator ?? Ok,
        Who.NoToken => (StatusCode.Unauthenticated, "TOKEN_MISSING"),
        Who.RevokedToken => (StatusCode.Unauthenticated, "TOKEN_REVOKED"),
        _ => (StatusCode.PermissionDenied, "OPERATOR_REQUIRED"),
    };

    /// <summary>Anyone, with or without a token (a token that is sent must still be good).</summary>
    private static readonly Expectation Public = who => who == Who.RevokedToken ? (StatusCode.Unauthenticated, "TOKEN_REVOKED") : Ok;

    /// <summary>The billing account's own session (the bound account's, here) and the operator.</summary>
    private static readonly Expectation AccountOrOperator = who => who switch
    {
        Who.BillingSession or Who.Operator => Ok,
        Who.NoToken => (StatusCode.Unauthenticated, "TOKEN_MISSING"),
        Who.RevokedToken => (StatusCode.Unauthenticated, "TOKEN_REVOKED"),
        _ => (StatusCode.PermissionDenied, "BILLING_CENTER_ONLY"),
    };

    private static Task<Func<Api, Task>> Ready<T>(Func<SettlementService.SettlementServiceClient, AsyncUnaryCall<T>> call) =>
        Task.FromResult<Func<Api, Task>>(api => call(api.Settlement).ResponseAsync);

    private static int _priceListDays;

    private static readonly Dictionary<string, RpcCase> Cases = new()
    {
        ["UpgradeToCommercial"] = new(OwnerOnly, async (team, ws) =>
        {
            var code = await (await team.Host.RegisterBillingAccountAsync("payer")).BindingCodeAsync();
            return await Ready(c => c.UpgradeToCommercialAsync(new UpgradeToCommercialRequest { WorkspaceId = ws.Id, BindingCode = code }));
        }),
        ["ChangeBinding"] = new(OwnerOnly, async (team, ws) =>
        {
            await team.Host.CertifyAsync(await team.BoundAccountAsync(ws));
            var next = await team.Host.RegisterBillingAccountAsync("next");
            await team.Host.CertifyAsync(next);
            var code = await next.BindingCodeAsync();
            return await Ready(c => c.ChangeBindingAsync(new ChangeBindingRequest { WorkspaceId = ws.Id, BindingCode = code }));
        }),
        ["GetSettlement"] = new(Managers, (_, ws) => Ready(c => c.GetSettlementAsync(new GetSettlementRequest { WorkspaceId = ws.Id }))),
        ["ChangeSettlementMethod"] = new(OwnerOnly, async (team, ws) =>
        {
            var cloudAccount = await team.Host.AddCloudAccountAsync((await team.BoundAccountAsync(ws)).Id, CloudProvider.AlibabaCloud);
            return await Ready(c => c.ChangeSettlementMethodAsync(new ChangeSettlementMethodRequest
            {
                WorkspaceId = ws.Id, Method = SettlementMethod.AlibabaCloud, CloudAccountId = cloudAccount,
            }));
        }),
        ["EnableArbitrarySettlement"] = new(OperatorOnly(), async (team, ws) =>
        {
            await team.BoundAccountAsync(ws);
            return await Ready(c => c.EnableArbitrarySettlementAsync(new EnableArbitrarySettlementRequest { WorkspaceId = ws.Id, Enabled = true }));
        }),
        ["GetBillingOverview"] = new(Managers, (_, ws) => Ready(c => c.GetBillingOverviewAsync(new GetBillingOverviewRequest { WorkspaceId = ws.Id }))),
        ["ListPriceLists"] = new(Public, (_, _) => Ready(c => c.ListPriceListsAsync(new ListPriceListsRequest()))),
        ["GetPriceList"] = new(Public, (_, _) => Ready(c => c.GetPriceListAsync(new GetPriceListRequest { SiteCode = "cn1" }))),
        ["CreatePriceList"] = new(OperatorOnly(), async (team, _) =>
        {
            var current = (await team.Host.Operator.Settlement.GetPriceListAsync(new GetPriceListRequest { SiteCode = "us1" })).PriceList;
            var day = LocalDay(team.Host.Clock.GetUtcNow(), "Asia/Shanghai").AddDays(100 + Interlocked.Increment(ref _priceListDays));
            return await Ready(c => c.CreatePriceListAsync(new CreatePriceListRequest
            {
                Region = PriceRegion.Intl, EffectiveDay = SettlementScenario.Day(day), BasePriceListId = current.PriceListId, Description = "permission test",
            }));
        }),
        ["CloseDay"] = new(OperatorOnly(), (team, _) =>
        {
            var yesterday = LocalDay(team.Host.Clock.GetUtcNow(), "Asia/Shanghai").AddDays(-1);
            return Ready(c => c.CloseDayAsync(new CloseDayRequest { SiteCode = "cn1", Day = SettlementScenario.Day(yesterday) }));
        }),
        ["ListDailyBills of a workspace"] = new(Managers, (team, ws) =>
        {
            var now = team.Host.Clock.GetUtcNow();
            return Ready(c => c.ListDailyBillsAsync(new ListDailyBillsRequest { WorkspaceId = ws.Id, Year = now.Year, Month = now.Month }));
        }),
        ["ListDailyBills of a billing account"] = new(AccountOrOperator, async (team, ws) =>
        {
            var account = await team.BoundAccountAsync(ws);
            var now = team.Host.Clock.GetUtcNow();
            return await Ready(c => c.ListDailyBillsAsync(new ListDailyBillsRequest { BillingAccountId = account.Id, Year = now.Year, Month = now.Month }));
        }),
        ["GetConsumptionSummary"] = new(Managers, async (team, ws) =>
        {
            await team.BoundAccountAsync(ws);
            return await Ready(c => c.GetConsumptionSummaryAsync(new GetConsumptionSummaryRequest { WorkspaceId = ws.Id }));
        }),
        ["ProcessArrears"] = new(OperatorOnly(), (_, _) => Ready(c => c.ProcessArrearsAsync(new ProcessArrearsRequest()))),
        ["GetClock"] = new(OperatorOnly(), (_, _) => Ready(c => c.GetClockAsync(new GetClockRequest()))),
        // The tests' host runs on the system clock's stand-in: the operator passes the gate and is told so.
        ["AdvanceClock"] = new(OperatorOnly((StatusCode.FailedPrecondition, "CLOCK_NOT_SIMULATED")), (_, _) =>
            Ready(c => c.AdvanceClockAsync(new AdvanceClockRequest { Duration = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(TimeSpan.FromHours(1)) }))),
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

    [Fact]
    public void Every_rpc_of_the_service_is_in_the_table()
    {
        var rpcs = SettlementService.Descriptor.Methods.Select(m => m.Name).Order();
        Assert.Equal(rpcs, Cases.Keys.Select(k => k.Split(' ')[0]).Distinct().Order());
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Each_caller_gets_what_the_role_table_says(string rpc, Who who)
    {
        var host = team.Host;
        var ws = await team.NewWorkspaceAsync();
        var call = await Cases[rpc].Prepare(team, ws);
        var api = await team.ApiOfAsync(who, ws);

        var (code, reason) = Cases[rpc].Expect(who);
        if (code == StatusCode.OK)
        {
            await call(api);
            return;
        }
        var before = await team.SnapshotAsync(ws);
        await RpcAssert.Fails(code, () => call(api), reason);
        Assert.Equal(before, await team.SnapshotAsync(ws));
    }

    /// <summary>The host and one user per role, shared by every case; each case gets its own workspace.</summary>
    public sealed class Team : IAsyncLifetime
    {
        private readonly Dictionary<string, TestBillingAccount> _bound = new();
        private TestUser _owner = null!;
        private TestUser _administrator = null!;
        private TestUser _standard = null!;
        private TestUser _readOnly = null!;
        private TestUser _outsider = null!;
        private string _revokedToken = null!;

        public Team()
        {
            Host.WithLongSessions();
        }

        public BillingHost Host { get; } = new();

        public async Task InitializeAsync()
        {
            _owner = await Host.SignUpAsync("owner");
            _administrator = await Host.SignUpAsync("admin");
            _standard = await Host.SignUpAsync("standard");
            _readOnly = await Host.SignUpAsync("readonly");
            _outsider = await Host.SignUpAsync("outsider");
            _revokedToken = await _owner.RevokedTokenOfAsync();
        }

        public async Task<TestWorkspace> NewWorkspaceAsync()
        {
            var workspace = (await _owner.Api.Workspaces.CreateWorkspaceAsync(new CreateWorkspaceRequest
            {
                Name = "Settlement permissions", SiteCode = "cn1", ActivationChannel = ActivationChannel.OfficialWebsite,
            })).Workspace;
            foreach (var (user, role) in new[] { (_administrator, WorkspaceRole.Administrator), (_standard, WorkspaceRole.Standard), (_readOnly, WorkspaceRole.ReadOnly) })
            {
                await _owner.Api.Workspaces.AddMemberAsync(new AddMemberRequest { WorkspaceId = workspace.WorkspaceId, Email = user.Email, Role = role });
            }
            return new TestWorkspace(workspace, _owner, _administrator, _standard, _readOnly, _outsider);
        }

        /// <summary>Upgrades the workspace (once) and returns the billing account it is bound to.</summary>
        public async Task<TestBillingAccount> BoundAccountAsync(TestWorkspace workspace)
        {
            if (!_bound.TryGetValue(workspace.Id, out var account))
            {
                account = await Host.UpgradeAsync(workspace);
                _bound[workspace.Id] = account;
            }
            return account;
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
            Who.Collector => Host.Api((await Host.Operator.Workspaces.CreateCollectorTokenAsync(
                new CreateCollectorTokenRequest { WorkspaceId = ws.Id, DisplayName = "agent" })).Token),
            // The session of the account the workspace pays through (a new account's when not upgraded).
            Who.BillingSession => _bound.TryGetValue(ws.Id, out var account) ? account.Api : (await Host.RegisterBillingAccountAsync("session")).Api,
            Who.Operator => Host.Operator,
            _ => throw new ArgumentOutOfRangeException(nameof(who)),
        };

        /// <summary>The workspace, its settlement and its overview, to prove that a refused call changed nothing.</summary>
        public async Task<string> SnapshotAsync(TestWorkspace workspace)
        {
            var settlement = await Host.SettlementAsync(workspace.Id);
            var overview = await Host.Operator.Settlement.GetBillingOverviewAsync(new GetBillingOverviewRequest { WorkspaceId = workspace.Id });
            return string.Join('\n', await Host.SnapshotAsync(workspace.Id), settlement, overview);
        }

        public Task DisposeAsync()
        {
            Host.Dispose();
            return Task.CompletedTask;
        }
    }
}
