using Guance.Billing.Data;

namespace Guance.Billing.Usage;

/// <summary>A workspace hour whose rollups a commit must recompute (times in Unix microseconds).</summary>
public readonly record struct RollupHour(string WorkspaceId, int Item, int Period, DateOnly BillingDay, long HourStart)
{
    /// <summary>The lock order: workspace (ordinal), item, period, day, hour.</summary>
    public static int Compare(RollupHour one, RollupHour other)
    {
        var c = string.CompareOrdinal(one.WorkspaceId, other.WorkspaceId);
        c = c != 0 ? c : one.Item.CompareTo(other.Item);
        c = c != 0 ? c : one.Period.CompareTo(other.Period);
        c = c != 0 ? c : one.BillingDay.CompareTo(other.BillingDay);
        return c != 0 ? c : one.HourStart.CompareTo(other.HourStart);
    }
}

/// <summary>A workspace day whose daily rollup a commit must recompute.</summary>
public readonly record struct RollupDay(string WorkspaceId, int Period, int Item, DateOnly BillingDay, bool Stock)
{
    /// <summary>The lock order: workspace (ordinal), period, item, day.</summary>
    public static int Compare(RollupDay one, RollupDay other)
    {
        var c = string.CompareOrdinal(one.WorkspaceId, other.WorkspaceId);
        c = c != 0 ? c : one.Period.CompareTo(other.Period);
        c = c != 0 ? c : one.Item.CompareTo(other.Item);
        return c != 0 ? c : one.BillingDay.CompareTo(other.BillingDay);
    }
}

/// <summary>
/// The hours and days that the applied batches of one commit touched; only applied batches are added,
/// so a duplicate (resent) batch recomputes nothing. Sorted, so that two hosts lock rollup rows in one
/// order (<see cref="IUsageStore.RefreshRollups"/>).
/// </summary>
public sealed class UsageRollupKeys
{
    private readonly HashSet<RollupHour> _hours = [];
    private readonly HashSet<RollupDay> _days = [];

    public bool IsEmpty => _hours.Count == 0;

    public void Add(BatchWrite batch)
    {
        foreach (var row in batch.Rows)
        {
            var item = (int)row.Item.Item;
            _hours.Add(new RollupHour(batch.WorkspaceId, item, (int)row.Period, row.Hour.BillingDay, UnixMicrosecondsConverter.ToMicroseconds(row.Hour.Start)));
            _days.Add(new RollupDay(batch.WorkspaceId, (int)row.Period, item, row.Hour.BillingDay, row.Item.IsStock));
        }
    }

    public List<RollupHour> Hours()
    {
        var hours = _hours.ToList();
        hours.Sort(RollupHour.Compare);
        return hours;
    }

    public List<RollupDay> Days()
    {
        var days = _days.ToList();
        days.Sort(RollupDay.Compare);
        return days;
    }

    public void Clear()
    {
        _hours.Clear();
        _days.Clear();
    }
}
