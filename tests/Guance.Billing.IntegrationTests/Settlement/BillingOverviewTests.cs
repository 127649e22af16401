using Grpc.Core;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.V1;
using static Guance.Billing.IntegrationTests.Infrastructure.BillingCenterScenario;
using static Guance.Billing.IntegrationTests.Settlement.SettlementRulesKit;

namespace Guance.Billing.IntegrationTests.Settlement;

/// <summary>
/// GetBillingOverview (docs/domain.md §2, §6): the settlement account's figures (cash, vouchers, prepaid
/// cards, arrears, what is available, the lock countdown) for the Owner and Administrators, and the
/// billing actions the caller may take: the Owner's four on a commercial workspace (the upgrade on an
/// experience one), none for an Administrator; Standard and Read-only have no billing module at all.
/// </summary>
public sealed class BillingOverviewTests : IClassFixture<BillingHost>
{
    private static readonly BillingAction[] OwnerActions =
    [
        BillingAction.Recharge, BillingAction.OpenBillingCenter, BillingAction.ChangeSettlementMethod, BillingAction.ChangeBinding,
    ];

    private readonly BillingHost host;

    public BillingOverviewTests(BillingHost host)
    {
        this.host = host;
        host.WithLongSessions();
    }

    private DateTimeOffset Now => host.Clock.GetUtcNow();

    private static async Task<BillingOverview> OverviewAsync(TestUser user, TestWorkspace workspace) =>
        (await user.Api.Settlement.GetBillingOverviewAsync(new GetBillingOverviewRequest { WorkspaceId = workspace.Id })).Overview;

    [Fact]
    public async Task The_Owner_and_Administrators_see_the_accounts_balances_and_only_the_Owner_gets_actions()
    {
        var workspace = await host.CreateWorkspaceAsync("cn1");
        var account = await host.UpgradeAsync(workspace);
        await host.RechargeAsync(account.Id, 123.45m);
        await host.GrantVoucherAsync(account.Id, 20m);
        await host.GrantVoucherAsync(account.Id, 30m, VoucherKind.FullReduction);
        await host.IssueCardAsync(account.Id, 100m);

        var owner = await OverviewAsync(workspace.Owner, workspace);
        Assert.Equal(workspace.Id, owner.WorkspaceId);
        Assert.Equal(Plan.Commercial, owner.Plan);
        Assert.Equal(SettlementMethod.BillingCenter, owner.Method);
        Assert.Equal(account.Id, owner.BillingAccountId);
        Assert.Equal(account.Username, owner.BillingAccountUsername);
        Assert.Equal(account.Account.DisplayName, owner.BillingAccountDisplayName);
        Assert.Equal(12345, owner.Cash.Cents());
        Assert.Equal(2000, owner.OrdinaryVouchers.Cents());
        Assert.Equal(3000, owner.FullReductionVouchers.Cents());
        Assert.Equal(10000, owner.PrepaidCards.Cents());
        Assert.Equal(0, owner.Arrears.Cents());
        // 123.45 + 20.00 + 30.00 + 100.00 = 273.45
        Assert.Equal(27345, owner.Available.Cents());
        Assert.False(owner.Locked);
        Assert.Null(owner.ArrearsSince);
        Assert.Null(owner.LockTime);
        Assert.Equal(OwnerActions, owner.Actions);

        // The Administrator sees the same figures and may take no action.
        var administrator = await OverviewAsync(workspace.Administrator, workspace);
        Assert.Empty(administrator.Actions);
        administrator.Actions.Add(OwnerActions);
        Assert.Equal(owner, administrator);
        // So does the operator, who is no member.
        Assert.Empty((await host.Operator.Settlement.GetBillingOverviewAsync(new GetBillingOverviewRequest { WorkspaceId = workspace.Id })).Overview.Actions);
    }

    [Fact]
    public async Task Arrears_show_with_their_countdown_then_the_lock_and_a_payment_clears_both()
    {
        var workspace = await host.CreateWorkspaceAsync("cn1");
        var account = await host.UpgradeAsync(workspace);
        await host.RechargeAsync(account.Id, 123.45m);
        await host.GrantVoucherAsync(account.Id, 20m, validFor: TimeSpan.FromDays(60));
        await host.GrantVoucherAsync(account.Id, 30m, VoucherKind.FullReduction, validFor: TimeSpan.FromDays(60));
        await host.IssueCardAsync(account.Id, 100m);

        // 300.00 of logs: ordinary vouchers 20.00, full-reduction vouchers 30.00, cards 100.00, cash
        // 123.45, and 300.00 - 273.45 = 26.55 of arrears.
        var arrearsSince = Now;
        await host.Operator.BillingAccounts.ChargeAsync(Charge(account.Id, ("logs", 300m)));
        var owing = await OverviewAsync(workspace.Owner, workspace);
        Assert.Equal(0, owing.Cash.Cents());
        Assert.Equal(0, owing.OrdinaryVouchers.Cents());
        Assert.Equal(0, owing.FullReductionVouchers.Cents());
        Assert.Equal(0, owing.PrepaidCards.Cents());
        Assert.Equal(2655, owing.Arrears.Cents());
        Assert.Equal(0, owing.Available.Cents());
        Assert.Equal(arrearsSince, owing.ArrearsSince.ToDateTimeOffset());
        Assert.Equal(arrearsSince.AddDays(14), owing.LockTime.ToDateTimeOffset());
        Assert.False(owing.Locked);
        Assert.Equal(OwnerActions, owing.Actions);

        // The lock takes effect at the end of the 14-day settlement period, not a second earlier.
        host.MoveClockTo(arrearsSince.AddDays(14).AddSeconds(-1));
        Assert.False((await OverviewAsync(workspace.Administrator, workspace)).Locked);
        host.MoveClockTo(arrearsSince.AddDays(14));
        var locked = await OverviewAsync(workspace.Administrator, workspace);
        Assert.True(locked.Locked);
        Assert.Equal(2655, locked.Arrears.Cents());
        Assert.Equal(arrearsSince.AddDays(14), locked.LockTime.ToDateTimeOffset());
        Assert.True((await host.SettlementAsync(workspace.Id)).Locked);

        // Paying less than the arrears leaves the lock; paying the rest lifts it at once.
        await host.RechargeAsync(account.Id, 6.55m);
        var partly = await OverviewAsync(workspace.Owner, workspace);
        Assert.Equal(2000, partly.Arrears.Cents());
        Assert.True(partly.Locked);
        await host.RechargeAsync(account.Id, 25m);
        var paid = await OverviewAsync(workspace.Owner, workspace);
        Assert.Equal(0, paid.Arrears.Cents());
        // 6.55 + 25.00 - 26.55 = 5.00 of cash.
        Assert.Equal(500, paid.Cash.Cents());
        Assert.Equal(500, paid.Available.Cents());
        Assert.False(paid.Locked);
        Assert.Null(paid.ArrearsSince);
        Assert.Null(paid.LockTime);
    }

    [Fact]
    public async Task An_experience_workspace_has_no_account_and_offers_its_Owner_the_upgrade()
    {
        var workspace = await host.CreateWorkspaceAsync("cn4");
        var owner = await OverviewAsync(workspace.Owner, workspace);
        Assert.Equal(Plan.Experience, owner.Plan);
        Assert.Equal(SettlementMethod.Unspecified, owner.Method);
        Assert.Equal("", owner.BillingAccountId);
        Assert.Equal("", owner.BillingAccountUsername);
        Assert.Equal(0, owner.Cash.Cents());
        Assert.Equal(0, owner.Available.Cents());
        Assert.False(owner.Locked);
        Assert.Equal(new[] { BillingAction.UpgradeToCommercial }, owner.Actions);
        Assert.Empty((await OverviewAsync(workspace.Administrator, workspace)).Actions);
    }

    [Fact]
    public async Task Standard_and_Read_only_members_have_no_billing_and_others_are_not_told_it_exists()
    {
        var workspace = await host.CreateWorkspaceAsync("cn1");
        await host.UpgradeAsync(workspace);
        var request = new GetBillingOverviewRequest { WorkspaceId = workspace.Id };
        await RpcAssert.Fails(StatusCode.PermissionDenied, () => workspace.Standard.Api.Settlement.GetBillingOverviewAsync(request), "ROLE_NOT_PERMITTED");
        await RpcAssert.Fails(StatusCode.PermissionDenied, () => workspace.ReadOnly.Api.Settlement.GetBillingOverviewAsync(request), "ROLE_NOT_PERMITTED");
        await RpcAssert.Fails(StatusCode.NotFound, () => workspace.Outsider.Api.Settlement.GetBillingOverviewAsync(request), "WORKSPACE_NOT_FOUND");
        await RpcAssert.Fails(StatusCode.Unauthenticated, () => host.Api().Settlement.GetBillingOverviewAsync(request), "TOKEN_MISSING");
        await RpcAssert.InvalidFields(() => workspace.Owner.Api.Settlement.GetBillingOverviewAsync(new GetBillingOverviewRequest { WorkspaceId = "x" }), "workspace_id");
        await RpcAssert.Fails(StatusCode.NotFound, () => host.Operator.Settlement.GetBillingOverviewAsync(new GetBillingOverviewRequest
        {
            WorkspaceId = Workspaces.WorkspaceSteps.UnknownWorkspaceId,
        }), "WORKSPACE_NOT_FOUND");
    }
}
