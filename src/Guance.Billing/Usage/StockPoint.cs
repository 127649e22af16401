namespace Guance.Billing.Usage;

/// <summary>
/// The rule of a stock item's point (docs/domain.md §3: a level, whose hour keeps the collector's latest
/// value): a value replaces the stored one unless the stored one was observed later (a tie goes to the
/// value arriving last). The stores' upserts state the same comparison in SQL
/// (<c>WHERE excluded.observed_at >= observed_at</c>); their rollups add what <see cref="Change"/> says.
/// Each store reads the stored values its own way (SQLite a row at a time in process, PostgreSQL a group's
/// rows in one statement); the change is not computed in SQL because SQLite's upsert cannot return the
/// value it replaced.
/// </summary>
internal static class StockPoint
{
    /// <summary>Whether a value observed at <paramref name="observedAt"/> replaces one observed at <paramref name="storedObservedAt"/>.</summary>
    public static bool Replaces(long observedAt, long storedObservedAt) => observedAt >= storedObservedAt;

    /// <summary>
    /// What writing <paramref name="quantity"/> observed at <paramref name="observedAt"/> changes in the point's hour:
    /// the whole value for a new point, the new value minus the stored one when it replaces it, nothing when it loses.
    /// </summary>
    public static long Change(long quantity, long observedAt, (long Quantity, long ObservedAt)? stored) =>
        stored is not { } old ? quantity : Replaces(observedAt, old.ObservedAt) ? quantity - old.Quantity : 0;
}
