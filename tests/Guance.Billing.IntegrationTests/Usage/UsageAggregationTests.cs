using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.V1;
using static Guance.Billing.IntegrationTests.Usage.UsageTestKit;

namespace Guance.Billing.IntegrationTests.Usage;

/// <summary>
/// Hourly points and days (docs/domain.md §3): flow items sum, stock items keep each collector's latest value
/// of the hour and the workspace point sums collectors; a day is the max or the sum of its hours, in
/// the site's zone (Asia/Shanghai, and DST sites with 23- and 25-hour days).
/// </summary>
public sealed class UsageAggregationTests
{
    private static DateTimeOffset Utc(int year, int month, int day, int hour, int minute = 0) => new(year, month, day, hour, minute, 0, TimeSpan.Zero);

    [Fact]
    public async Task Points_cross_hour_and_day_boundaries_in_Asia_Shanghai()
    {
        using var host = new BillingHost();
        host.Clock.SetUtcNow(Utc(2026, 11, 2, 16, 20)); // 00:20 on 2026-11-03 in Shanghai
        var workspace = await host.CreateWorkspaceAsync("cn1");
        var collector = await host.CollectorAsync(workspace);

        await collector.ReportAsync("a", 1,
            Record(BillingItem.Logs, 5, Utc(2026, 11, 2, 15, 10)),
            Record(BillingItem.TimeSeries, 100, Utc(2026, 11, 2, 15, 10)),
            Record(BillingItem.TimeSeries, 80, Utc(2026, 11, 2, 15, 40)),
            Record(BillingItem.Logs, 7, Utc(2026, 11, 2, 15, 50)),
            Record(BillingItem.Logs, 11, Utc(2026, 11, 2, 16, 10)),
            Record(BillingItem.TimeSeries, 50, Utc(2026, 11, 2, 16, 5)));
        await collector.ReportAsync("b", 1,
            Record(BillingItem.TimeSeries, 30, Utc(2026, 11, 2, 15, 20)),
            Record(BillingItem.TimeSeries, 40, Utc(2026, 11, 2, 16, 15)),
            Record(BillingItem.Logs, 1, Utc(2026, 11, 2, 16, 16)));
        // An older value of a that arrives late does not replace its latest one.
        await collector.ReportAsync("a", 2, Record(BillingItem.TimeSeries, 999, Utc(2026, 11, 2, 15, 5)));

        var from = Utc(2026, 11, 2, 14);
        var to = Utc(2026, 11, 2, 17);
        var logs = await workspace.PointsAsync(BillingItem.Logs, UsagePointGranularity.Hourly, from, to);
        Assert.Equal([(15, 2, 12L), (16, 3, 12L)], logs.Select(p => (p.StartTime.ToDateTime().Hour, p.BillingDay.Day, p.Quantity)));
        var series = await workspace.PointsAsync(BillingItem.TimeSeries, UsagePointGranularity.Hourly, from, to);
        Assert.Equal([(15, 2, 110L), (16, 3, 90L)], series.Select(p => (p.StartTime.ToDateTime().Hour, p.BillingDay.Day, p.Quantity)));

        var days = await workspace.PointsAsync(BillingItem.TimeSeries, UsagePointGranularity.Daily, Utc(2026, 11, 1, 16), Utc(2026, 11, 3, 16));
        Assert.Equal([(2, 110L), (3, 90L)], days.Select(p => (p.BillingDay.Day, p.Quantity)));
        Assert.Equal(Utc(2026, 11, 1, 16), days[0].StartTime.ToDateTimeOffset());
        Assert.Equal(Utc(2026, 11, 2, 16), days[0].EndTime.ToDateTimeOffset());

        var statistics = await workspace.StatisticsAsync();
        Assert.Equal((12L, 12L, 24L), (statistics[BillingItem.Logs].Today, statistics[BillingItem.Logs].Yesterday, statistics[BillingItem.Logs].MonthToDate));
        Assert.Equal((90L, 110L, 200L), (statistics[BillingItem.TimeSeries].Today, statistics[BillingItem.TimeSeries].Yesterday, statistics[BillingItem.TimeSeries].MonthToDate));
        Assert.Equal(3_000 - 90, statistics[BillingItem.TimeSeries].RemainingToday);
    }

    [Fact]
    public async Task A_fall_back_day_in_Europe_has_25_hourly_points()
    {
        using var host = new BillingHost();
        host.Clock.SetUtcNow(Utc(2027, 10, 31, 23, 10)); // 00:10 CET on 2027-11-01, inside the late grace of the 31st
        var workspace = await host.CreateWorkspaceAsync("eu1");
        var collector = await host.CollectorAsync(workspace);

        var dayStart = Utc(2027, 10, 30, 22); // 00:00 CEST
        var records = new List<UsageRecord>();
        for (int hour = 0; hour < 25; hour++)
        {
            records.Add(Record(BillingItem.Logs, 1, dayStart.AddHours(hour).AddMinutes(30)));
            records.Add(Record(BillingItem.TimeSeries, hour * 10, dayStart.AddHours(hour).AddMinutes(30)));
        }
        records.Add(Record(BillingItem.Logs, 100, Utc(2027, 10, 31, 23, 5)));
        await collector.ReportAsync("a", 1, records.ToArray());

        var hours = await workspace.PointsAsync(BillingItem.Logs, UsagePointGranularity.Hourly, dayStart, dayStart.AddHours(26));
        Assert.Equal(25, hours.Count(p => p.BillingDay.Day == 31));
        Assert.Equal(1, hours[^1].BillingDay.Day);
        // The repeated local hour 02:00-03:00 is two distinct hours.
        Assert.Equal(2, hours.Count(p => p.BillingDay.Day == 31 && TimeZoneInfo.ConvertTime(p.StartTime.ToDateTimeOffset(), TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin")).Hour == 2));

        var days = await workspace.PointsAsync(BillingItem.Logs, UsagePointGranularity.Daily, dayStart, dayStart.AddDays(2));
        Assert.Equal([(31, 25L), (1, 100L)], days.Select(d => (d.BillingDay.Day, d.Quantity)));
        Assert.Equal(TimeSpan.FromHours(25), days[0].EndTime.ToDateTimeOffset() - days[0].StartTime.ToDateTimeOffset());
        var series = await workspace.PointsAsync(BillingItem.TimeSeries, UsagePointGranularity.Daily, dayStart, dayStart.AddDays(2));
        Assert.Equal(240, Assert.Single(series).Quantity);

        var statistics = await workspace.StatisticsAsync();
        Assert.Equal((100L, 25L), (statistics[BillingItem.Logs].Today, statistics[BillingItem.Logs].Yesterday));
    }

    [Fact]
    public async Task A_spring_forward_day_in_Oregon_has_23_hourly_points_and_closes_after_the_grace()
    {
        using var host = new BillingHost();
        host.Clock.SetUtcNow(Utc(2027, 3, 15, 7, 10)); // 00:10 PDT on 2027-03-15
        var workspace = await host.CreateWorkspaceAsync("us1");
        var collector = await host.CollectorAsync(workspace);

        var dayStart = Utc(2027, 3, 14, 8); // 00:00 PST
        var records = Enumerable.Range(0, 23).Select(h => Record(BillingItem.ApmTrace, 2, dayStart.AddHours(h))).ToArray();
        await collector.ReportAsync("a", 1, records);
        var hours = await workspace.PointsAsync(BillingItem.ApmTrace, UsagePointGranularity.Hourly, dayStart, dayStart.AddDays(1));
        Assert.Equal(23, hours.Count);
        Assert.All(hours, h => Assert.Equal(14, h.BillingDay.Day));
        var day = Assert.Single(await workspace.PointsAsync(BillingItem.ApmTrace, UsagePointGranularity.Daily, dayStart, dayStart.AddDays(1)));
        Assert.Equal(46, day.Quantity);
        Assert.Equal(TimeSpan.FromHours(23), day.EndTime.ToDateTimeOffset() - day.StartTime.ToDateTimeOffset());

        // 30 minutes after the day's end it closes.
        host.Clock.Advance(TimeSpan.FromMinutes(19));
        await collector.ReportAsync("a", 2, Record(BillingItem.ApmTrace, 1, dayStart.AddHours(22)));
        host.Clock.Advance(TimeSpan.FromMinutes(1));
        await RpcAssert.Fails(Grpc.Core.StatusCode.FailedPrecondition,
            () => collector.ReportAsync("a", 3, Record(BillingItem.ApmTrace, 1, dayStart.AddHours(22))), "DAY_CLOSED");
    }
}
