using Grpc.Core;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.V1;
using static Guance.Billing.IntegrationTests.Usage.UsageTestKit;
using Item = Guance.Billing.Usage.BillingItem;
using Period = Guance.Billing.Workspaces.Plan;

namespace Guance.Billing.IntegrationTests.Usage;

/// <summary>
/// The hourly and daily rollups that the dashboard reads are kept by the usage writer in its
/// transaction: after random reports from several collectors (flow and stock items, late stock values
/// that lose, resent batches that are not applied again, an experience workspace with its quota path)
/// and a day close, they equal what the raw points give, and so do the reads and the bill.
/// </summary>
public sealed class UsageRollupTests
{
    private static readonly BillingItem[] CommercialItems =
        [BillingItem.Logs, BillingItem.ApmTrace, BillingItem.TimeSeries, BillingItem.NetworkHosts, BillingItem.SessionReplay, BillingItem.BackupLogs];

    private static readonly BillingItem[] ExperienceItems = [BillingItem.Logs, BillingItem.ApmTrace, BillingItem.TimeSeries];

    [Fact]
    public async Task Rollups_equal_the_points_after_random_reports_resends_and_a_day_close()
    {
        using var host = new BillingHost();
        var commercial = await host.CreateWorkspaceAsync();
        await host.UpgradeAsync(commercial);
        var experience = await host.CreateWorkspaceAsync();
        // 2026-11-02 in Shanghai began at 16:00 UTC the day before; the host's clock is at 09:30 local.
        // Commercial usage is observed from the upgrade on, experience usage all day.
        var dayStart = new DateTimeOffset(2026, 11, 1, 16, 0, 0, TimeSpan.Zero);
        var upgradedAt = host.Clock.GetUtcNow();
        var collectors = new[]
        {
            (commercial, await host.CollectorAsync(commercial), CommercialItems, upgradedAt),
            (experience, await host.CollectorAsync(experience), ExperienceItems, dayStart),
        };
        var random = new Random(17);
        var sent = new List<(Api Collector, string Id, long Sequence, UsageRecord[] Records)>();
        var sequences = new Dictionary<string, long>();
        var duplicates = 0;
        for (int report = 0; report < 80; report++)
        {
            host.Clock.Advance(TimeSpan.FromMinutes(random.Next(1, 9)));
            var now = host.Clock.GetUtcNow();
            if (sent.Count > 0 && random.Next(5) == 0)
            {
                var (again, againId, againSequence, againRecords) = sent[random.Next(sent.Count)];
                Assert.True((await again.ReportAsync(againId, againSequence, againRecords)).Duplicate);
                duplicates++;
                continue;
            }
            var (workspace, collector, items, from) = collectors[random.Next(collectors.Length)];
            var id = $"{workspace.Id}/c{random.Next(3)}";
            var sequence = sequences[id] = sequences.GetValueOrDefault(id) + random.Next(1, 4);
            var records = Enumerable.Range(0, random.Next(1, 15)).Select(_ =>
            {
                var item = items[random.Next(items.Length)];
                var observedAt = from + (now - from) * random.NextDouble();
                return Record(item, random.Next(0, 50), observedAt);
            }).ToArray();
            var answer = await collector.ReportAsync(id[(workspace.Id.Length + 1)..], sequence, records);
            Assert.False(answer.Duplicate);
            sent.Add((collector, id[(workspace.Id.Length + 1)..], sequence, records));
        }
        Assert.True(duplicates > 5, $"{duplicates} resends");
        await RollupAssert.MatchPointsAsync(host.Database);

        var day = new DateOnly(2026, 11, 2);
        var statistics = await commercial.StatisticsAsync();
        foreach (var item in CommercialItems)
        {
            var expected = await RollupAssert.DayFromPointsAsync(host.Database, commercial.Id, (Item)item, day, Period.Commercial);
            Assert.Equal(expected, statistics[item].Today);
            var daily = await commercial.PointsAsync(item, UsagePointGranularity.Daily, dayStart, dayStart.AddDays(1));
            Assert.Equal(expected, daily.Single().Quantity);
        }

        // The day closes (after the late grace); a late record of it is refused and changes no rollup.
        host.MoveClockTo(dayStart.AddDays(1).AddMinutes(40));
        var collectorOfCommercial = collectors[0].Item2;
        await collectorOfCommercial.ReportAsync("c0", 1_000, Record(BillingItem.Logs, 5, host.Clock.GetUtcNow()), Record(BillingItem.TimeSeries, 7, host.Clock.GetUtcNow()));
        await host.CloseDayAsync("cn1", day);
        await RpcAssert.Fails(StatusCode.FailedPrecondition,
            () => collectorOfCommercial.ReportAsync("c1", 1_000, Record(BillingItem.Logs, 5, dayStart.AddHours(23))), "DAY_CLOSED");
        await RollupAssert.MatchPointsAsync(host.Database);

        var bill = (await host.BillsAsync(commercial.Id, 2026, 11)).Single(b => b.Day.Day == 2);
        foreach (var line in bill.Lines)
        {
            Assert.Equal(await RollupAssert.DayFromPointsAsync(host.Database, commercial.Id, (Item)line.Item, day, Period.Commercial), line.Quantity);
        }
        var today = await commercial.StatisticsAsync();
        Assert.Equal((5L, 7L), (today[BillingItem.Logs].Today, today[BillingItem.TimeSeries].Today));
    }
}
