using System.Globalization;
using Guance.Billing.Common;
using Guance.Billing.Workspaces;

namespace Guance.Billing.Usage;

/// <summary>
/// Validates one batch on its own (all or nothing) and collapses its records into one row per
/// (item, site-local hour, period): a flow item sums, a stock item keeps its latest value. 10,000 records
/// typically become a handful of rows, which is what makes ingestion cheap to commit.
/// </summary>
public static class BatchAggregator
{
    /// <summary>At most this many field violations are reported for one batch.</summary>
    public const int MaxReportedViolations = 10;

    /// <summary>
    /// The earliest observed_at taken. An older time is an agent's unset clock (0001-01-01, 1970-01-01),
    /// not a late record, and is refused as such; it also keeps site-local time arithmetic far from DateTimeOffset.MinValue.
    /// </summary>
    public static readonly DateTimeOffset EarliestObservedAt = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static AggregatedBatch Aggregate(
        WorkspaceSnapshot workspace, long sequence, ReadOnlySpan<UsageRecord> records,
        DateTimeOffset now, UsageOptions options, IDayCloseOracle days)
    {
        CheckShape(sequence, records.Length, options);

        var latestAllowed = now + options.MaxClockSkew;
        var hours = new SiteHours(workspace.Site);
        var rows = new List<AggregatedRow>(8);
        // The index in rows of each item's last row, plus one (0: none yet): consecutive records of an item nearly
        // always share its hour. On the stack, as a batch of a fleet's agent is a handful of records.
        Span<int> lastRowOfItem = stackalloc int[BillingItems.All.Count + 1];
        List<FieldViolation>? violations = null;
        string? reason = null;
        int invalidRecords = 0, listedRecords = 0;

        for (int i = 0; i < records.Length; i++)
        {
            ref readonly var record = ref records[i];
            var item = BillingItems.Find(record.Item);
            if (item is null || record.Quantity < 0 || record.Quantity > options.MaxQuantity
                || record.ObservedAt is not { } observedAt || observedAt > latestAllowed || observedAt < EarliestObservedAt)
            {
                violations ??= new List<FieldViolation>();
                invalidRecords++;
                // Past the violations listed, the rest are only counted (the message says how many records are invalid).
                if (violations.Count < MaxReportedViolations)
                {
                    var first = Describe(record, item, latestAllowed, options, i, violations);
                    reason ??= first;
                    listedRecords++;
                }
                continue;
            }
            if (violations is not null)
            {
                continue;
            }

            var last = lastRowOfItem[(int)item.Item];
            var row = last == 0 ? null : rows[last - 1];
            var ticks = observedAt.UtcTicks;
            var period = PeriodOf(workspace, observedAt);
            if (row is null || row.Period != period || ticks < row.Hour.Start.UtcTicks || ticks >= row.Hour.Start.UtcTicks + TimeSpan.TicksPerHour)
            {
                var hour = hours.HourOf(observedAt);
                var index = IndexOf(rows, item, hour.Start, period);
                if (index < 0)
                {
                    index = rows.Count;
                    rows.Add(new AggregatedRow(item, hour, period));
                }
                row = rows[index];
                lastRowOfItem[(int)item.Item] = index + 1;
            }
            if (item.IsStock)
            {
                if (observedAt >= row.ObservedAt)
                {
                    row.Quantity = record.Quantity;
                    row.ObservedAt = observedAt;
                }
            }
            else
            {
                row.Quantity += record.Quantity;
                if (observedAt > row.ObservedAt)
                {
                    row.ObservedAt = observedAt;
                }
            }
        }

        if (violations is { Count: > 0 })
        {
            throw UsageErrors.InvalidBatch(reason ?? ErrorReasons.InvalidArgument, violations, sequence, (invalidRecords, records.Length, invalidRecords - listedRecords));
        }
        CheckRules(workspace, sequence, rows, now, options, days);
        return new AggregatedBatch(sequence, records.Length, rows);
    }

    /// <summary>
    /// The period a record belongs to (docs/domain.md §2): billing starts at the upgrade instant, so a
    /// record observed before it is experience usage even inside the hour of the upgrade.
    /// </summary>
    public static Plan PeriodOf(WorkspaceSnapshot workspace, DateTimeOffset observedAt) =>
        workspace.IsExperience || (workspace.UpgradedAt is { } upgradedAt && observedAt < upgradedAt) ? Plan.Experience : Plan.Commercial;

    /// <summary>The checks that need no record: the sequence and the batch size.</summary>
    public static void CheckShape(long sequence, int recordCount, UsageOptions options)
    {
        if (sequence >= 1 && recordCount >= 1 && recordCount <= options.MaxRecordsPerBatch)
        {
            return;
        }
        var validator = new RequestValidator()
            .Check(sequence >= 1, "sequence", "must be at least 1")
            .Check(recordCount >= 1, "records", "must have at least one record")
            .Check(recordCount <= options.MaxRecordsPerBatch, "records",
                $"must have at most {options.MaxRecordsPerBatch} records (max_records_per_batch); split the batch");
        if (!validator.IsValid)
        {
            var reason = recordCount > options.MaxRecordsPerBatch ? ErrorReasons.TooManyRecords : ErrorReasons.InvalidArgument;
            try
            {
                validator.ThrowIfInvalid();
            }
            catch (BillingException e)
            {
                throw UsageErrors.InvalidBatch(reason, e.FieldViolations, sequence);
            }
        }
    }

    /// <summary>The rules on the aggregated rows: enabled items, the plan's items, the site's items, open days.</summary>
    private static void CheckRules(WorkspaceSnapshot workspace, long sequence, List<AggregatedRow> rows, DateTimeOffset now, UsageOptions options, IDayCloseOracle days)
    {
        foreach (var row in rows)
        {
            if (!BillingItems.IsEnabled(row.Item, options))
            {
                throw UsageErrors.NotEnabled(row.Item, sequence);
            }
            if (row.Period == Plan.Experience && !row.Item.ExperienceAllows(workspace.Site))
            {
                throw UsageErrors.NotOnExperience(row.Item, workspace.Site, sequence);
            }
            if (!row.Item.IsOfferedOn(workspace.Site))
            {
                throw UsageErrors.NotOffered(row.Item, workspace.Site, sequence);
            }
        }
        DateOnly? checkedDay = null;
        foreach (var row in rows)
        {
            var day = row.Hour.BillingDay;
            if (day != checkedDay)
            {
                if (days.IsClosed(workspace.Site, day, now))
                {
                    throw UsageErrors.Closed(workspace.Site, day, days.ClosesAt(workspace.Site, day), sequence);
                }
                checkedDay = day;
            }
        }
    }

    private static string? Describe(in UsageRecord record, BillingItemInfo? item, DateTimeOffset latestAllowed, UsageOptions options, int index, List<FieldViolation> violations)
    {
        var prefix = string.Create(CultureInfo.InvariantCulture, $"records[{index}].");
        string? first = null;
        void Add(string reason, string field, string description)
        {
            if (violations.Count < MaxReportedViolations)
            {
                violations.Add(new FieldViolation(prefix + field, description));
            }
            first ??= reason;
        }
        if (item is null)
        {
            Add(ErrorReasons.UnknownBillingItem, "item", string.Create(CultureInfo.InvariantCulture,
                $"is not a billing item this host knows ({record.Item}); see ListBillingItems"));
        }
        if (record.Quantity < 0)
        {
            Add(ErrorReasons.NegativeQuantity, "quantity", "must be at least 0");
        }
        else if (record.Quantity > options.MaxQuantity)
        {
            Add(ErrorReasons.QuantityTooLarge, "quantity", string.Create(CultureInfo.InvariantCulture, $"must be at most {options.MaxQuantity}"));
        }
        if (record.ObservedAt is null)
        {
            Add(ErrorReasons.ObservedAtMissing, "observed_at", "must be set to a valid time");
        }
        else if (record.ObservedAt > latestAllowed)
        {
            Add(ErrorReasons.ObservedInFuture, "observed_at", string.Create(CultureInfo.InvariantCulture,
                $"must be at most {options.MaxClockSkew.TotalMinutes:0} minutes ahead of the host's clock; check the agent's clock"));
        }
        else if (record.ObservedAt < EarliestObservedAt)
        {
            Add(ErrorReasons.ObservedTooOld, "observed_at", "must be on or after 2000-01-01T00:00:00Z; the agent's clock looks unset: check it");
        }
        return first;
    }

    private static int IndexOf(List<AggregatedRow> rows, BillingItemInfo item, DateTimeOffset hourStart, Plan period)
    {
        for (int i = 0; i < rows.Count; i++)
        {
            if (rows[i].Item == item && rows[i].Hour.Start == hourStart && rows[i].Period == period)
            {
                return i;
            }
        }
        return -1;
    }
}
