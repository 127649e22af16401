using Grpc.Core;
using Guance.Billing.Data;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.IntegrationTests.Usage;
using Guance.Billing.V1;
using Guance.Billing.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NotificationTexts = Guance.Billing.Notifications.NotificationTexts;
using static Guance.Billing.IntegrationTests.Settlement.SettlementLifeKit;

namespace Guance.Billing.IntegrationTests.Settlement;

/// <summary>
/// The arrears countdown on the tests' fake clock, jobs run by their RPCs (ProcessArrears, CloseDay).
/// Each test has its own host, so that ProcessArrears's counts are this test's alone. Every test starts
/// from the same arrears:
/// <code>
/// Nov 2 (China 1, UTC+8), upgraded 09:30, no money: logs 2,000,000 / 1,000,000 = 2.00 units × 1.50 (14 days) = 3.00
/// CloseDay at Nov 3 00:30 → 3.00 arrears since Nov 3 00:30; lock at + 14 days = Nov 17 00:30; warning from Nov 14 00:30
/// </code>
/// </summary>
public sealed class ArrearsTests : IDisposable
{
    private const string Agent = "agent-1";
    private static readonly TimeSpan Microsecond = TimeSpan.FromTicks(10);
    private static readonly DateTimeOffset ArrearsSince = Local(11, 3, 0, 30);
    private static readonly DateTimeOffset LockAt = Local(11, 17, 0, 30);
    private static readonly DateTimeOffset WarnAt = Local(11, 14, 0, 30);

    private readonly BillingHost host = new();
    private long sequence = 1;

    public ArrearsTests() => host.LongLivedTokens();

    public void Dispose() => host.Dispose();

    private sealed record Debtor(TestWorkspace Workspace, Api Collector, TestBillingAccount Account);

    private async Task<Debtor> InArrearsAsync()
    {
        var workspace = await host.CreateWorkspaceAsync("cn1");
        var collector = await host.CollectorAsync(workspace);
        var account = await host.UpgradeAsync(workspace);
        host.Clock.SetUtcNow(Local(11, 2, 10, 30));
        await collector.ReportAsync(Agent, sequence, UsageTestKit.Record(BillingItem.Logs, 2_000_000, Local(11, 2, 10, 10)));
        host.Clock.SetUtcNow(ArrearsSince);
        var close = await host.CloseDayAsync("cn1", new DateOnly(2026, 11, 2));
        Cny(300, close.Total, "the day's total");
        var bill = await host.BillAsync(workspace.Id, new DateOnly(2026, 11, 2));
        Cny(300, bill.Arrears, "the bill's arrears");

        var settlement = await host.SettlementAsync(workspace.Id);
        Assert.Equal(ArrearsSince, settlement.ArrearsSince.ToDateTimeOffset());
        Assert.Equal(LockAt, settlement.LockTime.ToDateTimeOffset());
        Assert.False(settlement.Locked);
        return new Debtor(workspace, collector, account);
    }

    private Task<ReportUsageResponse> ReportNowAsync(Debtor debtor) =>
        debtor.Collector.ReportAsync(Agent, ++sequence, UsageTestKit.Record(BillingItem.Logs, 1_000, host.Clock.GetUtcNow()));

    private Task RefusedAsync(Debtor debtor) =>
        RpcAssert.Fails(StatusCode.FailedPrecondition, () => ReportNowAsync(debtor), "WORKSPACE_LOCKED");

    private async Task<(int Warnings, int Locks)> ProcessAsync()
    {
        var run = await host.Operator.Settlement.ProcessArrearsAsync(new ProcessArrearsRequest());
        return (run.LockWarnings, run.Locks);
    }

    private async Task<bool> LockedAsync(Debtor debtor)
    {
        var locked = (await host.SettlementAsync(debtor.Workspace.Id)).Locked;
        Assert.Equal(locked, (await debtor.Workspace.OverviewAsync()).Locked);
        return locked;
    }

    /// <summary>Workspace notices go to the paying account, the Owner and the Administrators (docs/domain.md §9).</summary>
    private static void ToOwnerAndAccount(Debtor debtor, IEnumerable<Notification> notices) =>
        Assert.Equal(new[] { debtor.Account.Account.Email, debtor.Workspace.Owner.Email, debtor.Workspace.Administrator.Email }.Order(),
            notices.Select(n => n.Recipient).Order());

    [Fact]
    public async Task The_lock_takes_effect_exactly_at_the_end_of_the_14_days_and_not_before()
    {
        var debtor = await InArrearsAsync();

        host.Clock.SetUtcNow(LockAt - Microsecond);
        Assert.False(await LockedAsync(debtor));
        await ReportNowAsync(debtor);

        // The lock needs no job: at the instant, usage is refused and every view shows it.
        host.Clock.SetUtcNow(LockAt);
        Assert.True(await LockedAsync(debtor));
        await RefusedAsync(debtor);
        var overview = await debtor.Workspace.OverviewAsync();
        Assert.Equal(LockAt, overview.LockTime.ToDateTimeOffset());
        Assert.Equal(ArrearsSince, overview.ArrearsSince.ToDateTimeOffset());
        Cny(300, overview.Arrears, "overview arrears");
        // Its announcement is the job's.
        Assert.Empty(await host.NoticesAsync(debtor.Account.Id, NotificationKind.WorkspaceLocked));
    }

    [Fact]
    public async Task ProcessArrears_warns_3_days_before_and_announces_the_lock_once_however_often_it_runs()
    {
        var debtor = await InArrearsAsync();

        host.Clock.SetUtcNow(WarnAt - Microsecond);
        Assert.Equal((0, 0), await ProcessAsync());
        Assert.Empty(await host.NoticesAsync(debtor.Account.Id, NotificationKind.WorkspaceLockWarning));

        host.Clock.SetUtcNow(WarnAt);
        Assert.Equal((1, 0), await ProcessAsync());
        Assert.Equal((0, 0), await ProcessAsync());
        var warnings = await host.NoticesAsync(debtor.Account.Id, NotificationKind.WorkspaceLockWarning);
        ToOwnerAndAccount(debtor, warnings);
        Assert.All(warnings, n => Assert.Equal(debtor.Workspace.Id, n.Reference));
        Assert.False(await LockedAsync(debtor));

        host.Clock.SetUtcNow(LockAt - Microsecond);
        Assert.Equal((0, 0), await ProcessAsync());
        host.Clock.SetUtcNow(LockAt);
        Assert.Equal((0, 1), await ProcessAsync());
        Assert.Equal((0, 0), await ProcessAsync());
        host.Clock.SetUtcNow(LockAt.AddDays(1));
        Assert.Equal((0, 0), await ProcessAsync());
        ToOwnerAndAccount(debtor, await host.NoticesAsync(debtor.Account.Id, NotificationKind.WorkspaceLocked));
        Assert.Equal(3, (await host.NoticesAsync(debtor.Account.Id, NotificationKind.WorkspaceLockWarning)).Count);
        Assert.True(await LockedAsync(debtor));

        // The countdown moves no money.
        var wallet = await host.WalletAsync(debtor.Account.Id);
        Cny(300, wallet.Arrears, "arrears");
        Cny(0, wallet.Cash, "cash");
        await host.AssertLedgerCleanAsync(debtor.Account.Id);

        // Operator only.
        var (console, collector) = await host.ConsoleAndCollectorAsync();
        foreach (var caller in new[] { console, collector, debtor.Workspace.Owner.Api, debtor.Account.Api })
        {
            await RpcAssert.Fails(StatusCode.PermissionDenied, () => caller.Settlement.ProcessArrearsAsync(new ProcessArrearsRequest()), "OPERATOR_REQUIRED");
        }
        await RpcAssert.Fails(StatusCode.Unauthenticated, () => host.Api().Settlement.ProcessArrearsAsync(new ProcessArrearsRequest()), "TOKEN_MISSING");
    }

    [Fact]
    public async Task Paying_the_arrears_in_full_unlocks_at_once()
    {
        var debtor = await InArrearsAsync();
        host.Clock.SetUtcNow(LockAt.AddDays(1));
        // Past the lock with no run in the warning window: no late warning, only the lock.
        Assert.Equal((0, 1), await ProcessAsync());
        Assert.True(await LockedAsync(debtor));

        // 2.99 of the 3.00 owed: still locked.
        var partial = await host.RechargeAsync(debtor.Account.Id, 2.99m);
        Cny(299, partial.ArrearsPaid, "partial arrears paid");
        Cny(0, partial.CashAdded, "partial cash added");
        Cny(1, partial.Wallet.Arrears, "arrears left");
        Assert.True(await LockedAsync(debtor));
        await RefusedAsync(debtor);
        Assert.Empty(await host.NoticesAsync(debtor.Account.Id, NotificationKind.WorkspaceUnlocked));

        // The last cent: unlocked in the payment's own transaction, usage accepted at the same instant.
        var rest = await host.RechargeAsync(debtor.Account.Id, 0.01m);
        Cny(1, rest.ArrearsPaid, "last cent");
        Cny(0, rest.Wallet.Arrears, "arrears after");
        Assert.False(await LockedAsync(debtor));
        var settlement = await host.SettlementAsync(debtor.Workspace.Id);
        Assert.Null(settlement.LockTime);
        Assert.Null(settlement.ArrearsSince);
        await ReportNowAsync(debtor);
        ToOwnerAndAccount(debtor, await host.NoticesAsync(debtor.Account.Id, NotificationKind.WorkspaceUnlocked));
        ToOwnerAndAccount(debtor, await host.NoticesAsync(debtor.Account.Id, NotificationKind.ArrearsPaid));
        Assert.Equal((0, 0), await ProcessAsync());
        await host.AssertLedgerCleanAsync(debtor.Account.Id);
    }

    /// <summary>Joint billing: the arrears of one account lock every workspace it pays for, one bound after they began included.</summary>
    [Fact]
    public async Task The_arrears_of_a_billing_account_lock_every_workspace_it_pays_for()
    {
        var debtor = await InArrearsAsync();
        var second = await host.CreateWorkspaceAsync("cn1");
        var secondCollector = await host.CollectorAsync(second);
        host.Clock.SetUtcNow(Local(11, 5, 10));
        await host.UpgradeAsync(second, debtor.Account);
        // Bound into running arrears: the account's countdown, not a new one.
        var settlement = await host.SettlementAsync(second.Id);
        Assert.Equal(ArrearsSince, settlement.ArrearsSince.ToDateTimeOffset());
        Assert.Equal(LockAt, settlement.LockTime.ToDateTimeOffset());

        host.Clock.SetUtcNow(WarnAt);
        Assert.Equal((2, 0), await ProcessAsync());
        host.Clock.SetUtcNow(LockAt);
        Assert.Equal((0, 2), await ProcessAsync());
        await RefusedAsync(debtor);
        await RpcAssert.Fails(StatusCode.FailedPrecondition,
            () => secondCollector.ReportAsync(Agent, 1, UsageTestKit.Record(BillingItem.Logs, 1_000, LockAt)), "WORKSPACE_LOCKED");
        Assert.Equal(6, (await host.NoticesAsync(debtor.Account.Id, NotificationKind.WorkspaceLocked)).Count); // 2 workspaces × (account, Owner, Administrator)

        await host.RechargeAsync(debtor.Account.Id, 3m);
        Assert.False((await host.SettlementAsync(second.Id)).Locked);
        Assert.False(await LockedAsync(debtor));
        await secondCollector.ReportAsync(Agent, 2, UsageTestKit.Record(BillingItem.Logs, 1_000, LockAt));
        await ReportNowAsync(debtor);
        Assert.Equal(6, (await host.NoticesAsync(debtor.Account.Id, NotificationKind.WorkspaceUnlocked)).Count);
    }

    [Fact]
    public async Task Arrears_paid_before_the_lock_date_cancel_the_lock()
    {
        var debtor = await InArrearsAsync();
        host.Clock.SetUtcNow(LockAt.AddDays(-1));
        var paid = await host.RechargeAsync(debtor.Account.Id, 5m);
        Cny(300, paid.ArrearsPaid, "arrears paid");
        Cny(200, paid.CashAdded, "cash added"); // 5.00 - 3.00
        Assert.Null((await host.SettlementAsync(debtor.Workspace.Id)).LockTime);

        host.Clock.SetUtcNow(LockAt.AddHours(1));
        Assert.Equal((0, 0), await ProcessAsync());
        Assert.False(await LockedAsync(debtor));
        await ReportNowAsync(debtor);
        Assert.Empty(await host.NoticesAsync(debtor.Account.Id, NotificationKind.WorkspaceLocked));
        // Never locked, so no unlock notice either.
        Assert.Empty(await host.NoticesAsync(debtor.Account.Id, NotificationKind.WorkspaceUnlocked));
    }

    /// <summary>An instant as a notice to an account that pays for China 1 workspaces writes it.</summary>
    private static string Written(DateTimeOffset at) => NotificationTexts.Time(at, Sites.Get("cn1").TimeZone);

    [Fact]
    public async Task The_arrears_notice_names_the_lock_date_of_the_workspaces_the_account_pays_for()
    {
        var debtor = await InArrearsAsync();

        // The Owner and Administrator of the workspace it pays for are told too, 14 days before the lock, not 3.
        var notices = await host.NoticesAsync(debtor.Account.Id, NotificationKind.ArrearsStarted);
        ToOwnerAndAccount(debtor, notices);
        Assert.All(notices, n => Assert.Contains($"将于 {Written(LockAt)} 被锁定", n.Body, StringComparison.Ordinal)); // a China site's account: Chinese
        Assert.Single(notices.Select(n => n.Reference).Distinct()); // the charge's transaction
    }

    [Fact]
    public async Task The_arrears_notice_of_an_account_that_pays_for_no_workspace_through_the_billing_center_promises_no_lock()
    {
        var account = await host.RegisterBillingAccountAsync("no-workspace");

        await host.Operator.BillingAccounts.ChargeAsync(BillingCenterScenario.Charge(account.Id, ("logs", 3m)));

        var notice = Assert.Single(await host.NoticesAsync(account.Id, NotificationKind.ArrearsStarted));
        Assert.Contains("These arrears lock none of its workspaces, since it pays for none through the billing center", notice.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("locked on", notice.Body, StringComparison.Ordinal);
    }

    /// <summary>A countdown that was already running keeps its date; the notice names the first lock.</summary>
    [Fact]
    public async Task The_arrears_notice_names_the_first_lock_when_a_workspace_already_had_a_countdown()
    {
        var early = await host.CreateWorkspaceAsync("cn1");
        var account = await host.UpgradeAsync(early);
        var late = await host.CreateWorkspaceAsync("cn1");
        await host.UpgradeAsync(late, account);
        var earlier = Local(11, 10, 12);
        await SetLockAtAsync(early.Id, earlier); // not one these arrears started: the API makes none such today
        var arrearsSince = host.Clock.GetUtcNow();
        await Webhooks.WebhookKit.CreateEndpointAsync(account);

        await host.Operator.BillingAccounts.ChargeAsync(BillingCenterScenario.Charge(account.Id, ("logs", 3m)));

        Assert.Equal(earlier, (await host.SettlementAsync(early.Id)).LockTime.ToDateTimeOffset());
        var later = arrearsSince + TimeSpan.FromDays(14);
        Assert.Equal(later, (await host.SettlementAsync(late.Id)).LockTime.ToDateTimeOffset());
        // One message per address: the account's, and the Owners' and Administrators' of both workspaces.
        var notices = await host.NoticesAsync(account.Id, NotificationKind.ArrearsStarted);
        Assert.Equal(new[] { account.Account.Email, early.Owner.Email, early.Administrator.Email, late.Owner.Email, late.Administrator.Email }.Order(),
            notices.Select(n => n.Recipient).Order());
        Assert.All(notices, notice => Assert.Contains($"将于 {Written(earlier)} 被锁定", notice.Body, StringComparison.Ordinal));
        Assert.All(notices, notice => Assert.DoesNotContain(Written(later), notice.Body, StringComparison.Ordinal));
        // The account's endpoint gets one event of the notice, not one per address.
        var toWebhooks = Assert.Single(notices, n => n.Channels.Any(c => c.Channel == NotificationChannel.Webhook));
        Assert.Equal(account.Account.Email, toWebhooks.Recipient);
    }

    [Fact]
    public async Task The_people_of_a_dissolved_workspace_are_not_told_of_the_accounts_arrears()
    {
        var kept = await host.CreateWorkspaceAsync("cn1");
        var account = await host.UpgradeAsync(kept);
        var dissolved = await host.CreateWorkspaceAsync("cn1");
        await host.UpgradeAsync(dissolved, account);
        await dissolved.Owner.Api.Workspaces.DissolveWorkspaceAsync(new DissolveWorkspaceRequest { WorkspaceId = dissolved.Id });

        await host.Operator.BillingAccounts.ChargeAsync(BillingCenterScenario.Charge(account.Id, ("logs", 3m)));

        Assert.Equal(new[] { account.Account.Email, kept.Owner.Email, kept.Administrator.Email }.Order(),
            (await host.NoticesAsync(account.Id, NotificationKind.ArrearsStarted)).Select(n => n.Recipient).Order());
    }

    private async Task SetLockAtAsync(string workspaceId, DateTimeOffset lockAt)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BillingDbContext>();
        await db.WorkspaceSettlements.Where(s => s.WorkspaceId == workspaceId).ExecuteUpdateAsync(s => s.SetProperty(x => x.LockAt, lockAt));
    }
}
