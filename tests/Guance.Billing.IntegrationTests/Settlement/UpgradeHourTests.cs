using Grpc.Core;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.IntegrationTests.Usage;
using Guance.Billing.V1;
using static Guance.Billing.IntegrationTests.Settlement.SettlementRulesKit;
using static Guance.Billing.IntegrationTests.Usage.UsageTestKit;

namespace Guance.Billing.IntegrationTests.Settlement;

/// <summary>
/// docs/domain.md §2: billing starts at the upgrade instant, not at the next whole hour. The hour of
/// the upgrade is two points, split by observed_at: the experience part (free, under the experience
/// quotas, no longer shown) and the commercial part (shown, billed, no quota). China 1 (UTC+8).
/// </summary>
public sealed class UpgradeHourTests : IClassFixture<BillingHost>
{
    private const string Shanghai = "Asia/Shanghai";
    private readonly BillingHost host;

    public UpgradeHourTests(BillingHost host)
    {
        this.host = host;
        host.WithLongSessions();
    }

    private DateTimeOffset Now => host.Clock.GetUtcNow();

    private static DateTimeOffset At(DateOnly day, int hour, int minute = 0) => new(day.ToDateTime(new TimeOnly(hour, minute)), TimeSpan.FromHours(8));

    [Fact]
    public async Task Logs_observed_after_the_upgrade_instant_are_shown_and_billed_and_those_before_it_are_not()
    {
        var day = host.StartNextChinaDay();
        var workspace = await host.CreateWorkspaceAsync("cn1");
        var collector = await host.CollectorAsync(workspace);
        host.MoveClockTo(At(day, 10, 15));
        await collector.ReportAsync("host-1", 1, Record(BillingItem.Logs, 900_000, Now));

        host.MoveClockTo(At(day, 10, 30));
        var account = await host.UpgradeAsync(workspace);
        await host.RechargeAsync(account.Id, 10m);

        // 10:45: 200,000 logs of the commercial period, no quota (900,000 + 200,000 would pass the experience one).
        host.MoveClockTo(At(day, 10, 50));
        await collector.ReportAsync("host-1", 2, Record(BillingItem.Logs, 200_000, At(day, 10, 45)));
        // A late record observed at 10:20 is experience usage: it still counts against the experience quota.
        await RpcAssert.Fails(StatusCode.ResourceExhausted,
            () => collector.ReportAsync("host-1", 3, Record(BillingItem.Logs, 150_000, At(day, 10, 20))), "EXPERIENCE_QUOTA_EXHAUSTED");
        await collector.ReportAsync("host-1", 4, Record(BillingItem.Logs, 50_000, At(day, 10, 20)));

        var statistics = await workspace.StatisticsAsync();
        Assert.Equal(200_000, statistics[BillingItem.Logs].Today);
        Assert.Equal(200_000, statistics[BillingItem.Logs].MonthToDate);
        Assert.False(statistics[BillingItem.Logs].HasQuota);
        var hours = await workspace.PointsAsync(BillingItem.Logs, UsagePointGranularity.Hourly, At(day, 0), At(day.AddDays(1), 0));
        Assert.Equal([(At(day, 10), 200_000L)], hours.Select(p => (p.StartTime.ToDateTimeOffset(), p.Quantity)));

        host.MoveClockTo(At(day.AddDays(1), 0, 30));
        await host.CloseDayAsync("cn1", day);
        var bill = await host.BillAsync(workspace.Id, day);
        // Logs at 14 days' retention on CN: 200,000 / 1,000,000 = 0.20 units × 1.50 = 0.30; the 10:15 and 10:20 logs are free.
        Assert.Equal([BillingItem.Logs], bill.Lines.Select(l => l.Item));
        Assert.Equal((200_000L, "0.20", 30L), (bill.Lines[0].Quantity, bill.Lines[0].Units, bill.Lines[0].Amount.Cents()));
        Assert.Equal(30, bill.Total.Cents());
    }

    [Fact]
    public async Task A_stock_item_keeps_each_agents_latest_value_within_each_periods_part_of_the_hour()
    {
        var day = host.StartNextChinaDay();
        var workspace = await host.CreateWorkspaceAsync("cn1");
        var first = await host.CollectorAsync(workspace);
        host.MoveClockTo(At(day, 10, 20));
        await first.ReportAsync("host-1", 1, Record(BillingItem.TimeSeries, 2_800, Now));
        await first.ReportAsync("host-2", 1, Record(BillingItem.TimeSeries, 100, Now));

        host.MoveClockTo(At(day, 10, 30));
        var account = await host.UpgradeAsync(workspace);
        await host.RechargeAsync(account.Id, 10m);

        host.MoveClockTo(At(day, 10, 56));
        await first.ReportAsync("host-1", 2, Record(BillingItem.TimeSeries, 1_000, At(day, 10, 40)), Record(BillingItem.TimeSeries, 1_200, At(day, 10, 55)));
        await first.ReportAsync("host-2", 2, Record(BillingItem.TimeSeries, 300, At(day, 10, 35)));
        // A late experience value of host-1 neither replaces its commercial 1,200 nor adds to the hour.
        await first.ReportAsync("host-1", 3, Record(BillingItem.TimeSeries, 2_900, At(day, 10, 25)));

        // The commercial point of 10:00 is 1,200 + 300: each agent's latest commercial value.
        Assert.Equal(1_500, (await workspace.StatisticsAsync())[BillingItem.TimeSeries].Today);
        var hours = await workspace.PointsAsync(BillingItem.TimeSeries, UsagePointGranularity.Hourly, At(day, 0), At(day.AddDays(1), 0));
        Assert.Equal([(At(day, 10), 1_500L)], hours.Select(p => (p.StartTime.ToDateTimeOffset(), p.Quantity)));

        host.MoveClockTo(At(day.AddDays(1), 0, 30));
        await host.CloseDayAsync("cn1", day);
        var bill = await host.BillAsync(workspace.Id, day);
        // Time series at 7 days' retention: 1,500 / 1,000 = 1.50 units × 0.70 = 1.05 (not the experience 2,900 + 100).
        Assert.Equal((1_500L, "1.50", 105L), (bill.Line(BillingItem.TimeSeries).Quantity, bill.Line(BillingItem.TimeSeries).Units, bill.Line(BillingItem.TimeSeries).Amount.Cents()));
        Assert.Equal(105, bill.Total.Cents());
    }
}

/// <summary>The hour of the upgrade on the host's simulated clock: AdvanceClock runs the day close, nothing is closed by hand.</summary>
public sealed class UpgradeHourOnTheSimulatedClockTests : IDisposable
{
    private readonly BillingHost host = new() { SimulatedClockStart = SettlementLifeKit.Local(11, 2, 10, 10) };

    public UpgradeHourOnTheSimulatedClockTests() => host.LongLivedTokens();

    public void Dispose() => host.Dispose();

    [Fact]
    public async Task The_day_close_job_bills_the_hour_of_the_upgrade_from_the_upgrade_instant()
    {
        var workspace = await host.CreateWorkspaceAsync("cn1");
        var collector = await host.CollectorAsync(workspace);
        await host.AdvanceToAsync(SettlementLifeKit.Local(11, 2, 10, 15));
        await collector.ReportAsync("host-1", 1, Record(BillingItem.Logs, 300_000, SettlementLifeKit.Local(11, 2, 10, 15)));

        await host.AdvanceToAsync(SettlementLifeKit.Local(11, 2, 10, 30));
        var account = await host.UpgradeAsync(workspace);
        var upgraded = (await host.Operator.Workspaces.GetWorkspaceAsync(new GetWorkspaceRequest { WorkspaceId = workspace.Id })).Workspace;
        Assert.Equal(SettlementLifeKit.Local(11, 2, 10, 30), upgraded.UpgradeTime.ToDateTimeOffset());
        await host.RechargeAsync(account.Id, 10m);

        await host.AdvanceToAsync(SettlementLifeKit.Local(11, 2, 10, 50));
        await collector.ReportAsync("host-1", 2,
            Record(BillingItem.Logs, 200_000, SettlementLifeKit.Local(11, 2, 10, 45)),
            Record(BillingItem.Logs, 100_000, SettlementLifeKit.Local(11, 2, 10, 29)));
        Assert.Equal(200_000, (await workspace.StatisticsAsync())[BillingItem.Logs].Today);

        await host.AdvanceToAsync(SettlementLifeKit.Local(11, 3, 6, 0));
        var bill = await host.BillAsync(workspace.Id, new DateOnly(2026, 11, 2));
        // 200,000 / 1,000,000 = 0.20 units × 1.50 (logs, 14 days) = 0.30, paid from cash.
        bill.AssertLine(BillingItem.Logs, 200_000, "0.20", 1.5m, 30, retentionDays: 14);
        Assert.Equal(DailyBillStatus.Charged, bill.Status);
        Assert.Equal(30, bill.PaidByCash.Cents());
    }
}
