using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.V1;
using static Guance.Billing.IntegrationTests.Settlement.DayCloseKit;

namespace Guance.Billing.IntegrationTests.Settlement;

/// <summary>
/// Rating rules through a day close on China 1: the retired DataKit item's included time series
/// (docs/domain.md §3) and the APM profile price at long APM retentions (§4). The host accepts the
/// DataKit item; each test closes its own day of the shared fake clock.
/// </summary>
public sealed class RatingRulesTests : IClassFixture<BillingHost>
{
    private readonly BillingHost host;

    public RatingRulesTests(BillingHost host)
    {
        this.host = host;
        host.Settings["Guance:Usage:DataKitItemEnabled"] = "true";
    }

    [Fact]
    public async Task Each_DataKit_of_the_day_includes_300_time_series()
    {
        var day = host.NextDay(China);
        var workspace = await host.CreateWorkspaceAsync("cn1");
        var payer = await host.UpgradeAsync(workspace);
        await host.FundedWalletAsync(payer, 100m);
        var agent = await host.AgentAsync(workspace);

        host.MoveClockTo(Local(day, China, 10));
        await agent.ReportAsync(Record(BillingItem.TimeSeries, 1_000, Local(day, China, 10)), Record(BillingItem.Datakit, 2, Local(day, China, 10)));
        host.MoveClockTo(Local(day.AddDays(1), China, 0, 40));
        await host.CloseDayAsync("cn1", day);

        var bill = await host.BillAsync(workspace.Id, day);
        // 1,000 series − 300 × 2 DataKits = 400 billed: 0.40 units × 0.70 (metrics 7 days) = 0.28.
        bill.AssertLine(BillingItem.TimeSeries, 400, "0.40", 0.7m, 28, retentionDays: 7);
        // 2 DataKits × 3.00 = 6.00.
        bill.AssertLine(BillingItem.Datakit, 2, "2.00", 3m, 600);
        Assert.Equal(628, bill.Total.Cents());
    }

    [Fact]
    public async Task At_apm_retention_30_or_60_days_profiles_pay_the_14_day_price()
    {
        var day = host.NextDay(China);
        var workspaces = new Dictionary<int, TestWorkspace>();
        foreach (var days in new[] { 30, 60 })
        {
            var workspace = await host.CreateWorkspaceAsync("cn1");
            await host.FundedWalletAsync(await host.UpgradeAsync(workspace), 100m);
            await workspace.Owner.Api.Workspaces.UpdateRetentionAsync(new UpdateRetentionRequest { WorkspaceId = workspace.Id, DataType = DataType.Apm, Days = days });
            host.MoveClockTo(Local(day, China, 10));
            await (await host.AgentAsync(workspace)).ReportAsync(Record(BillingItem.ApmProfile, 25_000, Local(day, China, 10)));
            workspaces[days] = workspace;
        }
        host.MoveClockTo(Local(day.AddDays(1), China, 0, 40));
        await host.CloseDayAsync("cn1", day);

        foreach (var (days, workspace) in workspaces)
        {
            var bill = await host.BillAsync(workspace.Id, day);
            // Profiles are kept 14 days at most: 25,000 / 10,000 = 2.50 units × 0.50 (the 14-day price) = 1.25.
            bill.AssertLine(BillingItem.ApmProfile, 25_000, "2.50", 0.5m, 125, retentionDays: days);
        }
    }
}
