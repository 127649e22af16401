using Guance.Billing.Common;
using Guance.Billing.Usage;
using Guance.Billing.Workspaces;
using Microsoft.Extensions.Options;

namespace Guance.Billing.Tests.Usage;

/// <summary>The counting rules of docs/domain.md §2-3 on their own: hours, aggregation, quotas, closed days, the catalog.</summary>
public sealed class UsageRuleTests
{
    private static readonly Site Shanghai = Sites.Get("cn1");
    private static readonly UsageOptions Options = new();
    private static readonly IDayCloseOracle Days = new GraceDayCloseOracle(Microsoft.Extensions.Options.Options.Create(Options));
    private static DateTimeOffset Utc(int month, int day, int hour, int minute = 0) => new(2026, month, day, hour, minute, 0, TimeSpan.Zero);
    private static WorkspaceSnapshot Workspace(Plan plan = Plan.Commercial, Site? site = null) => new("ws_x", site ?? Shanghai, plan, WorkspaceState.Active, null);
    private static UsageRecord R(BillingItem item, long quantity, DateTimeOffset at) => new((int)item, quantity, at);

    [Fact]
    public void An_hour_and_its_billing_day_are_site_local()
    {
        var hour = SiteHours.Compute(Shanghai, Utc(11, 2, 15, 59));
        Assert.Equal((Utc(11, 2, 15), new DateOnly(2026, 11, 2)), (hour.Start, hour.BillingDay));
        hour = SiteHours.Compute(Shanghai, Utc(11, 2, 16, 0));
        Assert.Equal((Utc(11, 2, 16), new DateOnly(2026, 11, 3)), (hour.Start, hour.BillingDay));

        // The repeated hour of a fall-back night is two hours of the same day.
        var berlin = Sites.Get("eu1");
        var first = SiteHours.Compute(berlin, Utc(10, 25, 0, 30));
        var second = SiteHours.Compute(berlin, Utc(10, 25, 1, 30));
        Assert.NotEqual(first.Start, second.Start);
        Assert.Equal(first.BillingDay, second.BillingDay);
        Assert.Equal(Utc(10, 25, 1), second.Start);
    }

    [Fact]
    public void A_batch_collapses_to_one_row_per_item_and_hour()
    {
        var batch = BatchAggregator.Aggregate(Workspace(), 1,
        [
            R(BillingItem.Logs, 5, Utc(11, 2, 1, 10)),
            R(BillingItem.TimeSeries, 100, Utc(11, 2, 1, 30)),
            R(BillingItem.Logs, 7, Utc(11, 2, 1, 50)),
            R(BillingItem.TimeSeries, 80, Utc(11, 2, 1, 40)),
            R(BillingItem.TimeSeries, 999, Utc(11, 2, 1, 5)),
            R(BillingItem.Logs, 11, Utc(11, 2, 0, 59)),
        ], Utc(11, 2, 1, 55), Options, Days);

        Assert.Equal(6, batch.RecordCount);
        var rows = batch.Rows.ToDictionary(r => (r.Item.Item, r.Hour.Start.Hour));
        Assert.Equal(3, rows.Count);
        Assert.Equal(12, rows[(BillingItem.Logs, 1)].Quantity);
        Assert.Equal(11, rows[(BillingItem.Logs, 0)].Quantity);
        // A stock item keeps the latest observed value of the hour, whatever the order of the records.
        Assert.Equal(80, rows[(BillingItem.TimeSeries, 1)].Quantity);
        Assert.Equal(Utc(11, 2, 1, 40), rows[(BillingItem.TimeSeries, 1)].ObservedAt);
    }

    [Fact]
    public void Aggregating_a_batch_allocates_its_rows_and_nothing_per_record()
    {
        // A fleet's agent sends a handful of records every few seconds: what a batch allocates is what each of
        // thousands of streams leaves to the garbage collector, and each collection pauses every stream.
        var now = Utc(11, 2, 1, 55);
        UsageRecord[] Batch(int records) =>
            Enumerable.Range(0, records).Select(i => R(new[] { BillingItem.Logs, BillingItem.ApmTrace, BillingItem.RumPv, BillingItem.Triggers }[i % 4], 1, now)).ToArray();
        var workspace = Workspace();
        long Allocated(UsageRecord[] records)
        {
            BatchAggregator.Aggregate(workspace, 1, records, now, Options, Days);
            var before = GC.GetAllocatedBytesForCurrentThread();
            BatchAggregator.Aggregate(workspace, 1, records, now, Options, Days);
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }

        var ten = Allocated(Batch(10));
        Assert.Equal(ten, Allocated(Batch(10_000)));
        // Four rows (about 90 bytes each), their list and the batch: 480 bytes. An array indexed by item, made per
        // batch to find each item's last row, added 128 more.
        Assert.InRange(ten, 1, 512);
    }

    [Fact]
    public void Invalid_records_reject_the_whole_batch_with_each_field()
    {
        var now = Utc(11, 2, 2);
        var error = Assert.Throws<BillingException>(() => BatchAggregator.Aggregate(Workspace(), 1,
            [R(BillingItem.Logs, 1, now), new UsageRecord(0, 1, now), new UsageRecord(13, 1, now), R(BillingItem.Logs, -1, now), new UsageRecord(2, 1, null), R(BillingItem.Logs, 1, now.AddMinutes(5).AddTicks(1))],
            now, Options, Days));
        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        Assert.Equal("UNKNOWN_BILLING_ITEM", error.Reason);
        Assert.Equal(["records[1].item", "records[2].item", "records[3].quantity", "records[4].observed_at", "records[5].observed_at"], error.FieldViolations.Select(v => v.Field));

        var many = Enumerable.Range(0, 50).Select(_ => R(BillingItem.Logs, -1, now)).Prepend(R(BillingItem.Logs, 1, now)).ToArray();
        error = Assert.Throws<BillingException>(() => BatchAggregator.Aggregate(Workspace(), 1, many, now, Options, Days));
        Assert.Equal(BatchAggregator.MaxReportedViolations, error.FieldViolations.Count);
        Assert.Equal("NEGATIVE_QUANTITY", error.Reason);
        // The message counts every invalid record, also those past the violations it lists.
        Assert.StartsWith("The batch has invalid fields in 50 of its 51 records, 40 of them not listed; nothing of it was applied: records[1].quantity ", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cn1")]
    [InlineData("us1")]
    public void An_unset_clock_refuses_the_batch_instead_of_overflowing_site_time(string site)
    {
        // 0001-01-01 once overflowed the site-local hour (west of UTC) or the closed day's start (east of it).
        foreach (var unset in new[] { DateTimeOffset.MinValue, DateTimeOffset.UnixEpoch, BatchAggregator.EarliestObservedAt.AddTicks(-1) })
        {
            var error = Assert.Throws<BillingException>(() => BatchAggregator.Aggregate(Workspace(site: Sites.Get(site)), 1,
                [R(BillingItem.Logs, 1, Utc(11, 2, 1)), R(BillingItem.Logs, 1, unset)], Utc(11, 2, 2), Options, Days));
            Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
            Assert.Equal("OBSERVED_TOO_OLD", error.Reason);
            Assert.Equal(["records[1].observed_at"], error.FieldViolations.Select(v => v.Field));
        }
    }

    [Fact]
    public void The_shape_of_a_batch_is_checked_first()
    {
        Assert.Equal("TOO_MANY_RECORDS", Assert.Throws<BillingException>(() => BatchAggregator.CheckShape(1, 10_001, Options)).Reason);
        var error = Assert.Throws<BillingException>(() => BatchAggregator.CheckShape(0, 0, Options));
        Assert.Equal(["sequence", "records"], error.FieldViolations.Select(v => v.Field));
        BatchAggregator.CheckShape(1, 10_000, Options);
    }

    [Fact]
    public void A_day_closes_at_its_end_plus_the_grace()
    {
        var day = new DateOnly(2026, 11, 2);
        Assert.Equal(Utc(11, 2, 16, 30), Days.ClosesAt(Shanghai, day));
        Assert.False(Days.IsClosed(Shanghai, day, Utc(11, 2, 16, 29)));
        Assert.True(Days.IsClosed(Shanghai, day, Utc(11, 2, 16, 30)));

        var error = Assert.Throws<BillingException>(() => BatchAggregator.Aggregate(Workspace(), 1, [R(BillingItem.Logs, 1, Utc(11, 2, 15))], Utc(11, 2, 16, 30), Options, Days));
        Assert.Equal("DAY_CLOSED", error.Reason);
        Assert.Equal("2026-11-02", error.Metadata["billing_day"]);
    }

    [Fact]
    public void Experience_workspaces_report_only_items_with_a_free_quota()
    {
        var now = Utc(11, 2, 2);
        foreach (var item in new[] { BillingItem.BackupLogs, BillingItem.Sms, BillingItem.NetworkHosts })
        {
            var error = Assert.Throws<BillingException>(() => BatchAggregator.Aggregate(Workspace(Plan.Experience), 1, [R(item, 1, now)], now, Options, Days));
            Assert.Equal("ITEM_NOT_AVAILABLE_ON_EXPERIENCE", error.Reason);
        }
        BatchAggregator.Aggregate(Workspace(Plan.Experience), 1, [R(BillingItem.SyntheticTests, 1, now)], now, Options, Days);
        Assert.Throws<BillingException>(() => BatchAggregator.Aggregate(Workspace(Plan.Experience, Sites.Get("ap1")), 1, [R(BillingItem.SyntheticTests, 1, now)], now, Options, Days));
        Assert.Equal("ITEM_NOT_ENABLED", Assert.Throws<BillingException>(() => BatchAggregator.Aggregate(Workspace(), 1, [R(BillingItem.DataKit, 1, now)], now, Options, Days)).Reason);
        BatchAggregator.Aggregate(Workspace(), 1, [R(BillingItem.DataKit, 1, now)], now, new UsageOptions { DataKitItemEnabled = true }, Days);
    }

    [Fact]
    public void The_day_quantity_for_a_quota_is_the_largest_hour_for_stock_and_the_sum_for_flow()
    {
        QuotaCheck.StoredRow Stored(long hour, string collector, long quantity, long at) => new(hour, collector, quantity, at);
        var stored = new[] { Stored(1, "a", 2_000, 10), Stored(1, "b", 1_000, 10), Stored(2, "a", 500, 10) };

        Assert.Equal(3_000, QuotaCheck.DayQuantityAfter(DailyAggregation.Max, stored, "c", []));
        // b's newer value replaces its older one in hour 1; an older one does not.
        Assert.Equal(2_900, QuotaCheck.DayQuantityAfter(DailyAggregation.Max, stored, "b", [new(1, 900, 11)]));
        Assert.Equal(3_000, QuotaCheck.DayQuantityAfter(DailyAggregation.Max, stored, "b", [new(1, 5_000, 9)]));
        Assert.Equal(3_100, QuotaCheck.DayQuantityAfter(DailyAggregation.Max, stored, "c", [new(2, 2_600, 1)]));
        Assert.Equal(3_600, QuotaCheck.DayQuantityAfter(DailyAggregation.Sum, stored, "c", [new(3, 100, 1)]));
    }

    [Fact]
    public void A_day_is_the_max_or_the_sum_of_its_hours()
    {
        Assert.Equal(7, DailyQuantity.Of(DailyAggregation.Max, [3, 7, 5]));
        Assert.Equal(15, DailyQuantity.Of(DailyAggregation.Sum, [3, 7, 5]));
        Assert.Equal(0, DailyQuantity.Of(DailyAggregation.Max, []));
    }

    [Fact]
    public void The_hour_of_the_upgrade_splits_into_an_experience_and_a_commercial_row_by_observed_at()
    {
        // docs/domain.md §2: billing starts at the upgrade instant (02:30 UTC), not at the next whole hour.
        var upgraded = Workspace() with { UpgradedAt = Utc(11, 2, 2, 30) };
        var batch = BatchAggregator.Aggregate(upgraded, 1,
        [
            R(BillingItem.Logs, 5, Utc(11, 2, 2, 15)),
            R(BillingItem.Logs, 200_000, Utc(11, 2, 2, 45)),
            R(BillingItem.Logs, 1, Utc(11, 2, 2, 30)),
            R(BillingItem.TimeSeries, 900, Utc(11, 2, 2, 29)),
            R(BillingItem.TimeSeries, 4_000, Utc(11, 2, 2, 20)),
            R(BillingItem.TimeSeries, 1_200, Utc(11, 2, 2, 50)),
            R(BillingItem.TimeSeries, 1_500, Utc(11, 2, 2, 40)),
        ], Utc(11, 2, 2, 55), Options, Days);

        var rows = batch.Rows.ToDictionary(r => (r.Item.Item, r.Period));
        Assert.Equal(4, rows.Count);
        Assert.All(rows.Values, r => Assert.Equal(Utc(11, 2, 2), r.Hour.Start));
        Assert.Equal(5, rows[(BillingItem.Logs, Plan.Experience)].Quantity);
        Assert.Equal(200_001, rows[(BillingItem.Logs, Plan.Commercial)].Quantity);
        // A stock item keeps the latest value within each period's part of the hour.
        Assert.Equal(900, rows[(BillingItem.TimeSeries, Plan.Experience)].Quantity);
        Assert.Equal(1_200, rows[(BillingItem.TimeSeries, Plan.Commercial)].Quantity);
        Assert.True(batch.HasExperienceRows);

        Assert.Equal(Plan.Experience, BatchAggregator.PeriodOf(Workspace(Plan.Experience), Utc(11, 2, 3)));
        Assert.Equal(Plan.Commercial, BatchAggregator.PeriodOf(upgraded, Utc(11, 2, 2, 30)));
        Assert.Equal(Plan.Experience, BatchAggregator.PeriodOf(upgraded, Utc(11, 2, 2, 29)));
    }

    [Fact]
    public void The_catalog_follows_the_domain()
    {
        Assert.Equal(12, BillingItems.All.Count);
        Assert.All(BillingItems.All, i => Assert.Same(i, BillingItems.Find((int)i.Item)));
        Assert.Null(BillingItems.Find(0));
        Assert.Null(BillingItems.Find(13));
        Assert.Null(BillingItems.Find(-1));
        var stock = BillingItems.All.Where(i => i.IsStock).Select(i => i.Item).Order();
        Assert.Equal([BillingItem.TimeSeries, BillingItem.BackupLogs, BillingItem.NetworkHosts, BillingItem.SessionReplay, BillingItem.DataKit], stock);
        Assert.Equal(3_000, BillingItems.Get(BillingItem.TimeSeries).ExperienceQuotaOn(Shanghai));
        Assert.Equal(200_000, BillingItems.Get(BillingItem.SyntheticTests).ExperienceQuotaOn(Sites.Get("cn4")));
        Assert.Null(BillingItems.Get(BillingItem.SyntheticTests).ExperienceQuotaOn(Sites.Get("ap1")));
        Assert.Equal("BILLING_ITEM_APM_TRACE", BillingItems.Get(BillingItem.ApmTrace).ContractName);
        Assert.Equal(10, BillingItems.Get(BillingItem.Sms).PriceUnit);
    }

    [Fact]
    public void Collector_ids_are_short_and_plain()
    {
        Assert.True(CollectorIds.IsValid("web-01.prod:eu_1"));
        Assert.False(CollectorIds.IsValid(""));
        Assert.False(CollectorIds.IsValid(null));
        Assert.False(CollectorIds.IsValid("a b"));
        Assert.False(CollectorIds.IsValid("ü"));
        Assert.False(CollectorIds.IsValid(new string('a', 129)));
    }
}
