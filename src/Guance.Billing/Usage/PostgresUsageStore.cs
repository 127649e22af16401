using System.Data.Common;
using System.Runtime.InteropServices;
using Guance.Billing.Data;
using Guance.Billing.Workspaces;
using Npgsql;

namespace Guance.Billing.Usage;

/// <summary>
/// The PostgreSQL store: a group of batches in two round trips whatever its size, where a row at a
/// time costs one round trip per mark and per row. (1) The marks: one conditional upsert per batch,
/// sent together as one <see cref="NpgsqlBatch"/>, so each batch still learns on its own whether it
/// advanced its collector's mark. (2) The rows of the batches that did: merged in memory per
/// (workspace, item, hour, period, collector), with the same rules the upserts apply, then one
/// <c>INSERT ... SELECT FROM unnest(arrays) ON CONFLICT ... DO UPDATE</c> for flow rows and one for stock rows.
/// </summary>
public sealed class PostgresUsageStore : IUsageStore
{
    private const string AdvanceMarkSql = """
        INSERT INTO usage_collectors (workspace_id, collector_id, last_sequence, first_seen_at, last_committed_at)
        VALUES (@workspace, @collector, @sequence, @now, @now)
        ON CONFLICT (workspace_id, collector_id) DO UPDATE
        SET last_sequence = excluded.last_sequence, last_committed_at = excluded.last_committed_at
        WHERE usage_collectors.last_sequence < excluded.last_sequence
        """;

    // The input holds each key once (merged in memory): ON CONFLICT may not touch a row twice in one statement.
    private const string AddFlowSql = """
        INSERT INTO usage_points AS p (workspace_id, item, hour_start, plan, collector_id, billing_day, quantity, observed_at)
        SELECT * FROM unnest(@workspaces::text[], @items::integer[], @hours::bigint[], @periods::integer[], @collectors::text[], @days::date[], @quantities::bigint[], @observed::bigint[])
        ON CONFLICT (workspace_id, item, hour_start, plan, collector_id) DO UPDATE
        SET quantity = p.quantity + excluded.quantity, observed_at = GREATEST(p.observed_at, excluded.observed_at)
        """;

    // StockPoint's rule: an older value arriving late loses.
    private const string SetStockSql = """
        INSERT INTO usage_points AS p (workspace_id, item, hour_start, plan, collector_id, billing_day, quantity, observed_at)
        SELECT * FROM unnest(@workspaces::text[], @items::integer[], @hours::bigint[], @periods::integer[], @collectors::text[], @days::date[], @quantities::bigint[], @observed::bigint[])
        ON CONFLICT (workspace_id, item, hour_start, plan, collector_id) DO UPDATE
        SET quantity = excluded.quantity, observed_at = excluded.observed_at
        WHERE excluded.observed_at >= p.observed_at
        """;

    // The stored values of the stock rows about to be upserted, to know what the upsert changes in their hours.
    private const string ReadStockSql = """
        SELECT k.n, p.quantity, p.observed_at
        FROM unnest(@workspaces::text[], @items::integer[], @hours::bigint[], @periods::integer[], @collectors::text[]) WITH ORDINALITY AS k(w, i, h, pe, c, n)
        JOIN usage_points p ON p.workspace_id = k.w AND p.item = k.i AND p.hour_start = k.h AND p.plan = k.pe AND p.collector_id = k.c
        """;

    private const string ReadAdmissionsSql = TokenAdmission.SelectSql + " WHERE t.id = ANY(@tokens) AND t.kind = @kind";

    private readonly NpgsqlConnection _connection;
    private readonly DbCommand _lockWorkspace;
    private readonly DbCommand _readMark;
    private readonly DbCommand _readDayRows;
    private readonly DbCommand _readAdmissions;
    private readonly Dictionary<PointKey, PointValue> _flow = new();
    private readonly Dictionary<PointKey, PointValue> _stock = new();
    private readonly Dictionary<RollupHour, long> _hourChanges = new();
    private NpgsqlTransaction? _transaction;

    public PostgresUsageStore(NpgsqlConnection connection)
    {
        _connection = connection;
        _lockWorkspace = connection.Reusable("SELECT pg_advisory_xact_lock(@key)", "@key");
        _readMark = connection.Reusable(SqliteUsageStore.ReadMarkSql, "@workspace", "@collector");
        _readDayRows = connection.Reusable(SqliteUsageStore.ReadDayRowsSql, "@workspace", "@item", "@day", "@period");
        _readAdmissions = connection.Reusable(ReadAdmissionsSql, "@tokens", "@kind");
    }

    public void Enlist(DbTransaction? transaction)
    {
        _hourChanges.Clear();
        _transaction = (NpgsqlTransaction?)transaction;
        _lockWorkspace.Transaction = _readMark.Transaction = _readDayRows.Transaction = _transaction;
        _readAdmissions.Transaction = _transaction;
    }

    public void LockWorkspace(string workspaceId)
    {
        _lockWorkspace.Set("@key", UsageDatabase.LockKey(workspaceId)).ExecuteNonQuery();
    }

    public DateTimeOffset? DayClosedAt(Site site, DateOnly day)
    {
        // The shared lock, then the close, in one round trip: each statement of a batch reads with a snapshot of its
        // own (READ COMMITTED), so the read sees a close that committed while the lock waited.
        using var read = new NpgsqlBatch(_connection, _transaction)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("SELECT pg_advisory_xact_lock_shared(@class, @day)")
                {
                    Parameters = { new NpgsqlParameter<int>("@class", SiteDayLock.ClassId), new NpgsqlParameter<int>("@day", SiteDayLock.ObjectId(site, day)) },
                },
                new NpgsqlBatchCommand(SqliteUsageStore.ReadDayCloseSql)
                {
                    Parameters = { new NpgsqlParameter<string>("@site", site.Code), new NpgsqlParameter<DateOnly>("@day", day) },
                },
            },
        };
        using var reader = read.ExecuteReader();
        reader.NextResult();
        return reader.Read() ? UnixMicrosecondsConverter.FromMicroseconds(reader.GetInt64(0)) : null;
    }

    /// <summary>One round trip for all the tokens of the group.</summary>
    public void ReadAdmissions(IReadOnlyCollection<string> tokenIds, Dictionary<string, TokenAdmission> admissions)
    {
        if (tokenIds.Count == 0)
        {
            return;
        }
        using var reader = _readAdmissions.Set("@tokens", tokenIds.ToArray()).Set("@kind", TokenAdmission.CollectorKind).ExecuteReader();
        while (reader.Read())
        {
            var admission = TokenAdmission.Read(reader);
            admissions[admission.TokenId] = admission;
        }
    }

    public long ReadMark(string workspaceId, string collectorId)
    {
        return _readMark.Set("@workspace", workspaceId).Set("@collector", collectorId).ExecuteScalar() is long mark ? mark : 0;
    }

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
        if (batches.Count == 0)
        {
            return;
        }
        using (var marks = new NpgsqlBatch(_connection, _transaction))
        {
            foreach (var batch in batches)
            {
                var command = new NpgsqlBatchCommand(AdvanceMarkSql);
                command.Parameters.Add(new NpgsqlParameter<string>("@workspace", batch.WorkspaceId));
                command.Parameters.Add(new NpgsqlParameter<string>("@collector", batch.CollectorId));
                command.Parameters.Add(new NpgsqlParameter<long>("@sequence", batch.Sequence));
                command.Parameters.Add(new NpgsqlParameter<long>("@now", nowMicros));
                marks.BatchCommands.Add(command);
            }
            marks.ExecuteNonQuery();
            for (int i = 0; i < batches.Count; i++)
            {
                applied[i] = marks.BatchCommands[i].RecordsAffected == 1;
            }
        }

        _flow.Clear();
        _stock.Clear();
        for (int i = 0; i < batches.Count; i++)
        {
            if (applied[i])
            {
                Merge(batches[i]);
            }
        }
        if (_flow.Count + _stock.Count == 0)
        {
            return;
        }
        AddHourChanges();
        using var rows = new NpgsqlBatch(_connection, _transaction);
        if (_flow.Count > 0)
        {
            rows.BatchCommands.Add(Upsert(AddFlowSql, _flow));
        }
        if (_stock.Count > 0)
        {
            rows.BatchCommands.Add(Upsert(SetStockSql, _stock));
        }
        rows.ExecuteNonQuery();
    }

    public List<RollupDayTotal> RefreshRollups(UsageRollupKeys keys, long dayLimit) => PostgresRollupRefresh.Run(_connection, _transaction, _hourChanges, keys, dayLimit);

    /// <summary>
    /// What the coming upserts change in each hour: a flow row adds its quantity; a stock row its value minus the
    /// stored one when it replaces it (read first: this transaction holds the collectors' marks, so no other writer
    /// changes their rows until it ends).
    /// </summary>
    private void AddHourChanges()
    {
        foreach (var (key, value) in _flow)
        {
            AddChange(key, value, value.Quantity);
        }
        if (_stock.Count == 0)
        {
            return;
        }
        var keys = _stock.Keys.ToArray();
        var stored = new (long Quantity, long ObservedAt)?[keys.Length];
        using (var read = new NpgsqlCommand(ReadStockSql, _connection, _transaction))
        {
            read.Parameters.Add(new NpgsqlParameter<string[]>("@workspaces", keys.Select(k => k.WorkspaceId).ToArray()));
            read.Parameters.Add(new NpgsqlParameter<int[]>("@items", keys.Select(k => k.Item).ToArray()));
            read.Parameters.Add(new NpgsqlParameter<long[]>("@hours", keys.Select(k => k.HourStart).ToArray()));
            read.Parameters.Add(new NpgsqlParameter<int[]>("@periods", keys.Select(k => k.Period).ToArray()));
            read.Parameters.Add(new NpgsqlParameter<string[]>("@collectors", keys.Select(k => k.CollectorId).ToArray()));
            using var reader = read.ExecuteReader();
            while (reader.Read())
            {
                stored[reader.GetInt64(0) - 1] = (reader.GetInt64(1), reader.GetInt64(2));
            }
        }
        for (int i = 0; i < keys.Length; i++)
        {
            var value = _stock[keys[i]];
            AddChange(keys[i], value, StockPoint.Change(value.Quantity, value.ObservedAt, stored[i]));
        }
    }

    private void AddChange(PointKey key, PointValue value, long change)
    {
        ref var total = ref CollectionsMarshal.GetValueRefOrAddDefault(_hourChanges, new RollupHour(key.WorkspaceId, key.Item, key.Period, value.BillingDay, key.HourStart), out _);
        total += change;
    }

    public void Dispose()
    {
        _lockWorkspace.Dispose();
        _readMark.Dispose();
        _readDayRows.Dispose();
        _readAdmissions.Dispose();
    }

    /// <summary>
    /// Folds a batch's rows into the pending ones as the upserts would apply them one after another:
    /// flow adds (and keeps the latest observed_at); stock keeps the value observed last, a later batch winning a tie.
    /// </summary>
    private void Merge(BatchWrite batch)
    {
        foreach (var row in batch.Rows)
        {
            var key = new PointKey(batch.WorkspaceId, (int)row.Item.Item, UnixMicrosecondsConverter.ToMicroseconds(row.Hour.Start), (int)row.Period, batch.CollectorId);
            var observedAt = UnixMicrosecondsConverter.ToMicroseconds(row.ObservedAt);
            ref var value = ref CollectionsMarshal.GetValueRefOrAddDefault(row.Item.IsStock ? _stock : _flow, key, out var exists);
            if (!exists)
            {
                value = new PointValue(row.Hour.BillingDay, row.Quantity, observedAt);
            }
            else if (!row.Item.IsStock)
            {
                value = value with { Quantity = checked(value.Quantity + row.Quantity), ObservedAt = Math.Max(value.ObservedAt, observedAt) };
            }
            else if (StockPoint.Replaces(observedAt, value.ObservedAt))
            {
                value = value with { Quantity = row.Quantity, ObservedAt = observedAt };
            }
        }
    }

    private static NpgsqlBatchCommand Upsert(string sql, Dictionary<PointKey, PointValue> points)
    {
        var count = points.Count;
        var workspaces = new string[count];
        var items = new int[count];
        var hours = new long[count];
        var periods = new int[count];
        var collectors = new string[count];
        var days = new DateOnly[count];
        var quantities = new long[count];
        var observed = new long[count];
        var i = 0;
        foreach (var (key, value) in points)
        {
            (workspaces[i], items[i], hours[i], periods[i], collectors[i]) = (key.WorkspaceId, key.Item, key.HourStart, key.Period, key.CollectorId);
            (days[i], quantities[i], observed[i]) = (value.BillingDay, value.Quantity, value.ObservedAt);
            i++;
        }
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.Add(new NpgsqlParameter<string[]>("@workspaces", workspaces));
        command.Parameters.Add(new NpgsqlParameter<int[]>("@items", items));
        command.Parameters.Add(new NpgsqlParameter<long[]>("@hours", hours));
        command.Parameters.Add(new NpgsqlParameter<int[]>("@periods", periods));
        command.Parameters.Add(new NpgsqlParameter<string[]>("@collectors", collectors));
        command.Parameters.Add(new NpgsqlParameter<DateOnly[]>("@days", days));
        command.Parameters.Add(new NpgsqlParameter<long[]>("@quantities", quantities));
        command.Parameters.Add(new NpgsqlParameter<long[]>("@observed", observed));
        return command;
    }

    private readonly record struct PointKey(string WorkspaceId, int Item, long HourStart, int Period, string CollectorId);

    private readonly record struct PointValue(DateOnly BillingDay, long Quantity, long ObservedAt);
}
