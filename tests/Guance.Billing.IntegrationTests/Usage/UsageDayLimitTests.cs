using Google.Rpc;
using Grpc.Core;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.Common;
using Guance.Billing.V1;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Guance.Billing.IntegrationTests.Usage.UsageTestKit;

namespace Guance.Billing.IntegrationTests.Usage;

/// <summary>
/// The most one billing day of an item may hold (docs/ingestion.md, <c>MaxDayQuantity</c>): a batch that would take a
/// day past it is refused whole, so that a day's sums and its rating cannot overflow whatever agents send; the
/// batches that share its group commit are not.
/// </summary>
public sealed class UsageDayLimitTests(BillingHost host) : IClassFixture<BillingHost>
{
    private const long MaxRecord = 1_000_000_000_000;

    [Fact]
    public async Task A_batch_taking_a_day_past_the_default_limit_is_refused_whole_and_the_stream_goes_on()
    {
        var workspace = await host.CreateWorkspaceAsync();
        await host.UpgradeAsync(workspace);
        var collector = await host.CollectorAsync(workspace);
        var now = host.Clock.GetUtcNow();
        await collector.ReportAsync("host-1", 1, Records(BillingItem.Logs, 600, now));

        var (stream, _) = await UsageStream.OpenAsync(collector, "host-1");
        await using (stream)
        {
            await stream.SendAsync(2, [Record(BillingItem.ApmTrace, 5, now), .. Records(BillingItem.Logs, 401, now)]);
            await stream.SendAsync(3, Records(BillingItem.Logs, 400, now));
            var rejected = await stream.RejectedAsync();
            Assert.Equal(2, rejected.Sequence);
            Assert.Equal((int)StatusCode.ResourceExhausted, rejected.Status.Code);
            Assert.Equal("BILLING_ITEM_LOGS", Assert.Single(rejected.Status.GetDetail<QuotaFailure>().Violations).Subject);
            var info = rejected.Status.GetDetail<ErrorInfo>();
            Assert.Equal("DAY_QUANTITY_LIMIT_EXCEEDED", info.Reason);
            Assert.Equal("BILLING_ITEM_LOGS", info.Metadata["billing_item"]);
            Assert.Equal("2026-11-02", info.Metadata["billing_day"]);
            Assert.Equal("1000000000000000", info.Metadata["max_day_quantity"]);
            Assert.Equal(new DateTimeOffset(2026, 11, 1, 16, 0, 0, TimeSpan.Zero), DateTimeOffset.Parse(info.Metadata["day_start"], System.Globalization.CultureInfo.InvariantCulture));
            Assert.Contains("1,001,000,000,000,000", rejected.Status.Message);
            // Exactly the limit is fine, and the refused sequence was not committed.
            Assert.Equal(3, (await stream.AckAsync()).Sequence);
        }

        var statistics = await workspace.StatisticsAsync();
        Assert.Equal(1_000 * MaxRecord, statistics[BillingItem.Logs].Today);
        Assert.Equal(0, statistics[BillingItem.ApmTrace].Today);
        await RpcAssert.Fails(StatusCode.ResourceExhausted, () => collector.ReportAsync("host-2", 1, Record(BillingItem.Logs, 1, now)), "DAY_QUANTITY_LIMIT_EXCEEDED");
        Assert.Equal(1_000 * MaxRecord, (await workspace.StatisticsAsync())[BillingItem.Logs].Today);
    }

    [Fact]
    public async Task In_one_group_commit_only_the_batches_past_the_limit_are_refused()
    {
        using var small = new BillingHost();
        small.Settings["Guance:Usage:MaxDayQuantity"] = "1000";
        var workspace = await small.CreateWorkspaceAsync();
        await small.UpgradeAsync(workspace);
        var other = await small.CreateWorkspaceAsync();
        await small.UpgradeAsync(other);
        var collector = await small.CollectorAsync(workspace);
        var otherCollector = await small.CollectorAsync(other);
        var now = small.Clock.GetUtcNow();
        var writer = small.Services.GetRequiredService<Guance.Billing.Usage.UsageWriter>();
        var (listener, measurements) = small.ListenToUsageMeter();
        using var listening = listener;

        var (a, _) = await UsageStream.OpenAsync(collector, "a");
        var (b, _) = await UsageStream.OpenAsync(collector, "b");
        var (c, _) = await UsageStream.OpenAsync(collector, "c");
        var (d, _) = await UsageStream.OpenAsync(otherCollector, "d");
        var (z, _) = await UsageStream.OpenAsync(collector, "z");
        await using (a)
        await using (b)
        await using (c)
        await using (d)
        await using (z)
        {
            // The writer is held in a first commit (z's batch) while the others queue behind it: they commit as one group.
            await using (await small.HoldWriteLockAsync())
            {
                await z.SendAsync(1, Record(BillingItem.Logs, 1, now));
                using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                // z's batch in the held commit, not only queued: else the writer could take it with the others.
                while (writer.CommittingBatches < 1)
                {
                    await Task.Delay(10, patience.Token);
                }
                await a.SendAsync(1, Record(BillingItem.Logs, 600, now));
                await a.SendAsync(2, Record(BillingItem.Logs, 300, now));
                await a.SendAsync(3, Record(BillingItem.Logs, 200, now), Record(BillingItem.ApmTrace, 7, now));
                await b.SendAsync(1, Record(BillingItem.Logs, 50, now));
                await b.SendAsync(2, Record(BillingItem.Logs, 49, now));
                await c.SendAsync(1, Record(BillingItem.ApmTrace, 5, now));
                await d.SendAsync(1, Record(BillingItem.Logs, 1000, now));
                while (writer.QueuedBatches < 8)
                {
                    await Task.Delay(10, patience.Token);
                }
            }

            Assert.Equal(1, (await z.AckAsync()).Sequence);
            // In the order of the collectors: a's 600 and 300 fit (901 with z's 1), its 200 would make 1,101.
            Assert.Equal(1, (await a.AckAsync()).Sequence);
            Assert.Equal(2, (await a.AckAsync()).Sequence);
            var rejected = await a.RejectedAsync();
            Assert.Equal(3, rejected.Sequence);
            Assert.Equal("DAY_QUANTITY_LIMIT_EXCEEDED", rejected.Status.GetDetail<ErrorInfo>().Reason);
            // b's 50 and 49 make exactly 1,000; c's other item and d's other workspace are not touched by the refusal.
            Assert.Equal(1, (await b.AckAsync()).Sequence);
            Assert.Equal(2, (await b.AckAsync()).Sequence);
            Assert.Equal(1, (await c.AckAsync()).Sequence);
            Assert.Equal(1, (await d.AckAsync()).Sequence);
        }

        // a's 200 always shares a group with other batches (the writer holds z, and maybe a few after it, while the rest
        // queue), so the group was rolled back and committed apart at least once.
        lock (measurements)
        {
            Assert.Contains(measurements, m => m.Instrument == "guance.usage.commit.splits");
        }
        var statistics = await workspace.StatisticsAsync();
        Assert.Equal(1_000, statistics[BillingItem.Logs].Today);
        Assert.Equal(5, statistics[BillingItem.ApmTrace].Today);
        Assert.Equal(1_000, (await other.StatisticsAsync())[BillingItem.Logs].Today);
    }

    [Fact]
    public async Task A_storage_failure_while_committing_apart_commits_no_later_batch_of_that_collector()
    {
        using var small = new BillingHost();
        small.Settings["Guance:Usage:MaxDayQuantity"] = "1000";
        var workspace = await small.CreateWorkspaceAsync();
        await small.UpgradeAsync(workspace);
        var collector = await small.CollectorAsync(workspace);
        var now = small.Clock.GetUtcNow();
        var writer = small.Services.GetRequiredService<Guance.Billing.Usage.UsageWriter>();
        // A storage failure of b's first batch when it is committed alone: the insert of its 777 fails unless a's 1,000
        // is written in the same transaction (as it is in the group's commit, a coming first in the writer's order).
        await ExecuteAsync(small, small.Database.Provider == DatabaseProvider.Postgres
            ? """
              CREATE FUNCTION fail_alone() RETURNS trigger LANGUAGE plpgsql AS $$
              BEGIN
                IF NEW.quantity = 777 AND NOT EXISTS (SELECT 1 FROM usage_points WHERE collector_id = 'a' AND quantity = 1000) THEN
                  RAISE EXCEPTION 'injected storage failure';
                END IF;
                RETURN NEW;
              END $$;
              CREATE TRIGGER fail_alone BEFORE INSERT ON usage_points FOR EACH ROW EXECUTE FUNCTION fail_alone();
              """
            : """
              CREATE TRIGGER fail_alone BEFORE INSERT ON usage_points
              WHEN NEW.quantity = 777 AND NOT EXISTS (SELECT 1 FROM usage_points WHERE collector_id = 'a' AND quantity = 1000)
              BEGIN SELECT RAISE(ABORT, 'injected storage failure'); END;
              """);

        var (a, _) = await UsageStream.OpenAsync(collector, "a");
        var (b, _) = await UsageStream.OpenAsync(collector, "b");
        var (r, _) = await UsageStream.OpenAsync(collector, "r");
        var (z, _) = await UsageStream.OpenAsync(collector, "z");
        await using (a)
        await using (b)
        await using (r)
        await using (z)
        {
            await using (await small.HoldWriteLockAsync())
            {
                await z.SendAsync(1, Record(BillingItem.Logs, 1, now));
                using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                // z's batch in the held commit, not only queued: else the writer could take it with the others.
                while (writer.CommittingBatches < 1)
                {
                    await Task.Delay(10, patience.Token);
                }
                await a.SendAsync(1, Record(BillingItem.Logs, 1000, now));
                await b.SendAsync(1, Record(BillingItem.Logs, 777, now));
                await b.SendAsync(2, Record(BillingItem.Logs, 1, now));
                await r.SendAsync(1, Record(BillingItem.ApmTrace, 5, now));
                while (writer.QueuedBatches < 5)
                {
                    await Task.Delay(10, patience.Token);
                }
            }

            Assert.Equal(1, (await z.AckAsync()).Sequence);
            // The group goes past the limit and is committed apart: r's batch with the rest, a's alone (refused), b's 1
            // alone (the storage failure), and b's 2 not at all, since a mark of 2 would tell b that its 1 was committed.
            Assert.Equal(1, (await r.AckAsync()).Sequence);
            Assert.Equal("DAY_QUANTITY_LIMIT_EXCEEDED", (await a.RejectedAsync()).Status.GetDetail<ErrorInfo>().Reason);
            await b.EndsWithAsync(StatusCode.Unavailable, "STORAGE_UNAVAILABLE");
        }

        await ExecuteAsync(small, "DROP TRIGGER fail_alone" + (small.Database.Provider == DatabaseProvider.Postgres ? " ON usage_points" : ""));
        var (again, opened) = await UsageStream.OpenAsync(collector, "b");
        await using (again)
        {
            Assert.Equal(0, opened.LastCommittedSequence);
            await again.SendAsync(1, Record(BillingItem.Logs, 777, now));
            await again.SendAsync(2, Record(BillingItem.Logs, 1, now));
            Assert.Equal(1, (await again.AckAsync()).Sequence);
            Assert.Equal(2, (await again.AckAsync()).Sequence);
        }
        var statistics = await workspace.StatisticsAsync();
        Assert.Equal(1 + 777 + 1, statistics[BillingItem.Logs].Today);
        Assert.Equal(5, statistics[BillingItem.ApmTrace].Today);
    }

    [Fact]
    public async Task A_stock_items_limit_is_on_its_largest_hour_summed_over_collectors()
    {
        using var small = new BillingHost();
        small.Settings["Guance:Usage:MaxDayQuantity"] = "1000";
        var workspace = await small.CreateWorkspaceAsync();
        await small.UpgradeAsync(workspace);
        var collector = await small.CollectorAsync(workspace);
        // Two whole hours after the upgrade (01:30 UTC), so that both count as commercial usage.
        small.Clock.Advance(TimeSpan.FromHours(2));
        var hour = new DateTimeOffset(2026, 11, 2, 2, 0, 0, TimeSpan.Zero);

        await collector.ReportAsync("a", 1, Record(BillingItem.TimeSeries, 700, hour.AddMinutes(1)));
        await collector.ReportAsync("b", 1, Record(BillingItem.TimeSeries, 300, hour.AddMinutes(2)));
        await RpcAssert.Fails(StatusCode.ResourceExhausted,
            () => collector.ReportAsync("b", 2, Record(BillingItem.TimeSeries, 301, hour.AddMinutes(3))), "DAY_QUANTITY_LIMIT_EXCEEDED");
        // A lower value replaces a's in the hour; then b may grow into the room it left.
        await collector.ReportAsync("a", 2, Record(BillingItem.TimeSeries, 600, hour.AddMinutes(4)));
        await collector.ReportAsync("b", 3, Record(BillingItem.TimeSeries, 400, hour.AddMinutes(5)));
        // Another hour of the day on its own.
        await collector.ReportAsync("a", 3, Record(BillingItem.TimeSeries, 1000, hour.AddHours(1)));

        var points = await workspace.PointsAsync(BillingItem.TimeSeries, UsagePointGranularity.Hourly, hour, hour.AddHours(2));
        Assert.Equal([1_000L, 1_000L], points.Select(p => p.Quantity));
        Assert.Equal(1_000, (await workspace.StatisticsAsync())[BillingItem.TimeSeries].Today);
    }

    private static async Task ExecuteAsync(BillingHost host, string sql)
    {
        await using var db = host.Database.NewContext();
        await db.Database.ExecuteSqlRawAsync(sql);
    }

    private static UsageRecord[] Records(BillingItem item, int count, DateTimeOffset observedAt) =>
        Enumerable.Range(0, count).Select(_ => Record(item, MaxRecord, observedAt)).ToArray();
}
