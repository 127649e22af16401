using Grpc.Core;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.IntegrationTests.Usage;
using Guance.Billing.V1;
using static Guance.Billing.IntegrationTests.Settlement.SettlementLifeKit;

namespace Guance.Billing.IntegrationTests.Settlement;

/// <summary>
/// Thirty days of one China 1 workspace (UTC+8) through the public API, on the host's simulated clock
/// from 2026-11-02 09:30 to 2026-12-02 14:00 local. AdvanceClock runs the jobs (card expiry, day close,
/// arrears countdown, notifications) at the instants they fall due; nothing is called by hand but what a
/// customer, an agent and an operator would do.
///
/// Every usage day (Nov 2 after the upgrade, Nov 3 to Nov 22, Nov 25 to Dec 1) the agent reports the
/// same records, so every such bill is the same (CN price list, commercial default retentions:
/// metrics 7 d, logs 14 d, APM 7 d, RUM 7 d):
/// <code>
/// time series  MAX(10,000; 12,345)        = 12,345     / 1,000     = 12.34 units (12.345 truncated) × 0.70 = 8.638 → 8.64
/// logs         SUM(1,500,000 + 1,234,567) = 2,734,567  / 1,000,000 =  2.73 units (2.734567 truncated) × 1.50 = 4.095 → 4.10 (half-up)
/// APM trace    3,000,000                               / 1,000,000 =  3.00 units × 3.00 = 9.00
/// RUM PV       25,000                                  / 10,000    =  2.50 units × 1.00 = 2.50
/// day total                                                                                 24.24
/// </code>
/// Wallet: ordinary voucher 50.00 (until Dec 31), prepaid card 100.00 (expires Nov 7 12:00), cash 30.00.
/// <code>
/// Nov 2  voucher 24.24                     voucher left 25.76
/// Nov 3  voucher 24.24                     voucher left  1.52
/// Nov 4  voucher 1.52 + card 22.72         card left 77.28
/// Nov 5  card 24.24                        card left 53.04
/// Nov 6  card 24.24                        card left 28.80 → cleared at its expiry, Nov 7 12:00
/// Nov 7  cash 24.24                        cash left 5.76
/// Nov 8  cash 5.76 + arrears 18.48         arrears since Nov 9 00:30 (the close), lock on Nov 23 00:30
/// Nov 9 … Nov 22: 14 × 24.24 = 339.36 arrears → 357.84 owed; warning Nov 20 00:30; lock Nov 23 00:30
/// Nov 23, Nov 24: locked, usage refused: zero bills
/// Nov 25 14:00 recharge 600.00 → 357.84 pays the arrears, 242.16 cash; unlocked at once
/// Nov 25 … Dec 1: 7 × 24.24 = 169.68 cash → cash left 72.48
/// </code>
/// </summary>
public sealed class SettlementLifeTests : IDisposable
{
    private const string Agent = "agent-1";

    private const long DayTotal = 2424;
    private const long TimeSeriesAmount = 864;
    private const long LogsAmount = 410;
    private const long ApmTraceAmount = 900;
    private const long RumPvAmount = 250;

    private readonly BillingHost host = new() { SimulatedClockStart = Local(11, 2, 9, 30) };
    private long sequence;

    public SettlementLifeTests() => host.LongLivedTokens();

    public void Dispose() => host.Dispose();

    [Fact]
    public async Task Thirty_days_of_a_workspace_from_experience_to_arrears_lock_and_unlock()
    {
        var workspace = await host.CreateWorkspaceAsync("cn1");
        var collector = await host.CollectorAsync(workspace);
        var account = await host.RegisterBillingAccountAsync("payer");

        // --- Nov 2 09:30, experience plan: usage within the free quota (logs 1,000,000 a day, time series 3,000).
        await collector.ReportAsync(Agent, ++sequence,
            UsageTestKit.Record(BillingItem.Logs, 400_000, Local(11, 2, 9, 30)),
            UsageTestKit.Record(BillingItem.TimeSeries, 2_000, Local(11, 2, 9, 30)));
        var experience = await workspace.StatisticsAsync();
        Assert.Equal(400_000, experience[BillingItem.Logs].Today);
        Assert.True(experience[BillingItem.Logs].HasQuota);
        Assert.Equal(600_000, experience[BillingItem.Logs].RemainingToday); // 1,000,000 - 400,000
        Assert.Equal(2_000, experience[BillingItem.TimeSeries].Today);
        // 400,000 + 700,000 = 1,100,000 would pass the quota: refused, and nothing of the batch applied.
        var overQuota = UsageTestKit.Record(BillingItem.Logs, 700_000, Local(11, 2, 9, 30));
        await RpcAssert.Fails(StatusCode.ResourceExhausted, () => collector.ReportAsync(Agent, ++sequence, overQuota), "EXPERIENCE_QUOTA_EXHAUSTED");
        Assert.Equal(400_000, (await workspace.StatisticsAsync())[BillingItem.Logs].Today);

        // The money of the billing account.
        await host.GrantVoucherAsync(account.Id, 50m, Local(12, 31, 0));
        var card = await host.IssueCardAsync(account.Id, 100m, Local(11, 7, 12));
        await host.RechargeAsync(account.Id, 30m);

        // --- Nov 2 11:30: upgrade, bound to the billing account by its binding code.
        var upgradeStops = await host.AdvanceToAsync(Local(11, 2, 11, 30));
        Assert.Equal(1, upgradeStops.Stops); // nothing falls due before: no commercial workspace yet
        await host.UpgradeAsync(workspace, account);
        var settlement = await host.SettlementAsync(workspace.Id);
        Assert.Equal(Plan.Commercial, settlement.Plan);
        Assert.Equal(account.Id, settlement.BillingAccountId);
        Assert.Equal(SettlementMethod.BillingCenter, settlement.Method);
        Assert.Equal(Local(11, 2, 11, 30), settlement.UpgradeTime.ToDateTimeOffset());

        // Experience usage is no longer shown.
        var shown = await workspace.Owner.Api.Usage.GetUsageStatisticsAsync(new GetUsageStatisticsRequest { WorkspaceId = workspace.Id });
        Assert.Equal(Local(11, 2, 11, 30), shown.CountedSinceTime.ToDateTimeOffset());
        var afterUpgrade = shown.Items.ToDictionary(i => i.Item);
        Assert.Equal(0, afterUpgrade[BillingItem.Logs].Today);
        Assert.Equal(0, afterUpgrade[BillingItem.TimeSeries].Today);
        Assert.False(afterUpgrade[BillingItem.Logs].HasQuota);

        // --- Nov 2 .. Nov 4: usage, the voucher pays.
        await LiveDayAsync(collector, new DateOnly(2026, 11, 2));
        await LiveDayAsync(collector, new DateOnly(2026, 11, 3));

        var nov2 = await host.BillAsync(workspace.Id, new DateOnly(2026, 11, 2));
        AssertStandardBill(nov2);
        // The experience logs (400,000 at 09:30) are not billed: 2,734,567 and not 3,134,567 (3.13 × 1.5 = 4.70).
        Assert.Equal(2_734_567, nov2.Lines.Single(l => l.Item == BillingItem.Logs).Quantity);
        AssertPaid(nov2, vouchers: DayTotal, cards: 0, cash: 0, arrears: 0);
        Assert.Equal(Local(11, 3, 0, 30), nov2.ChargeTime.ToDateTimeOffset()); // closed at 00:30 the next day
        var wallet = await host.WalletAsync(account.Id);
        Cny(2576, wallet.OrdinaryVouchers, "vouchers after Nov 2"); // 50.00 - 24.24
        Cny(10000, wallet.PrepaidCards, "cards after Nov 2");
        Cny(3000, wallet.Cash, "cash after Nov 2");

        await LiveDayAsync(collector, new DateOnly(2026, 11, 4));
        AssertPaid(await host.BillAsync(workspace.Id, new DateOnly(2026, 11, 3)), vouchers: DayTotal, cards: 0, cash: 0, arrears: 0);
        Cny(152, (await host.WalletAsync(account.Id)).OrdinaryVouchers, "vouchers after Nov 3"); // 25.76 - 24.24

        // The card's notice went out 3 days before its expiry (Nov 4 12:00), while it still held all of its 100.00.
        var expiring = Assert.Single(await host.NoticesAsync(account.Id, NotificationKind.CardExpiringSoon));
        Assert.Equal(card.PrepaidCardId, expiring.Reference);
        Assert.Equal(account.Account.Email, expiring.Recipient);
        Assert.Equal(Local(11, 4, 12), expiring.CreateTime.ToDateTimeOffset());
        Assert.Contains("100.00 CNY", expiring.Body);

        // --- Nov 5 .. Nov 7: the voucher runs out, the card pays; the card expires.
        await LiveDayAsync(collector, new DateOnly(2026, 11, 5));
        AssertPaid(await host.BillAsync(workspace.Id, new DateOnly(2026, 11, 4)), vouchers: 152, cards: 2272, cash: 0, arrears: 0); // 1.52 + 22.72 = 24.24
        wallet = await host.WalletAsync(account.Id);
        Cny(0, wallet.OrdinaryVouchers, "vouchers after Nov 4");
        Cny(7728, wallet.PrepaidCards, "cards after Nov 4"); // 100.00 - 22.72
        Cny(3000, wallet.Cash, "cash after Nov 4");

        await LiveDayAsync(collector, new DateOnly(2026, 11, 6));
        await LiveDayAsync(collector, new DateOnly(2026, 11, 7));
        AssertPaid(await host.BillAsync(workspace.Id, new DateOnly(2026, 11, 5)), vouchers: 0, cards: DayTotal, cash: 0, arrears: 0);
        AssertPaid(await host.BillAsync(workspace.Id, new DateOnly(2026, 11, 6)), vouchers: 0, cards: DayTotal, cash: 0, arrears: 0);
        // 77.28 - 24.24 - 24.24 = 28.80 was left at Nov 7 12:00, and cleared.
        var expired = Assert.Single(await host.NoticesAsync(account.Id, NotificationKind.CardExpired));
        Assert.Equal(card.PrepaidCardId, expired.Reference);
        Assert.Equal(Local(11, 7, 12), expired.CreateTime.ToDateTimeOffset());
        Assert.Contains("28.80 CNY", expired.Body);
        wallet = await host.WalletAsync(account.Id);
        Cny(0, wallet.PrepaidCards, "cards after the expiry");
        Cny(3000, wallet.Cash, "cash after the expiry");

        // --- Nov 8 .. Nov 9: cash pays, then runs out: arrears.
        await LiveDayAsync(collector, new DateOnly(2026, 11, 8));
        AssertPaid(await host.BillAsync(workspace.Id, new DateOnly(2026, 11, 7)), vouchers: 0, cards: 0, cash: DayTotal, arrears: 0);
        Cny(576, (await host.WalletAsync(account.Id)).Cash, "cash after Nov 7"); // 30.00 - 24.24
        Assert.Empty(await host.NoticesAsync(account.Id, NotificationKind.ArrearsStarted));

        await LiveDayAsync(collector, new DateOnly(2026, 11, 9));
        AssertPaid(await host.BillAsync(workspace.Id, new DateOnly(2026, 11, 8)), vouchers: 0, cards: 0, cash: 576, arrears: 1848); // 5.76 + 18.48 = 24.24
        wallet = await host.WalletAsync(account.Id);
        Cny(0, wallet.Cash, "cash after Nov 8");
        Cny(1848, wallet.Arrears, "arrears after Nov 8");
        var arrearsSince = Local(11, 9, 0, 30);
        var lockTime = Local(11, 23, 0, 30); // + 14 days
        Assert.Equal(arrearsSince, wallet.ArrearsSince.ToDateTimeOffset());
        // The account, and the Owner and Administrator of the workspace it pays for, are told 14 days before the lock.
        var started = await host.NoticesAsync(account.Id, NotificationKind.ArrearsStarted);
        Assert.Equal(new[] { account.Account.Email, workspace.Owner.Email, workspace.Administrator.Email }.Order(), started.Select(n => n.Recipient).Order());
        settlement = await host.SettlementAsync(workspace.Id);
        Assert.False(settlement.Locked);
        Assert.Equal(arrearsSince, settlement.ArrearsSince.ToDateTimeOffset());
        Assert.Equal(lockTime, settlement.LockTime.ToDateTimeOffset());

        // --- Nov 10 .. Nov 19: the countdown runs; no warning yet.
        for (var day = new DateOnly(2026, 11, 10); day <= new DateOnly(2026, 11, 19); day = day.AddDays(1))
        {
            await LiveDayAsync(collector, day);
        }
        Assert.Empty(await host.NoticesAsync(account.Id, NotificationKind.WorkspaceLockWarning));

        // --- Nov 20: the warning 3 days before the lock (Nov 20 00:30), to the account and to the Owner.
        await LiveDayAsync(collector, new DateOnly(2026, 11, 20));
        var warnings = await host.NoticesAsync(account.Id, NotificationKind.WorkspaceLockWarning);
        Assert.Equal(new[] { account.Account.Email, workspace.Owner.Email, workspace.Administrator.Email }.Order(), warnings.Select(n => n.Recipient).Order());
        Assert.All(warnings, n => Assert.Equal(Local(11, 20, 0, 30), n.CreateTime.ToDateTimeOffset()));
        Assert.All(warnings, n => Assert.Equal(workspace.Id, n.Reference));
        Assert.False((await host.SettlementAsync(workspace.Id)).Locked);

        // --- Nov 21, Nov 22: still accepted (the lock is at Nov 23 00:30).
        await LiveDayAsync(collector, new DateOnly(2026, 11, 21));
        await LiveDayAsync(collector, new DateOnly(2026, 11, 22));
        Assert.Empty(await host.NoticesAsync(account.Id, NotificationKind.WorkspaceLocked));

        // --- Nov 23 14:00: locked.
        await host.AdvanceToAsync(Local(11, 23, 14));
        await RpcAssert.Fails(StatusCode.FailedPrecondition,
            () => collector.ReportAsync(Agent, ++sequence, UsageTestKit.Record(BillingItem.Logs, 1_000, Local(11, 23, 12, 20))), "WORKSPACE_LOCKED");
        // Arrears: 18.48 (Nov 8) + 14 × 24.24 (Nov 9 .. Nov 22) = 18.48 + 339.36 = 357.84
        const long owed = 35784;
        var overview = await workspace.OverviewAsync();
        Assert.True(overview.Locked);
        Assert.Equal(lockTime, overview.LockTime.ToDateTimeOffset());
        Assert.Equal(arrearsSince, overview.ArrearsSince.ToDateTimeOffset());
        Cny(owed, overview.Arrears, "overview arrears when locked");
        Cny(0, overview.Available, "overview available when locked");
        settlement = await host.SettlementAsync(workspace.Id);
        Assert.True(settlement.Locked);
        Assert.Equal(lockTime, settlement.LockTime.ToDateTimeOffset());
        var locked = await host.NoticesAsync(account.Id, NotificationKind.WorkspaceLocked);
        Assert.Equal(new[] { account.Account.Email, workspace.Owner.Email, workspace.Administrator.Email }.Order(), locked.Select(n => n.Recipient).Order());
        Assert.All(locked, n => Assert.Equal(lockTime, n.CreateTime.ToDateTimeOffset()));
        AssertPaid(await host.BillAsync(workspace.Id, new DateOnly(2026, 11, 22)), vouchers: 0, cards: 0, cash: 0, arrears: DayTotal);

        // --- Nov 25 14:00: the Owner's recharge of 600.00 pays the arrears first; unlocked at once.
        await host.AdvanceToAsync(Local(11, 25, 14));
        foreach (var lockedDay in new[] { new DateOnly(2026, 11, 23), new DateOnly(2026, 11, 24) })
        {
            var zero = await host.BillAsync(workspace.Id, lockedDay);
            Cny(0, zero.Total, $"bill of {lockedDay}");
            Assert.Empty(zero.Lines);
            Assert.Equal(DailyBillStatus.Charged, zero.Status);
        }
        var recharge = await host.RechargeAsync(account.Id, 600m);
        Cny(owed, recharge.ArrearsPaid, "arrears paid by the recharge");
        Cny(24216, recharge.CashAdded, "cash added by the recharge"); // 600.00 - 357.84
        Cny(0, recharge.Wallet.Arrears, "arrears after the recharge");
        settlement = await host.SettlementAsync(workspace.Id);
        Assert.False(settlement.Locked);
        Assert.Null(settlement.LockTime);
        Assert.Null(settlement.ArrearsSince);
        var unlocked = await host.NoticesAsync(account.Id, NotificationKind.WorkspaceUnlocked);
        Assert.Equal(new[] { account.Account.Email, workspace.Owner.Email, workspace.Administrator.Email }.Order(), unlocked.Select(n => n.Recipient).Order());
        Assert.Equal(new[] { account.Account.Email, workspace.Owner.Email, workspace.Administrator.Email }.Order(),
            (await host.NoticesAsync(account.Id, NotificationKind.ArrearsPaid)).Select(n => n.Recipient).Order());
        // Usage accepted at once, same instant.
        await ReportStandardDayAsync(collector, new DateOnly(2026, 11, 25));

        // --- Nov 26 .. Dec 2 14:00: cash pays every day; the month turns.
        for (var day = new DateOnly(2026, 11, 26); day <= new DateOnly(2026, 12, 1); day = day.AddDays(1))
        {
            await LiveDayAsync(collector, day);
        }
        await host.AdvanceToAsync(Local(12, 2, 14));
        AssertPaid(await host.BillAsync(workspace.Id, new DateOnly(2026, 11, 25)), vouchers: 0, cards: 0, cash: DayTotal, arrears: 0);
        AssertPaid(await host.BillAsync(workspace.Id, new DateOnly(2026, 12, 1)), vouchers: 0, cards: 0, cash: DayTotal, arrears: 0);

        // November: a bill for every day from Nov 2 to Nov 30 (29), 27 of them standard: 27 × 24.24 = 654.48.
        var november = await host.BillsAsync(workspace.Id, 2026, 11);
        Assert.Equal(29, november.Count);
        Assert.Equal(27 * DayTotal, november.Sum(b => b.Total.Cents()));
        Assert.All(november.Where(b => b.Total.Cents() > 0), AssertStandardBill);
        var monthPage = await host.Operator.Settlement.ListDailyBillsAsync(new ListDailyBillsRequest { WorkspaceId = workspace.Id, Year = 2026, Month = 11 });
        Cny(27 * DayTotal, monthPage.MonthTotal, "November's total");
        // What paid: vouchers 50.00, cards 71.20 (100.00 - 28.80 cleared), cash 30.00 + 7 × 24.24 = 199.68, arrears 357.84; 678.72 in all.
        var all = november.Concat(await host.BillsAsync(workspace.Id, 2026, 12)).ToList();
        Assert.Equal(5000, all.Sum(b => b.PaidByVouchers.Cents()));
        Assert.Equal(7120, all.Sum(b => b.PaidByPrepaidCards.Cents()));
        Assert.Equal(3000 + 7 * DayTotal, all.Sum(b => b.PaidByCash.Cents()));
        Assert.Equal(owed, all.Sum(b => b.Arrears.Cents()));
        Assert.Equal(28 * DayTotal, all.Sum(b => b.Total.Cents()));

        // Consumption: yesterday (Dec 1), this month (December: Dec 1 only), accumulated (28 usage days).
        var summary = await workspace.ConsumptionAsync();
        Assert.Equal(new DateOnly(2026, 12, 2), summary.Today.ToDateOnly());
        Assert.Equal(new DateOnly(2026, 12, 1), summary.Yesterday.ToDateOnly());
        Assert.True(summary.YesterdayClosed);
        Cny(DayTotal, summary.YesterdayAmount, "yesterday");
        Cny(DayTotal, summary.MonthToDateAmount, "month to date");
        Cny(28 * DayTotal, summary.TotalAmount, "accumulated"); // 28 × 24.24 = 678.72
        var items = summary.Items.ToDictionary(i => i.Item);
        Assert.Equal([BillingItem.TimeSeries, BillingItem.Logs, BillingItem.ApmTrace, BillingItem.RumPv], summary.Items.Select(i => i.Item));
        foreach (var (item, amount) in new[] { (BillingItem.TimeSeries, TimeSeriesAmount), (BillingItem.Logs, LogsAmount), (BillingItem.ApmTrace, ApmTraceAmount), (BillingItem.RumPv, RumPvAmount) })
        {
            Cny(amount, items[item].Yesterday, $"{item} yesterday");
            Cny(amount, items[item].MonthToDate, $"{item} month to date");
            Cny(28 * amount, items[item].Total, $"{item} accumulated"); // time series 241.92, logs 114.80, APM 252.00, RUM 70.00
        }

        // The wallet at the end: 242.16 - 169.68 = 72.48 cash, nothing else, the ledger clean.
        wallet = await host.WalletAsync(account.Id);
        Cny(7248, wallet.Cash, "final cash");
        Cny(0, wallet.OrdinaryVouchers, "final vouchers");
        Cny(0, wallet.FullReductionVouchers, "final full-reduction vouchers");
        Cny(0, wallet.PrepaidCards, "final cards");
        Cny(0, wallet.Arrears, "final arrears");
        Cny(7248, wallet.Available, "final available");
        overview = await workspace.OverviewAsync();
        Assert.False(overview.Locked);
        Cny(7248, overview.Cash, "final overview cash");
        await host.AssertLedgerCleanAsync(account.Id);
        await host.AssertLedgerCleanAsync();
    }

    /// <summary>Moves the clock to 14:00 of <paramref name="day"/> (the close of the day before runs at 00:30) and reports the day's usage.</summary>
    private async Task LiveDayAsync(Api collector, DateOnly day)
    {
        await host.AdvanceToAsync(day.At(14));
        await ReportStandardDayAsync(collector, day);
    }

    /// <summary>The same records every day, in hours after 12:00 (after the upgrade on Nov 2).</summary>
    private Task ReportStandardDayAsync(Api collector, DateOnly day) =>
        collector.ReportAsync(Agent, ++sequence,
            UsageTestKit.Record(BillingItem.TimeSeries, 10_000, day.At(12, 10)),
            UsageTestKit.Record(BillingItem.TimeSeries, 12_345, day.At(13, 10)),
            UsageTestKit.Record(BillingItem.Logs, 1_500_000, day.At(12, 20)),
            UsageTestKit.Record(BillingItem.Logs, 1_234_567, day.At(13, 20)),
            UsageTestKit.Record(BillingItem.ApmTrace, 3_000_000, day.At(12, 30)),
            UsageTestKit.Record(BillingItem.RumPv, 25_000, day.At(13, 30)));

    private static void AssertStandardBill(DailyBill bill)
    {
        Cny(DayTotal, bill.Total, $"total of {bill.Day.ToDateOnly()}");
        Assert.Equal(DailyBillStatus.Charged, bill.Status);
        Assert.Equal(SettlementMethod.BillingCenter, bill.Method);
        Assert.Equal(4, bill.Lines.Count);
        AssertLine(bill, BillingItem.TimeSeries, 12_345, "12.34", 700_000, 1_000, 7, TimeSeriesAmount);
        AssertLine(bill, BillingItem.Logs, 2_734_567, "2.73", 1_500_000, 1_000_000, 14, LogsAmount);
        AssertLine(bill, BillingItem.ApmTrace, 3_000_000, "3.00", 3_000_000, 1_000_000, 7, ApmTraceAmount);
        AssertLine(bill, BillingItem.RumPv, 25_000, "2.50", 1_000_000, 10_000, 7, RumPvAmount);
    }

    private static void AssertLine(DailyBill bill, BillingItem item, long quantity, string units, long unitPriceMicros, long priceUnit, int retention, long amount)
    {
        var line = bill.Lines.Single(l => l.Item == item);
        Assert.Equal(quantity, line.Quantity);
        Assert.Equal(units, line.Units);
        Assert.Equal(unitPriceMicros, line.UnitPrice.Micros());
        Assert.Equal(priceUnit, line.PriceUnit);
        Assert.Equal(retention, line.RetentionDays);
        Cny(amount, line.Amount, $"{item} of {bill.Day.ToDateOnly()}");
    }

    private static void AssertPaid(DailyBill bill, long vouchers, long cards, long cash, long arrears)
    {
        var day = bill.Day.ToDateOnly();
        Assert.Equal(bill.Total.Cents(), vouchers + cards + cash + arrears);
        Cny(vouchers, bill.PaidByVouchers, $"vouchers of {day}");
        Cny(cards, bill.PaidByPrepaidCards, $"cards of {day}");
        Cny(cash, bill.PaidByCash, $"cash of {day}");
        Cny(arrears, bill.Arrears, $"arrears of {day}");
    }
}
