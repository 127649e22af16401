using System.Data.Common;
using Guance.Billing.Data;
using Npgsql;

namespace Guance.Billing.Usage;

/// <summary>
/// The rollups of the keys a commit touched (docs/domain.md §3: a day is the max of its hours for stock
/// items, the sum for flow items). An hour gets added what the commit's upserts changed in its points,
/// which the stores know exactly (a flow row's quantity; a stock row's new value minus the one it
/// replaced, nothing when it lost): recomputing the hour scanned every collector's row of it, a thousand
/// for a workspace of a thousand agents, at every batch (docs/performance.md, "A fleet of small agents").
/// A day is recomputed from its hours (at most 25 rows).
/// </summary>
internal static class UsageRollupSql
{
    public const string AddToHourSql = """
        INSERT INTO usage_hourly_rollups (workspace_id, item, plan, billing_day, hour_start, quantity)
        VALUES (@workspace, @item, @period, @day, @hour, @delta)
        ON CONFLICT (workspace_id, item, plan, billing_day, hour_start) DO UPDATE SET quantity = usage_hourly_rollups.quantity + excluded.quantity
        """;

    // SQLite: a day is read from its hours, then written (two cheap statements, cheaper than one with RETURNING).
    public const string SumDaySql = """
        SELECT CASE WHEN @stock = 1 THEN MAX(quantity) ELSE SUM(quantity) END FROM usage_hourly_rollups
        WHERE workspace_id = @workspace AND item = @item AND plan = @period AND billing_day = @day
        """;

    public const string SetDaySql = """
        INSERT INTO usage_daily_rollups (workspace_id, plan, item, billing_day, quantity)
        VALUES (@workspace, @period, @item, @day, @quantity)
        ON CONFLICT (workspace_id, plan, item, billing_day) DO UPDATE SET quantity = excluded.quantity
        """;

    // PostgreSQL: the hours' changes added in key order (two hosts adding to one hour lock its row in the same
    // order: no deadlock; the second adds to what the first committed). A day is recomputed from its hours:
    // under READ COMMITTED a statement sees what was committed when it began, so the day rows are locked first
    // (an upsert that changes nothing, in key order), and recomputed in the next statement, whose snapshot
    // then holds the other host's commit.
    public const string AddToHoursSql = """
        INSERT INTO usage_hourly_rollups AS r (workspace_id, item, plan, billing_day, hour_start, quantity)
        SELECT w, i, p, d, h, q FROM unnest(@workspaces::text[], @items::integer[], @periods::integer[], @days::date[], @hours::bigint[], @changes::bigint[]) WITH ORDINALITY AS k(w, i, p, d, h, q, n)
        ORDER BY n
        ON CONFLICT (workspace_id, item, plan, billing_day, hour_start) DO UPDATE SET quantity = r.quantity + excluded.quantity
        """;

    public const string LockDaysSql = """
        INSERT INTO usage_daily_rollups AS r (workspace_id, plan, item, billing_day, quantity)
        SELECT w, p, i, d, 0 FROM unnest(@workspaces::text[], @periods::integer[], @items::integer[], @days::date[]) WITH ORDINALITY AS k(w, p, i, d, n)
        ORDER BY n
        ON CONFLICT (workspace_id, plan, item, billing_day) DO UPDATE SET quantity = r.quantity
        """;

    // Answers only the days above the limit (none, normally).
    public const string RefreshDaysSql = """
        WITH refreshed AS (
            UPDATE usage_daily_rollups AS r SET quantity = s.quantity
            FROM (SELECT h.workspace_id, h.plan, h.item, h.billing_day,
                         CASE WHEN bool_or(k.s) THEN MAX(h.quantity) ELSE SUM(h.quantity)::bigint END AS quantity
                  FROM unnest(@workspaces::text[], @periods::integer[], @items::integer[], @days::date[], @stock::boolean[]) AS k(w, p, i, d, s)
                  JOIN usage_hourly_rollups h ON h.workspace_id = k.w AND h.item = k.i AND h.plan = k.p AND h.billing_day = k.d
                  GROUP BY h.workspace_id, h.plan, h.item, h.billing_day) AS s
            WHERE r.workspace_id = s.workspace_id AND r.plan = s.plan AND r.item = s.item AND r.billing_day = s.billing_day
            RETURNING r.workspace_id, r.plan, r.item, r.billing_day, r.quantity)
        SELECT workspace_id, plan, item, billing_day, quantity FROM refreshed WHERE quantity > @limit
        """;
}

/// <summary>The SQLite refresh: prepared statements run per key (in-process, no round trips).</summary>
internal sealed class SqliteRollupRefresh(DbConnection connection) : IDisposable
{
    private readonly SqliteStatement _hour = new(connection, UsageRollupSql.AddToHourSql);
    private readonly SqliteStatement _sumDay = new(connection, UsageRollupSql.SumDaySql);
    private readonly SqliteStatement _setDay = new(connection, UsageRollupSql.SetDaySql);

    /// <summary>
    /// Adds each hour's change (zero too: the hour then has its row, as its points do), then recomputes the days;
    /// returns those above <paramref name="dayLimit"/>.
    /// </summary>
    public List<RollupDayTotal> Run(IReadOnlyDictionary<RollupHour, long> hourChanges, UsageRollupKeys keys, long dayLimit)
    {
        foreach (var (hour, delta) in hourChanges)
        {
            _hour.Bind("@workspace", hour.WorkspaceId).Bind("@item", hour.Item).Bind("@period", hour.Period).Bind("@day", hour.BillingDay)
                .Bind("@hour", hour.HourStart).Bind("@delta", delta).Execute();
        }
        var overLimit = new List<RollupDayTotal>();
        foreach (var day in keys.Days())
        {
            long quantity;
            using (var rows = _sumDay.Bind("@workspace", day.WorkspaceId).Bind("@item", day.Item).Bind("@period", day.Period).Bind("@day", day.BillingDay)
                .Bind("@stock", day.Stock ? 1 : 0).Query())
            {
                // A touched day always has an hour (the hours' step writes a row for every change, zero too).
                quantity = rows.Next() ? rows.Int64(0) : 0;
            }
            if (quantity > dayLimit)
            {
                overLimit.Add(new RollupDayTotal(day.WorkspaceId, day.Period, day.Item, day.BillingDay, quantity));
                continue;
            }
            _setDay.Bind("@workspace", day.WorkspaceId).Bind("@period", day.Period).Bind("@item", day.Item).Bind("@day", day.BillingDay)
                .Bind("@quantity", quantity).Execute();
        }
        return overLimit;
    }

    public void Dispose()
    {
        _hour.Dispose();
        _sumDay.Dispose();
        _setDay.Dispose();
    }
}

/// <summary>The PostgreSQL refresh: the three statements of <see cref="UsageRollupSql"/> in one round trip.</summary>
internal static class PostgresRollupRefresh
{
    /// <summary>Returns the recomputed days above <paramref name="dayLimit"/>.</summary>
    public static List<RollupDayTotal> Run(NpgsqlConnection connection, NpgsqlTransaction? transaction, IReadOnlyDictionary<RollupHour, long> hourChanges, UsageRollupKeys keys, long dayLimit)
    {
        var hours = hourChanges.Keys.ToList();
        hours.Sort(RollupHour.Compare);
        var days = keys.Days();
        var hourParameters = new NpgsqlParameter[]
        {
            new NpgsqlParameter<string[]>("@workspaces", hours.Select(h => h.WorkspaceId).ToArray()),
            new NpgsqlParameter<int[]>("@items", hours.Select(h => h.Item).ToArray()),
            new NpgsqlParameter<int[]>("@periods", hours.Select(h => h.Period).ToArray()),
            new NpgsqlParameter<DateOnly[]>("@days", hours.Select(h => h.BillingDay).ToArray()),
            new NpgsqlParameter<long[]>("@hours", hours.Select(h => h.HourStart).ToArray()),
            new NpgsqlParameter<long[]>("@changes", hours.Select(h => hourChanges[h]).ToArray()),
        };
        NpgsqlParameter[] DayParameters(bool withStock)
        {
            var parameters = new List<NpgsqlParameter>
            {
                new NpgsqlParameter<string[]>("@workspaces", days.Select(d => d.WorkspaceId).ToArray()),
                new NpgsqlParameter<int[]>("@periods", days.Select(d => d.Period).ToArray()),
                new NpgsqlParameter<int[]>("@items", days.Select(d => d.Item).ToArray()),
                new NpgsqlParameter<DateOnly[]>("@days", days.Select(d => d.BillingDay).ToArray()),
            };
            if (withStock)
            {
                parameters.Add(new NpgsqlParameter<bool[]>("@stock", days.Select(d => d.Stock).ToArray()));
                parameters.Add(new NpgsqlParameter<long>("@limit", dayLimit));
            }
            return [.. parameters];
        }

        using var batch = new NpgsqlBatch(connection, transaction);
        batch.BatchCommands.Add(Command(UsageRollupSql.AddToHoursSql, hourParameters));
        batch.BatchCommands.Add(Command(UsageRollupSql.LockDaysSql, DayParameters(withStock: false)));
        batch.BatchCommands.Add(Command(UsageRollupSql.RefreshDaysSql, DayParameters(withStock: true)));
        var overLimit = new List<RollupDayTotal>();
        using var reader = batch.ExecuteReader();
        do
        {
            while (reader.Read())
            {
                overLimit.Add(new RollupDayTotal(reader.GetString(0), reader.GetInt32(1), reader.GetInt32(2), reader.GetFieldValue<DateOnly>(3), reader.GetInt64(4)));
            }
        }
        while (reader.NextResult());
        return overLimit;
    }

    private static NpgsqlBatchCommand Command(string sql, NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddRange(parameters);
        return command;
    }
}
