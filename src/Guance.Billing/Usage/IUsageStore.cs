using System.Data.Common;
using Guance.Billing.Workspaces;

namespace Guance.Billing.Usage;

/// <summary>One batch for the store: the collector whose mark it advances, its sequence and its rows.</summary>
public readonly record struct BatchWrite(string WorkspaceId, string CollectorId, long Sequence, IReadOnlyList<AggregatedRow> Rows);

/// <summary>A stored row of one collector, item and hour (times in Unix microseconds), as the quota check reads it.</summary>
public readonly record struct StoredPoint(long HourStart, string CollectorId, long Quantity, long ObservedAt);

/// <summary>
/// The usage writer's statements on its own connection, one implementation per engine
/// (<see cref="SqliteUsageStore"/>, <see cref="PostgresUsageStore"/>), with the same meaning on both:
/// a batch is applied only when it advances its collector's high-water mark (a conditional upsert,
/// the exactly-once guard, also between hosts), and then its rows are upserted: a flow row adds to
/// the stored one, a stock row replaces it unless the stored value was observed later.
/// </summary>
public interface IUsageStore : IDisposable
{
    /// <summary>Runs the following statements in <paramref name="transaction"/> (null after it ends).</summary>
    void Enlist(DbTransaction? transaction);

    /// <summary>
    /// Serializes the quota checks of one workspace across hosts until the transaction ends (SQLite's
    /// write transaction is exclusive already). Callers take these locks first, in ordinal order.
    /// </summary>
    void LockWorkspace(string workspaceId);

    /// <summary>
    /// When CloseDay closed the site-day, or null while it is open. On PostgreSQL it first takes the
    /// site-day's shared lock for the rest of the transaction (see <see cref="SiteDayLock"/>), so that a
    /// close cannot slip in between this read and the commit. Callers read site-days in one order.
    /// </summary>
    DateTimeOffset? DayClosedAt(Site site, DateOnly day);

    /// <summary>
    /// The collector tokens <paramref name="tokenIds"/> with their workspaces, read in the transaction (one read for
    /// the whole group commit), into <paramref name="admissions"/> by token id; a token that does not exist is left out.
    /// </summary>
    void ReadAdmissions(IReadOnlyCollection<string> tokenIds, Dictionary<string, TokenAdmission> admissions);

    /// <summary>The collector's high-water mark (0 when it never committed).</summary>
    long ReadMark(string workspaceId, string collectorId);

    /// <summary>The collectors' rows of one item, billing day and period.</summary>
    List<StoredPoint> ReadDayRows(string workspaceId, BillingItem item, DateOnly day, Plan period);

    /// <summary>
    /// Applies the batches in order, each only if its sequence is above its collector's mark, and sets
    /// <paramref name="applied"/>[i] to whether batch i was applied (false: committed before).
    /// Batches of one collector must come in rising sequence order.
    /// </summary>
    void Apply(IReadOnlyList<BatchWrite> batches, long nowMicros, Span<bool> applied);

    /// <summary>
    /// Adds to the hourly rollups what this transaction's upserts changed in their points, and recomputes
    /// from its hours each day the applied batches touched (<see cref="UsageRollupKeys"/>), after the last
    /// <see cref="Apply"/> and before the commit. Returns the recomputed days above <paramref name="dayLimit"/>
    /// (none, unless a batch carries more than a day may hold: the caller then rolls back).
    /// </summary>
    List<RollupDayTotal> RefreshRollups(UsageRollupKeys keys, long dayLimit);
}
