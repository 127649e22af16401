using System.Data.Common;
using Guance.Billing.Data;
using Guance.Billing.Workspaces;

namespace Guance.Billing.Usage;

/// <summary>
/// The SQLite store: statements prepared once on the writer's connection (<see cref="SqliteStatement"/>), run
/// a row at a time, which in-process SQLite does at no round-trip cost. Its marks, points and rollups
/// follow the same rules as <see cref="PostgresUsageStore"/>'s (<c>UsageStoreTests</c>).
/// </summary>
public sealed class SqliteUsageStore : IUsageStore
{
    // Inserts the collector or advances its mark; 0 rows when the sequence is not above the mark,
    // which is the exactly-once guard (also against a second host racing for the same collector).
    internal const string AdvanceMarkSql = """
        INSERT INTO usage_collectors (workspace_id, collector_id, last_sequence, first_seen_at, last_committed_at)
        VALUES (@workspace, @collector, @sequence, @now, @now)
        ON CONFLICT (workspace_id, collector_id) DO UPDATE
        SET last_sequence = excluded.last_sequence, last_committed_at = excluded.last_committed_at
        WHERE usage_collectors.last_sequence < excluded.last_sequence
        """;

    private const string AddFlowSql = """
        INSERT INTO usage_points (workspace_id, item, hour_start, plan, collector_id, billing_day, quantity, observed_at)
        VALUES (@workspace, @item, @hour, @period, @collector, @day, @quantity, @observed)
        ON CONFLICT (workspace_id, item, hour_start, plan, collector_id) DO UPDATE
        SET quantity = usage_points.quantity + excluded.quantity,
            observed_at = CASE WHEN excluded.observed_at > usage_points.observed_at THEN excluded.observed_at ELSE usage_points.observed_at END
        """;

    // A stock row keeps the collector's latest value of the hour; an older value arriving late loses (StockPoint).
    private const string SetStockSql = """
        INSERT INTO usage_points (workspace_id, item, hour_start, plan, collector_id, billing_day, quantity, observed_at)
        VALUES (@workspace, @item, @hour, @period, @collector, @day, @quantity, @observed)
        ON CONFLICT (workspace_id, item, hour_start, plan, collector_id) DO UPDATE
        SET quantity = excluded.quantity, observed_at = excluded.observed_at
        WHERE excluded.observed_at >= usage_points.observed_at
        """;

    private const string ReadPointSql = """
        SELECT quantity, observed_at FROM usage_points
        WHERE workspace_id = @workspace AND item = @item AND hour_start = @hour AND plan = @period AND collector_id = @collector
        """;

    internal const string ReadMarkSql = "SELECT last_sequence FROM usage_collectors WHERE workspace_id = @workspace AND collector_id = @collector";

    internal const string ReadDayRowsSql = """
        SELECT hour_start, collector_id, quantity, observed_at FROM usage_points
        WHERE workspace_id = @workspace AND item = @item AND billing_day = @day AND plan = @period
        """;

    private const string ReadAdmissionSql = TokenAdmission.SelectSql + " WHERE t.id = @token AND t.kind = @kind";

    internal const string ReadDayCloseSql = "SELECT closed_at FROM day_closes WHERE site_code = @site AND billing_day = @day";

    private readonly SqliteStatement _advanceMark;
    private readonly SqliteStatement _addFlow;
    private readonly SqliteStatement _setStock;
    private readonly SqliteStatement _readMark;
    private readonly SqliteStatement _readDayRows;
    private readonly SqliteStatement _readDayClose;
    private readonly SqliteStatement _readPoint;
    private readonly SqliteStatement _readAdmission;
    private readonly SqliteRollupRefresh _rollups;

    // What this transaction's upserts changed in each hour's total: the hourly rollups get exactly this added.
    private readonly Dictionary<RollupHour, long> _hourChanges = [];

    public SqliteUsageStore(DbConnection connection)
    {
        _advanceMark = new SqliteStatement(connection, AdvanceMarkSql);
        _addFlow = new SqliteStatement(connection, AddFlowSql);
        _setStock = new SqliteStatement(connection, SetStockSql);
        _readMark = new SqliteStatement(connection, ReadMarkSql);
        _readDayRows = new SqliteStatement(connection, ReadDayRowsSql);
        _readDayClose = new SqliteStatement(connection, ReadDayCloseSql);
        _readPoint = new SqliteStatement(connection, ReadPointSql);
        _readAdmission = new SqliteStatement(connection, ReadAdmissionSql);
        _rollups = new SqliteRollupRefresh(connection);
    }

    /// <summary>SQLite's own statements run in their connection's transaction, whichever it is: only the hours' changes start afresh.</summary>
    public void Enlist(DbTransaction? transaction) => _hourChanges.Clear();

    /// <summary>Nothing to take: SQLite's write transaction (BEGIN IMMEDIATE) already excludes every other writer.</summary>
    public void LockWorkspace(string workspaceId)
    {
    }

    /// <summary>No lock needed: SQLite's single writer orders this transaction and CloseDay's insert.</summary>
    public DateTimeOffset? DayClosedAt(Site site, DateOnly day)
    {
        using var rows = _readDayClose.Bind("@site", site.Code).Bind("@day", day).Query();
        return rows.Next() && !rows.IsNull(0) ? UnixMicrosecondsConverter.FromMicroseconds(rows.Int64(0)) : null;
    }

    /// <summary>A prepared indexed read per token: in-process SQLite has no round trip to save.</summary>
    public void ReadAdmissions(IReadOnlyCollection<string> tokenIds, Dictionary<string, TokenAdmission> admissions)
    {
        foreach (var tokenId in tokenIds)
        {
            using var rows = _readAdmission.Bind("@token", tokenId).Bind("@kind", TokenAdmission.CollectorKind).Query();
            if (rows.Next())
            {
                admissions[tokenId] = TokenAdmission.Read(rows);
            }
        }
    }

    public long ReadMark(string workspaceId, string collectorId)
    {
        using var rows = _readMark.Bind("@workspace", workspaceId).Bind("@collector", collectorId).Query();
        return rows.Next() ? rows.Int64(0) : 0;
    }

    public List<StoredPoint> ReadDayRows(string workspaceId, BillingItem item, DateOnly day, Plan period)
    {
        var points = new List<StoredPoint>();
        using var rows = _readDayRows.Bind("@workspace", workspaceId).Bind("@item", (int)item).Bind("@day", day).Bind("@period", (int)period).Query();
        while (rows.Next())
        {
            points.Add(new StoredPoint(rows.Int64(0), rows.Text(1), rows.Int64(2), rows.Int64(3)));
        }
        return points;
    }

    public void Apply(IReadOnlyList<BatchWrite> batches, long nowMicros, Span<bool> applied)
    {
        for (int i = 0; i < batches.Count; i++)
        {
            var batch = batches[i];
            applied[i] = _advanceMark.Bind("@workspace", batch.WorkspaceId).Bind("@collector", batch.CollectorId).Bind("@sequence", batch.Sequence).Bind("@now", nowMicros).Execute() == 1;
            if (!applied[i])
            {
                continue;
            }
            // By index: a foreach over the IReadOnlyList would box its enumerator at every batch.
            for (int r = 0; r < batch.Rows.Count; r++)
            {
                var row = batch.Rows[r];
                var hour = UnixMicrosecondsConverter.ToMicroseconds(row.Hour.Start);
                var observed = UnixMicrosecondsConverter.ToMicroseconds(row.ObservedAt);
                var change = row.Item.IsStock ? StockChange(batch, row, hour, observed) : row.Quantity;
                var statement = row.Item.IsStock ? _setStock : _addFlow;
                statement.Bind("@workspace", batch.WorkspaceId).Bind("@item", (int)row.Item.Item).Bind("@hour", hour)
                    .Bind("@period", (int)row.Period).Bind("@collector", batch.CollectorId).Bind("@day", row.Hour.BillingDay)
                    .Bind("@quantity", row.Quantity).Bind("@observed", observed)
                    .Execute();
                var key = new RollupHour(batch.WorkspaceId, (int)row.Item.Item, (int)row.Period, row.Hour.BillingDay, hour);
                _hourChanges[key] = _hourChanges.GetValueOrDefault(key) + change;
            }
        }
    }

    public List<RollupDayTotal> RefreshRollups(UsageRollupKeys keys, long dayLimit) => _rollups.Run(_hourChanges, keys, dayLimit);

    /// <summary>
    /// What <see cref="SetStockSql"/> will change in the collector's row (<see cref="StockPoint.Change"/>), from the
    /// stored row read in the writer's exclusive transaction, so the row cannot change in between.
    /// </summary>
    private long StockChange(BatchWrite batch, AggregatedRow row, long hour, long observed)
    {
        using var rows = _readPoint.Bind("@workspace", batch.WorkspaceId).Bind("@item", (int)row.Item.Item).Bind("@hour", hour)
            .Bind("@period", (int)row.Period).Bind("@collector", batch.CollectorId).Query();
        return StockPoint.Change(row.Quantity, observed, rows.Next() ? (rows.Int64(0), rows.Int64(1)) : null);
    }

    public void Dispose()
    {
        foreach (var statement in new[] { _advanceMark, _addFlow, _setStock, _readMark, _readDayRows, _readDayClose, _readPoint, _readAdmission })
        {
            statement.Dispose();
        }
        _rollups.Dispose();
    }
}
