namespace Guance.Billing.Usage;

/// <summary>A workspace hour whose rollup a commit adds its change to (times in Unix microseconds).</summary>
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

/// <summary>A workspace day's rollup as a commit recomputed it, which <see cref="IUsageStore.RefreshRollups"/> found over the day's limit.</summary>
public readonly record struct RollupDayTotal(string WorkspaceId, int Period, int Item, DateOnly BillingDay, long Quantity)
{
    /// <summary>Whether a batch's row adds to this day.</summary>
    public bool Holds(string workspaceId, AggregatedRow row) =>
        workspaceId == WorkspaceId && (int)row.Period == Period && (int)row.Item.Item == Item && row.Hour.BillingDay == BillingDay;
}

/// <summary>
/// The days that the applied batches of one commit touched, whose daily rollups it recomputes from their hours
/// (the hours themselves get the stores' changes added); only applied batches are added, so a duplicate
/// (resent) batch recomputes nothing. Sorted, so that two hosts lock rollup rows in one order
/// (<see cref="IUsageStore.RefreshRollups"/>).
/// </summary>
public sealed class UsageRollupKeys
{
    private readonly HashSet<RollupDay> _days = [];

    public bool IsEmpty => _days.Count == 0;

    public void Add(BatchWrite batch)
    {
        for (int r = 0; r < batch.Rows.Count; r++)
        {
            var row = batch.Rows[r];
            _days.Add(new RollupDay(batch.WorkspaceId, (int)row.Period, (int)row.Item.Item, row.Hour.BillingDay, row.Item.IsStock));
        }
    }

    public List<RollupDay> Days()
    {
        var days = _days.ToList();
        days.Sort(RollupDay.Compare);
        return days;
    }

    public void Clear() => _days.Clear();
}
