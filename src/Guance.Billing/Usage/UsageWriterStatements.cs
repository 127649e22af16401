using System.Data.Common;
using Guance.Billing.Data;

namespace Guance.Billing.Usage;

/// <summary>
/// The writer's statements, prepared once on its connection and reused in every transaction.
/// Portable SQL: both SQLite and PostgreSQL take <c>INSERT ... ON CONFLICT ... DO UPDATE ... WHERE</c>.
/// </summary>
internal sealed class UsageWriterStatements : IDisposable
{
    // Inserts the collector or advances its mark; 0 rows when the sequence is not above the mark,
    // which is the exactly-once guard (also against a second host racing for the same collector).
    private const string AdvanceMarkSql = """
        INSERT INTO usage_collectors (workspace_id, collector_id, last_sequence, first_seen_at, last_committed_at)
        VALUES (@w, @c, @s, @now, @now)
        ON CONFLICT (workspace_id, collector_id) DO UPDATE
        SET last_sequence = excluded.last_sequence, last_committed_at = excluded.last_committed_at
        WHERE usage_collectors.last_sequence < excluded.last_sequence
        """;

    private const string AddFlowSql = """
        INSERT INTO usage_points (workspace_id, item, hour_start, collector_id, billing_day, quantity, observed_at)
        VALUES (@w, @i, @h, @c, @d, @q, @o)
        ON CONFLICT (workspace_id, item, hour_start, collector_id) DO UPDATE
        SET quantity = usage_points.quantity + excluded.quantity,
            observed_at = CASE WHEN excluded.observed_at > usage_points.observed_at THEN excluded.observed_at ELSE usage_points.observed_at END
        """;

    // A stock row keeps the collector's latest value of the hour; an older value arriving late loses.
    private const string SetStockSql = """
        INSERT INTO usage_points (workspace_id, item, hour_start, collector_id, billing_day, quantity, observed_at)
        VALUES (@w, @i, @h, @c, @d, @q, @o)
        ON CONFLICT (workspace_id, item, hour_start, collector_id) DO UPDATE
        SET quantity = excluded.quantity, observed_at = excluded.observed_at
        WHERE excluded.observed_at >= usage_points.observed_at
        """;

    private const string ReadMarkSql = "SELECT last_sequence FROM usage_collectors WHERE workspace_id = @w AND collector_id = @c";

    private const string ReadDayRowsSql = """
        SELECT hour_start, collector_id, quantity, observed_at FROM usage_points
        WHERE workspace_id = @w AND item = @i AND billing_day = @d
        """;

    private const string ReadDayCloseSql = "SELECT closed_at FROM day_closes WHERE site_code = @s AND billing_day = @d";

    private readonly DbCommand _advanceMark;
    private readonly DbCommand _addFlow;
    private readonly DbCommand _setStock;
    private readonly DbCommand _readMark;
    private readonly DbCommand _readDayRows;
    private readonly DbCommand? _lockWorkspace;
    private readonly DbCommand _readDayClose;
    private readonly DbCommand? _lockDayShared;
    private readonly DbCommand[] _all;

    public UsageWriterStatements(DbConnection connection, string? lockSql, string? dayLockSql)
    {
        _advanceMark = connection.Command(AdvanceMarkSql, "@w", "@c", "@s", "@now");
        _addFlow = connection.Command(AddFlowSql, "@w", "@i", "@h", "@c", "@d", "@q", "@o");
        _setStock = connection.Command(SetStockSql, "@w", "@i", "@h", "@c", "@d", "@q", "@o");
        _readMark = connection.Command(ReadMarkSql, "@w", "@c");
        _readDayRows = connection.Command(ReadDayRowsSql, "@w", "@i", "@d");
        _lockWorkspace = lockSql is null ? null : connection.Command(lockSql, "@key");
        _readDayClose = connection.Command(ReadDayCloseSql, "@s", "@d");
        _lockDayShared = dayLockSql is null ? null : connection.Command(dayLockSql, "@a", "@b");
        _all = new[] { _advanceMark, _addFlow, _setStock, _readMark, _readDayRows, _lockWorkspace, _readDayClose, _lockDayShared }.OfType<DbCommand>().ToArray();
    }

    public void Enlist(DbTransaction? transaction)
    {
        foreach (var command in _all)
        {
            command.Transaction = transaction;
        }
    }

    /// <summary>True when the mark moved (the batch is new); false for a sequence already committed.</summary>
    public bool AdvanceMark(string workspaceId, string collectorId, long sequence, long nowMicros) =>
        _advanceMark.Set(0, workspaceId).Set(1, collectorId).Set(2, sequence).Set(3, nowMicros).ExecuteNonQuery() == 1;

    public long ReadMark(string workspaceId, string collectorId) =>
        _readMark.Set(0, workspaceId).Set(1, collectorId).ExecuteScalar() is { } value and not DBNull ? Convert.ToInt64(value) : 0;

    public void Apply(string workspaceId, string collectorId, AggregatedRow row)
    {
        var command = row.Item.IsStock ? _setStock : _addFlow;
        command.Set(0, workspaceId).Set(1, (int)row.Item.Item).Set(2, UnixMicrosecondsConverter.ToMicroseconds(row.Hour.Start))
            .Set(3, collectorId).Set(4, row.Hour.BillingDay).Set(5, row.Quantity).Set(6, UnixMicrosecondsConverter.ToMicroseconds(row.ObservedAt))
            .ExecuteNonQuery();
    }

    public void LockWorkspace(string workspaceId) =>
        _lockWorkspace?.Set(0, UsageDatabase.LockKey(workspaceId)).ExecuteNonQuery();

    /// <summary>
    /// When the site-day was closed (CloseDay), or null while it is open. On PostgreSQL it first takes the
    /// site-day's shared lock for the rest of the transaction (see <see cref="SiteDayLock"/>), so a close
    /// cannot slip in between this read and the commit.
    /// </summary>
    public DateTimeOffset? DayClosedAt(Guance.Billing.Workspaces.Site site, DateOnly day)
    {
        _lockDayShared?.Set(0, SiteDayLock.ClassId).Set(1, SiteDayLock.ObjectId(site, day)).ExecuteNonQuery();
        return _readDayClose.Set(0, site.Code).Set(1, day).ExecuteScalar() is long closedAt
            ? UnixMicrosecondsConverter.FromMicroseconds(closedAt)
            : null;
    }

    /// <summary>The collectors' rows of one item and day: (hour start, collector, quantity, observed_at in microseconds).</summary>
    public List<(long Hour, string Collector, long Quantity, long ObservedAt)> ReadDayRows(string workspaceId, BillingItem item, DateOnly day)
    {
        var rows = new List<(long, string, long, long)>();
        using var reader = _readDayRows.Set(0, workspaceId).Set(1, (int)item).Set(2, day).ExecuteReader();
        while (reader.Read())
        {
            rows.Add((reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2), reader.GetInt64(3)));
        }
        return rows;
    }

    public void Dispose()
    {
        foreach (var command in _all)
        {
            command.Dispose();
        }
    }
}
