using System.Data.Common;
using Guance.Billing.Data;
using Guance.Billing.Workspaces;

namespace Guance.Billing.Usage;

/// <summary>
/// The SQLite store: statements prepared once on the writer's connection, run a row at a time, which
/// in-process SQLite does at no round-trip cost. The SQL is portable (PostgreSQL takes
/// <c>INSERT ... ON CONFLICT ... DO UPDATE ... WHERE</c> too; it was its path before
/// <see cref="PostgresUsageStore"/>, and the writer benchmark still runs it there for comparison).
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

    private static readonly string[] PointParameters = ["@workspace", "@item", "@hour", "@period", "@collector", "@day", "@quantity", "@observed"];

    private readonly DbCommand _advanceMark;
    private readonly DbCommand _addFlow;
    private readonly DbCommand _setStock;
    private readonly DbCommand _readMark;
    private readonly DbCommand _readDayRows;
    private readonly DbCommand _readDayClose;
    private readonly DbCommand _readPoint;
    private readonly DbCommand _readAdmission;
    private readonly DbCommand[] _all;
    private readonly SqliteRollupRefresh _rollups;

    // What this transaction's upserts changed in each hour's total: the hourly rollups get exactly this added.
    private readonly Dictionary<RollupHour, long> _hourChanges = [];

    public SqliteUsageStore(DbConnection connection)
    {
        _advanceMark = connection.Reusable(AdvanceMarkSql, "@workspace", "@collector", "@sequence", "@now");
        _addFlow = connection.Reusable(AddFlowSql, PointParameters);
        _setStock = connection.Reusable(SetStockSql, PointParameters);
        _readMark = connection.Reusable(ReadMarkSql, "@workspace", "@collector");
        _readDayRows = connection.Reusable(ReadDayRowsSql, "@workspace", "@item", "@day", "@period");
        _readDayClose = connection.Reusable(ReadDayCloseSql, "@site", "@day");
        _readPoint = connection.Reusable(ReadPointSql, "@workspace", "@item", "@hour", "@period", "@collector");
        _readAdmission = connection.Reusable(ReadAdmissionSql, "@token", "@kind");
        _all = [_advanceMark, _addFlow, _setStock, _readMark, _readDayRows, _readDayClose, _readPoint, _readAdmission];
        _rollups = new SqliteRollupRefresh(connection);
    }

    public void Enlist(DbTransaction? transaction)
    {
        _hourChanges.Clear();
        foreach (var command in _all)
        {
            command.Transaction = transaction;
        }
        _rollups.Enlist(transaction);
    }

    /// <summary>Nothing to take: SQLite's write transaction (BEGIN IMMEDIATE) already excludes every other writer.</summary>
    public void LockWorkspace(string workspaceId)
    {
    }

    /// <summary>No lock needed: SQLite's single writer orders this transaction and CloseDay's insert.</summary>
    public DateTimeOffset? DayClosedAt(Site site, DateOnly day) =>
        _readDayClose.Set("@site", site.Code).Set("@day", day).ExecuteScalar() is long closedAt ? UnixMicrosecondsConverter.FromMicroseconds(closedAt) : null;

    /// <summary>A prepared indexed read per token: in-process SQLite has no round trip to save.</summary>
    public void ReadAdmissions(IReadOnlyCollection<string> tokenIds, Dictionary<string, TokenAdmission> admissions)
    {
        _readAdmission.Set("@kind", TokenAdmission.CollectorKind);
        foreach (var tokenId in tokenIds)
        {
            using var reader = _readAdmission.Set("@token", tokenId).ExecuteReader();
            if (reader.Read())
            {
                admissions[tokenId] = TokenAdmission.Read(reader);
            }
        }
    }

    public long ReadMark(string workspaceId, string collectorId) =>
        _readMark.Set("@workspace", workspaceId).Set("@collector", collectorId).ExecuteScalar() is { } value and not DBNull ? Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture) : 0;

    public List<StoredPoint> ReadDayRows(string workspaceId, BillingItem item, DateOnly day, Plan period)
    {
        var rows = new List<StoredPoint>();
        using var reader = _readDayRows.Set("@workspace", workspaceId).Set("@item", (int)item).Set("@day", day).Set("@period", (int)period).ExecuteReader();
        while (reader.Read())
        {
            rows.Add(new StoredPoint(reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2), reader.GetInt64(3)));
        }
        return rows;
    }

    public void Apply(IReadOnlyList<BatchWrite> batches, long nowMicros, Span<bool> applied)
    {
        for (int i = 0; i < batches.Count; i++)
        {
            var batch = batches[i];
            applied[i] = _advanceMark.Set("@workspace", batch.WorkspaceId).Set("@collector", batch.CollectorId).Set("@sequence", batch.Sequence).Set("@now", nowMicros).ExecuteNonQuery() == 1;
            if (!applied[i])
            {
                continue;
            }
            foreach (var row in batch.Rows)
            {
                var hour = UnixMicrosecondsConverter.ToMicroseconds(row.Hour.Start);
                var observed = UnixMicrosecondsConverter.ToMicroseconds(row.ObservedAt);
                var change = row.Item.IsStock ? StockChange(batch, row, hour, observed) : row.Quantity;
                var command = row.Item.IsStock ? _setStock : _addFlow;
                command.Set("@workspace", batch.WorkspaceId).Set("@item", (int)row.Item.Item).Set("@hour", hour)
                    .Set("@period", (int)row.Period).Set("@collector", batch.CollectorId).Set("@day", row.Hour.BillingDay)
                    .Set("@quantity", row.Quantity).Set("@observed", observed)
                    .ExecuteNonQuery();
                var key = new RollupHour(batch.WorkspaceId, (int)row.Item.Item, (int)row.Period, row.Hour.BillingDay, hour);
                _hourChanges[key] = _hourChanges.GetValueOrDefault(key) + change;
            }
        }
    }

    public void RefreshRollups(UsageRollupKeys keys) => _rollups.Run(_hourChanges, keys);

    /// <summary>
    /// What <see cref="SetStockSql"/> will change in the collector's row (<see cref="StockPoint.Change"/>), from the
    /// stored row read in the writer's exclusive transaction, so the row cannot change in between.
    /// </summary>
    private long StockChange(BatchWrite batch, AggregatedRow row, long hour, long observed)
    {
        using var reader = _readPoint.Set("@workspace", batch.WorkspaceId).Set("@item", (int)row.Item.Item).Set("@hour", hour)
            .Set("@period", (int)row.Period).Set("@collector", batch.CollectorId).ExecuteReader();
        return StockPoint.Change(row.Quantity, observed, reader.Read() ? (reader.GetInt64(0), reader.GetInt64(1)) : null);
    }

    public void Dispose()
    {
        foreach (var command in _all)
        {
            command.Dispose();
        }
        _rollups.Dispose();
    }
}
