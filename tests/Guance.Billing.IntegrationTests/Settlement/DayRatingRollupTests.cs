using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.IntegrationTests.Usage;
using Guance.Billing.V1;
using Microsoft.EntityFrameworkCore;
using static Guance.Billing.IntegrationTests.Usage.UsageTestKit;
using DailyAggregation = Guance.Billing.Usage.DailyAggregation;
using Items = Guance.Billing.Usage.BillingItems;
using Period = Guance.Billing.Workspaces.Plan;

namespace Guance.Billing.IntegrationTests.Settlement;

/// <summary>
/// The day close rates from the daily rollups (DayRating): its bills must be what the raw points give
/// (docs/domain.md §3: per hour summed over collectors, then the largest hour for stock items or the sum
/// of hours for flow items, only the commercial period, the DataKit's included series), after random
/// reports of several collectors over the whole site-local day and the minutes before it, resent batches,
/// late values (stock values that lose to a later observation), an upgrade in the middle of the day
/// (its hour split between the periods), experience usage, and a workspace that never upgraded.
/// </summary>
public sealed class DayRatingRollupTests
{
    private static readonly TimeSpan China = TimeSpan.FromHours(8);

    private static readonly BillingItem[] CommercialItems =
    [
        BillingItem.TimeSeries, BillingItem.Logs, BillingItem.BackupLogs, BillingItem.NetworkHosts, BillingItem.SessionReplay, BillingItem.ApmTrace,
        BillingItem.ApmProfile, BillingItem.RumPv, BillingItem.SyntheticTests, BillingItem.Triggers, BillingItem.Sms,
    ];

    private static readonly BillingItem[] ExperienceItems = [BillingItem.Logs, BillingItem.ApmTrace, BillingItem.TimeSeries];

    [Fact]
    public async Task Bills_rated_from_the_rollups_equal_the_rating_of_the_raw_points()
    {
        using var host = new BillingHost();
        host.Settings["Guance:Usage:DataKitItemEnabled"] = "true";
        var always = await host.CreateWorkspaceAsync("cn1");
        await host.UpgradeAsync(always);
        var withDataKits = await host.CreateWorkspaceAsync("cn1");
        await host.UpgradeAsync(withDataKits);
        var upgradedAtNoon = await host.CreateWorkspaceAsync("cn1");
        var neverUpgraded = await host.CreateWorkspaceAsync("cn1");

        var day = DateOnly.FromDateTime(host.Clock.GetUtcNow().ToOffset(China).DateTime).AddDays(1);
        var dayStart = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), China);
        host.MoveClockTo(dayStart.AddMinutes(3));
        var upgradeAt = dayStart.AddHours(13).AddMinutes(30);
        var reporters = new[]
        {
            (Workspace: always, Collector: await host.CollectorAsync(always), Items: CommercialItems),
            (Workspace: withDataKits, Collector: await host.CollectorAsync(withDataKits), Items: [BillingItem.TimeSeries, BillingItem.Datakit, BillingItem.Logs]),
            (Workspace: upgradedAtNoon, Collector: await host.CollectorAsync(upgradedAtNoon), Items: ExperienceItems),
            (Workspace: neverUpgraded, Collector: await host.CollectorAsync(neverUpgraded), Items: ExperienceItems),
        };

        var random = new Random(1717);
        var sent = new List<(Api Collector, string Id, long Sequence, UsageRecord[] Records)>();
        var sequences = new Dictionary<string, long>();
        // Either side of the site-local midnight: the minutes before it belong to the day before (not this bill).
        foreach (var (workspace, collector, items) in reporters)
        {
            sequences[workspace.Id + "/c0"] = 1;
            Assert.False((await collector.ReportAsync("c0", 1, [.. items.SelectMany(i => new[] { Record(i, 7, dayStart.AddMinutes(-10)), Record(i, 5, dayStart.AddMinutes(1)) })])).Duplicate);
        }
        var resends = 0;
        var upgraded = false;
        var upgradedAt = DateTimeOffset.MaxValue;
        while (host.Clock.GetUtcNow() < dayStart.AddHours(23).AddMinutes(50))
        {
            host.Clock.Advance(TimeSpan.FromMinutes(random.Next(2, 12)));
            var now = host.Clock.GetUtcNow();
            if (!upgraded && now >= upgradeAt)
            {
                await host.UpgradeAsync(upgradedAtNoon);
                upgraded = true;
                upgradedAt = now; // the upgrade instant: the clock's time
            }
            if (sent.Count > 0 && random.Next(6) == 0)
            {
                var (again, againId, againSequence, againRecords) = sent[random.Next(sent.Count)];
                Assert.True((await again.ReportAsync(againId, againSequence, againRecords)).Duplicate);
                resends++;
                continue;
            }
            var (workspace, collector, items) = reporters[random.Next(reporters.Length)];
            var id = "c" + random.Next(3).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var key = workspace.Id + "/" + id;
            var sequence = sequences[key] = sequences.GetValueOrDefault(key) + random.Next(1, 4);
            var commercial = workspace == always || workspace == withDataKits || (workspace == upgradedAtNoon && upgraded);
            var records = Enumerable.Range(0, random.Next(1, 12)).Select(_ =>
            {
                // Anywhere in the day so far, mostly the last two hours, so that stock values of one hour arrive out
                // of order (a late one loses to the later observation).
                var from = random.Next(4) == 0 || now < dayStart.AddHours(2) ? dayStart : now.AddHours(-2);
                var observedAt = from + (now - from) * random.NextDouble();
                if (workspace == upgradedAtNoon && random.Next(3) == 0)
                {
                    observedAt = upgradeAt.AddMinutes(random.Next(-25, 25)); // the upgrade hour, either period
                }
                observedAt = observedAt > now ? now : observedAt;
                // Observed before the upgrade instant is experience usage, which offers fewer items.
                var item = commercial && workspace == upgradedAtNoon && observedAt >= upgradedAt
                    ? CommercialItems[random.Next(CommercialItems.Length)] : items[random.Next(items.Length)];
                var quantity = item == BillingItem.Datakit ? random.Next(0, 3) : item == BillingItem.TimeSeries && workspace == withDataKits ? random.Next(0, 900) : random.Next(0, 60);
                return Record(item, quantity, observedAt);
            }).ToArray();
            Assert.False((await collector.ReportAsync(id, sequence, records)).Duplicate);
            sent.Add((collector, id, sequence, records));
        }
        Assert.True(upgraded);
        Assert.True(resends > 10, $"{resends} resends");

        host.MoveClockTo(dayStart.AddDays(1).AddMinutes(40));
        await host.CloseDayAsync("cn1", day);

        await using var db = host.Database.NewContext();
        var points = await db.UsagePoints.AsNoTracking().Where(p => p.BillingDay == day).ToListAsync();
        // The upgrade hour holds both periods' points, and usage of the day before exists: the cases are there.
        var local = upgradedAt.ToOffset(China);
        var upgradeHour = new DateTimeOffset(local.Year, local.Month, local.Day, local.Hour, 0, 0, China);
        Assert.Equal(2, points.Where(p => p.WorkspaceId == upgradedAtNoon.Id && p.HourStart == upgradeHour).Select(p => p.Plan).Distinct().Count());
        Assert.True(await db.UsagePoints.AnyAsync(p => p.BillingDay == day.AddDays(-1)));

        foreach (var workspace in new[] { always, withDataKits, upgradedAtNoon })
        {
            var expected = ExpectedLines(points.Where(p => p.WorkspaceId == workspace.Id && p.Plan == Period.Commercial));
            var bill = await host.BillAsync(workspace.Id, day);
            Assert.Equal(expected, bill.Lines.Select(l => (Item: (int)l.Item, l.Quantity)).OrderBy(l => l.Item).ToList());
            Assert.NotEmpty(expected);
        }
        Assert.DoesNotContain((await host.BillsAsync(neverUpgraded.Id, day.Year, day.Month)), b => b.Day.ToDateOnly() == day);
        Assert.Contains(ExpectedLines(points.Where(p => p.WorkspaceId == withDataKits.Id && p.Plan == Period.Commercial)), l => l.Item == (int)BillingItem.Datakit && l.Quantity > 0);
    }

    /// <summary>The rating of raw points, by hand: hours summed over collectors, then MAX or SUM per item; the DataKits' series subtracted.</summary>
    private static List<(int Item, long Quantity)> ExpectedLines(IEnumerable<Guance.Billing.Usage.UsagePoint> points)
    {
        var days = points
            .GroupBy(p => p.Item)
            .ToDictionary(g => g.Key, g =>
            {
                var hours = g.GroupBy(p => p.HourStart).Select(h => h.Sum(p => p.Quantity)).ToList();
                return Items.Get(g.Key).Aggregation == DailyAggregation.Max ? hours.Max() : hours.Sum();
            });
        var dataKits = days.GetValueOrDefault(Guance.Billing.Usage.BillingItem.DataKit);
        return days
            .Select(d => (Item: (int)d.Key, Quantity: d.Key == Guance.Billing.Usage.BillingItem.TimeSeries && dataKits > 0 ? Math.Max(0, d.Value - 300 * dataKits) : d.Value))
            .OrderBy(l => l.Item)
            .ToList();
    }
}
