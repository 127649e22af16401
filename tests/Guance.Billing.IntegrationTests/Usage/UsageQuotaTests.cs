using Google.Rpc;
using Grpc.Core;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.V1;
using static Guance.Billing.IntegrationTests.Usage.UsageTestKit;

namespace Guance.Billing.IntegrationTests.Usage;

/// <summary>Experience quotas (docs/domain.md §2): a batch that would pass the day's free quota is refused whole.</summary>
public sealed class UsageQuotaTests(BillingHost host) : IClassFixture<BillingHost>
{
    private DateTimeOffset Now => host.Clock.GetUtcNow();

    [Fact]
    public async Task A_flow_quota_is_the_days_sum_and_a_batch_passing_it_is_refused_whole()
    {
        var workspace = await host.CreateWorkspaceAsync();
        var collector = await host.CollectorAsync(workspace);
        await collector.ReportAsync("host-1", 1, Record(BillingItem.Logs, 600_000, Now.AddHours(-1)));
        await collector.ReportAsync("host-2", 1, Record(BillingItem.Logs, 399_999, Now));

        var error = await RpcAssert.Fails(StatusCode.ResourceExhausted,
            () => collector.ReportAsync("host-1", 2, Record(BillingItem.ApmTrace, 5, Now), Record(BillingItem.Logs, 2, Now)), "EXPERIENCE_QUOTA_EXHAUSTED");
        var status = error.GetRpcStatus()!;
        Assert.Equal("BILLING_ITEM_LOGS", Assert.Single(status.GetDetail<QuotaFailure>().Violations).Subject);
        var info = status.GetDetail<ErrorInfo>();
        Assert.Equal("BILLING_ITEM_LOGS", info.Metadata["billing_item"]);
        Assert.Equal("2026-11-02", info.Metadata["billing_day"]);
        Assert.Equal(new DateTimeOffset(2026, 11, 2, 16, 0, 0, TimeSpan.Zero), DateTimeOffset.Parse(info.Metadata["resets_at"], System.Globalization.CultureInfo.InvariantCulture));

        var statistics = await workspace.StatisticsAsync();
        Assert.Equal(999_999, statistics[BillingItem.Logs].Today);
        Assert.Equal(0, statistics[BillingItem.ApmTrace].Today);
        Assert.Equal(1, statistics[BillingItem.Logs].RemainingToday);

        // Exactly the quota is fine; the refused sequence was not committed, so it can be used again.
        await collector.ReportAsync("host-1", 2, Record(BillingItem.Logs, 1, Now));
        statistics = await workspace.StatisticsAsync();
        Assert.Equal(1_000_000, statistics[BillingItem.Logs].Today);
        Assert.Equal(0, statistics[BillingItem.Logs].RemainingToday);
        Assert.True(statistics[BillingItem.Logs].HasQuota);
        Assert.Equal(1_000_000, statistics[BillingItem.Logs].DailyQuota);
    }

    [Fact]
    public async Task A_stock_quota_is_the_days_largest_hour_summed_over_collectors()
    {
        var workspace = await host.CreateWorkspaceAsync();
        var collector = await host.CollectorAsync(workspace);
        var hour = new DateTimeOffset(2026, 11, 2, 1, 0, 0, TimeSpan.Zero);
        await collector.ReportAsync("a", 1, Record(BillingItem.TimeSeries, 2_000, hour.AddMinutes(1)));
        await collector.ReportAsync("b", 1, Record(BillingItem.TimeSeries, 1_000, hour.AddMinutes(2)));
        await RpcAssert.Fails(StatusCode.ResourceExhausted,
            () => collector.ReportAsync("b", 2, Record(BillingItem.TimeSeries, 1_001, hour.AddMinutes(3))), "EXPERIENCE_QUOTA_EXHAUSTED");
        // A lower current value replaces b's value in the hour, so the hour is 2,900.
        await collector.ReportAsync("b", 3, Record(BillingItem.TimeSeries, 900, hour.AddMinutes(4)));
        // Another hour on its own: 3,000 is allowed, more is not.
        await collector.ReportAsync("a", 2, Record(BillingItem.TimeSeries, 3_000, hour.AddHours(-1)));
        await RpcAssert.Fails(StatusCode.ResourceExhausted,
            () => collector.ReportAsync("a", 3, Record(BillingItem.TimeSeries, 3_001, hour.AddHours(-1).AddMinutes(5))), "EXPERIENCE_QUOTA_EXHAUSTED");

        var points = await workspace.PointsAsync(BillingItem.TimeSeries, UsagePointGranularity.Hourly, hour.AddHours(-2), hour.AddHours(1));
        Assert.Equal([3_000L, 2_900L], points.Select(p => p.Quantity));
        Assert.Equal(3_000, (await workspace.StatisticsAsync())[BillingItem.TimeSeries].Today);
    }

    [Fact]
    public async Task A_quota_refusal_on_a_stream_is_a_rejection_and_the_stream_goes_on()
    {
        var workspace = await host.CreateWorkspaceAsync();
        var collector = await host.CollectorAsync(workspace);
        var (stream, _) = await UsageStream.OpenAsync(collector, "host-1");
        await using (stream)
        {
            await stream.SendAsync(1, Record(BillingItem.ApmProfile, 59, Now));
            await stream.SendAsync(2, Record(BillingItem.ApmProfile, 2, Now));
            await stream.SendAsync(3, Record(BillingItem.RumPv, 2, Now));
            Assert.Equal(1, (await stream.AckAsync()).Sequence);
            var rejected = await stream.RejectedAsync();
            Assert.Equal(2, rejected.Sequence);
            Assert.Equal((int)StatusCode.ResourceExhausted, rejected.Status.Code);
            Assert.Equal("BILLING_ITEM_APM_PROFILE", rejected.Status.GetDetail<QuotaFailure>().Violations[0].Subject);
            Assert.Equal(3, (await stream.AckAsync()).Sequence);
        }
    }

    [Fact]
    public async Task The_quota_resets_at_the_next_site_day_and_does_not_apply_after_the_upgrade()
    {
        using var night = new BillingHost();
        night.Clock.SetUtcNow(new DateTimeOffset(2026, 11, 2, 15, 50, 0, TimeSpan.Zero)); // 23:50 in Shanghai
        var workspace = await night.CreateWorkspaceAsync();
        var collector = await night.CollectorAsync(workspace);
        var lateEvening = night.Clock.GetUtcNow();
        await collector.ReportAsync("host-1", 1, Record(BillingItem.Triggers, 100_000, lateEvening));
        await RpcAssert.Fails(StatusCode.ResourceExhausted, () => collector.ReportAsync("host-1", 2, Record(BillingItem.Triggers, 1, lateEvening)), "EXPERIENCE_QUOTA_EXHAUSTED");

        night.Clock.Advance(TimeSpan.FromMinutes(15)); // 00:05 on the next site day
        await collector.ReportAsync("host-1", 3, Record(BillingItem.Triggers, 1, night.Clock.GetUtcNow()));
        // A late record of yesterday still counts against yesterday's quota.
        await RpcAssert.Fails(StatusCode.ResourceExhausted, () => collector.ReportAsync("host-1", 4, Record(BillingItem.Triggers, 1, lateEvening)), "EXPERIENCE_QUOTA_EXHAUSTED");

        // From the upgrade instant on there is no quota; the experience usage before it is no longer shown.
        await night.UpgradeAsync(workspace);
        await collector.ReportAsync("host-1", 5, Record(BillingItem.Triggers, 500_000, night.Clock.GetUtcNow()));
        var statistics = await workspace.StatisticsAsync();
        Assert.Equal(500_000, statistics[BillingItem.Triggers].Today);
        Assert.False(statistics[BillingItem.Triggers].HasQuota);
    }
}
