using System.Data.Common;
using Guance.Billing.Data;
using Npgsql;

namespace Guance.Billing.Usage;

/// <summary>
/// Recomputes rollups from their sources, for the keys a commit touched: an hour from its collectors'
/// points, then a day from its hours (docs/domain.md §3: max for stock items, sum for flow items).
/// Recomputing rather than adding deltas keeps them exact whatever the upserts did (a late stock value
/// that lost, a resend that was not applied) and costs a few index rows per key.
/// </summary>
internal static class UsageRollupSql
{
    public const string RefreshHourSql = """
        INSERT INTO usage_hourly_rollups (workspace_id, item, plan, billing_day, hour_start, quantity)
        SELECT workspace_id, item, plan, billing_day, hour_start, SUM(quantity) FROM usage_points
        WHERE workspace_id = @workspace AND item = @item AND hour_start = @hour AND plan = @period
        GROUP BY workspace_id, item, plan, billing_day, hour_start
        ON CONFLICT (workspace_id, item, plan, billing_day, hour_start) DO UPDATE SET quantity = excluded.quantity
        """;

    public const string RefreshDaySql = """
        INSERT INTO usage_daily_rollups (workspace_id, plan, item, billing_day, quantity)
        SELECT workspace_id, plan, item, billing_day, CASE WHEN @stock = 1 THEN MAX(quantity) ELSE SUM(quantity) END FROM usage_hourly_rollups
        WHERE workspace_id = @workspace AND item = @item AND plan = @period AND billing_day = @day
        GROUP BY workspace_id, plan, item, billing_day
        ON CONFLICT (workspace_id, plan, item, billing_day) DO UPDATE SET quantity = excluded.quantity
        """;

    // PostgreSQL, READ COMMITTED: a statement sees what was committed when it began, so two hosts that
    // recompute one hour (different collectors) could each miss the other's points. Each first locks
    // its rollup rows (an upsert that changes nothing, in key order: no deadlock), and recomputes in
    // the next statement, whose snapshot then holds the other host's commit.
    public const string LockHoursSql = """
        INSERT INTO usage_hourly_rollups AS r (workspace_id, item, plan, billing_day, hour_start, quantity)
        SELECT w, i, p, d, h, 0 FROM unnest(@workspaces::text[], @items::integer[], @periods::integer[], @days::date[], @hours::bigint[]) WITH ORDINALITY AS k(w, i, p, d, h, n)
        ORDER BY n
        ON CONFLICT (workspace_id, item, plan, billing_day, hour_start) DO UPDATE SET quantity = r.quantity
        """;

    public const string RefreshHoursSql = """
        UPDATE usage_hourly_rollups AS r SET quantity = s.quantity
        FROM (SELECT p.workspace_id, p.item, p.plan, p.billing_day, p.hour_start, SUM(p.quantity)::bigint AS quantity
              FROM unnest(@workspaces::text[], @items::integer[], @periods::integer[], @days::date[], @hours::bigint[]) AS k(w, i, p, d, h)
              JOIN usage_points p ON p.workspace_id = k.w AND p.item = k.i AND p.hour_start = k.h AND p.plan = k.p
              GROUP BY p.workspace_id, p.item, p.plan, p.billing_day, p.hour_start) AS s
        WHERE r.workspace_id = s.workspace_id AND r.item = s.item AND r.plan = s.plan AND r.billing_day = s.billing_day AND r.hour_start = s.hour_start
        """;

    public const string LockDaysSql = """
        INSERT INTO usage_daily_rollups AS r (workspace_id, plan, item, billing_day, quantity)
        SELECT w, p, i, d, 0 FROM unnest(@workspaces::text[], @periods::integer[], @items::integer[], @days::date[]) WITH ORDINALITY AS k(w, p, i, d, n)
        ORDER BY n
        ON CONFLICT (workspace_id, plan, item, billing_day) DO UPDATE SET quantity = r.quantity
        """;

    public const string RefreshDaysSql = """
        UPDATE usage_daily_rollups AS r SET quantity = s.quantity
        FROM (SELECT h.workspace_id, h.plan, h.item, h.billing_day,
                     CASE WHEN bool_or(k.s) THEN MAX(h.quantity) ELSE SUM(h.quantity)::bigint END AS quantity
              FROM unnest(@workspaces::text[], @periods::integer[], @items::integer[], @days::date[], @stock::boolean[]) AS k(w, p, i, d, s)
              JOIN usage_hourly_rollups h ON h.workspace_id = k.w AND h.item = k.i AND h.plan = k.p AND h.billing_day = k.d
              GROUP BY h.workspace_id, h.plan, h.item, h.billing_day) AS s
        WHERE r.workspace_id = s.workspace_id AND r.plan = s.plan AND r.item = s.item AND r.billing_day = s.billing_day
        """;
}

/// <summary>The SQLite refresh: two prepared statements run per key (in-process, no round trips).</summary>
internal sealed class SqliteRollupRefresh : IDisposable
{
    private readonly DbCommand _hour;
    private readonly DbCommand _day;

    public SqliteRollupRefresh(DbConnection connection)
    {
        _hour = connection.Reusable(UsageRollupSql.RefreshHourSql, "@workspace", "@item", "@hour", "@period");
        _day = connection.Reusable(UsageRollupSql.RefreshDaySql, "@workspace", "@item", "@period", "@day", "@stock");
    }

    public void Enlist(DbTransaction? transaction) => _hour.Transaction = _day.Transaction = transaction;

    public void Run(UsageRollupKeys keys)
    {
        foreach (var hour in keys.Hours())
        {
            _hour.Set("@workspace", hour.WorkspaceId).Set("@item", hour.Item).Set("@hour", hour.HourStart).Set("@period", hour.Period).ExecuteNonQuery();
        }
        foreach (var day in keys.Days())
        {
            _day.Set("@workspace", day.WorkspaceId).Set("@item", day.Item).Set("@period", day.Period).Set("@day", day.BillingDay)
                .Set("@stock", day.Stock ? 1 : 0).ExecuteNonQuery();
        }
    }

    public void Dispose()
    {
        _hour.Dispose();
        _day.Dispose();
    }
}

/// <summary>The PostgreSQL refresh: the four statements of <see cref="UsageRollupSql"/> in one round trip.</summary>
internal static class PostgresRollupRefresh
{
    public static void Run(NpgsqlConnection connection, NpgsqlTransaction? transaction, UsageRollupKeys keys)
    {
        var hours = keys.Hours();
        var days = keys.Days();
        var hourParameters = new NpgsqlParameter[]
        {
            new NpgsqlParameter<string[]>("@workspaces", hours.Select(h => h.WorkspaceId).ToArray()),
            new NpgsqlParameter<int[]>("@items", hours.Select(h => h.Item).ToArray()),
            new NpgsqlParameter<int[]>("@periods", hours.Select(h => h.Period).ToArray()),
            new NpgsqlParameter<DateOnly[]>("@days", hours.Select(h => h.BillingDay).ToArray()),
            new NpgsqlParameter<long[]>("@hours", hours.Select(h => h.HourStart).ToArray()),
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
            }
            return [.. parameters];
        }

        using var batch = new NpgsqlBatch(connection, transaction);
        batch.BatchCommands.Add(Command(UsageRollupSql.LockHoursSql, hourParameters));
        batch.BatchCommands.Add(Command(UsageRollupSql.RefreshHoursSql, hourParameters.Select(p => p.Clone()).ToArray()));
        batch.BatchCommands.Add(Command(UsageRollupSql.LockDaysSql, DayParameters(withStock: false)));
        batch.BatchCommands.Add(Command(UsageRollupSql.RefreshDaysSql, DayParameters(withStock: true)));
        batch.ExecuteNonQuery();
    }

    private static NpgsqlBatchCommand Command(string sql, NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddRange(parameters);
        return command;
    }
}
