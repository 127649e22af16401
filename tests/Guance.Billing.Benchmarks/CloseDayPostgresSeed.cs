using System.Data.Common;
using Guance.Billing.V1;
using Npgsql;
using NpgsqlTypes;

namespace Guance.Billing.Benchmarks;

/// <summary>
/// The day-close benchmark's seed on PostgreSQL, fast enough for 100,000 workspaces (26.4 million points):
/// the new workspaces' ids and accounts go in by binary <c>COPY</c>; the points, the hourly rollups and the
/// daily rollups are each one <c>INSERT ... SELECT</c> over <c>generate_series</c> of the hours (one collector, so
/// an hourly rollup is its point, and a day's quantity is the largest hour of a stock item or the sum of a flow
/// item's hours, the rules of docs/domain.md §3, computed in SQL from the same formula), inserted while the three
/// tables' indexes are dropped and then rebuilt from their own definitions, which sorts once instead of
/// 26 million b-tree insertions per index.
/// </summary>
internal static class CloseDayPostgresSeed
{
    private static readonly string[] UsageTables = ["usage_points", "usage_hourly_rollups", "usage_daily_rollups"];

    /// <summary>Fills the temporary table bench_workspaces (n, id, account) by binary COPY.</summary>
    public static async Task FillWorkspacesAsync(NpgsqlConnection connection, IEnumerable<(int N, string Id, string Account)> rows)
    {
        await using var import = await connection.BeginBinaryImportAsync("COPY bench_workspaces (n, id, account) FROM STDIN (FORMAT BINARY)");
        foreach (var (n, id, account) in rows)
        {
            await import.StartRowAsync();
            await import.WriteAsync(n, NpgsqlDbType.Integer);
            await import.WriteAsync(id, NpgsqlDbType.Varchar);
            await import.WriteAsync(account, NpgsqlDbType.Varchar);
        }
        await import.CompleteAsync();
    }

    /// <summary>
    /// Hour h (0-23) of item i of every commercial cn1 workspace: (h + 1) x the item's scale; the same in the hourly
    /// rollups; the daily rollup 24 x scale for a stock item (its largest hour), 300 x scale for a flow item (1 + ... + 24).
    /// Returns the number of points.
    /// </summary>
    public static async Task<long> SeedUsageAsync(NpgsqlConnection connection, IReadOnlyList<BillingItem> items, Func<BillingItem, long> scale, long start, DateOnly day)
    {
        var itemIds = items.Select(i => (int)i).ToArray();
        var scales = items.Select(scale).ToArray();
        var stock = items.Select(i => Usage.BillingItems.Get((Usage.BillingItem)(int)i).IsStock).ToArray();
        const string Hours = """
            FROM workspaces w CROSS JOIN unnest(@items, @scales) AS i(item, scale) CROSS JOIN generate_series(0, 23) AS h
            WHERE w.site_code = 'cn1' AND w.plan = 2
            """;
        string[] inserts =
        [
            $"""
            INSERT INTO usage_points (workspace_id, item, hour_start, plan, collector_id, billing_day, quantity, observed_at)
            SELECT w.id, i.item, @start + h * 3600000000::bigint, 2, 'bench', @day, (h + 1) * i.scale, @start + h * 3600000000::bigint
            {Hours}
            """,
            $"""
            INSERT INTO usage_hourly_rollups (workspace_id, item, plan, billing_day, hour_start, quantity)
            SELECT w.id, i.item, 2, @day, @start + h * 3600000000::bigint, (h + 1) * i.scale
            {Hours}
            """,
            """
            INSERT INTO usage_daily_rollups (workspace_id, plan, item, billing_day, quantity)
            SELECT w.id, 2, i.item, @day, CASE WHEN i.stock THEN 24 * i.scale ELSE 300 * i.scale END
            FROM workspaces w CROSS JOIN unnest(@items, @scales, @stock) AS i(item, scale, stock)
            WHERE w.site_code = 'cn1' AND w.plan = 2
            """,
        ];
        await ExecuteAsync(connection, "SET maintenance_work_mem = '1GB'");
        var indexes = await DropIndexesAsync(connection);
        long points = 0;
        foreach (var sql in inserts)
        {
            await using var insert = new NpgsqlCommand(sql, connection) { CommandTimeout = 1800 };
            insert.Parameters.AddWithValue("items", itemIds);
            insert.Parameters.AddWithValue("scales", scales);
            if (sql.Contains("@stock", StringComparison.Ordinal))
            {
                insert.Parameters.AddWithValue("stock", stock);
            }
            insert.Parameters.AddWithValue("start", start);
            insert.Parameters.AddWithValue("day", day);
            var rows = await insert.ExecuteNonQueryAsync();
            points = points == 0 ? rows : points;
        }
        foreach (var create in indexes)
        {
            await ExecuteAsync(connection, create);
        }
        return points;
    }

    /// <summary>Drops the usage tables' primary keys and indexes; returns the statements that make them again.</summary>
    private static async Task<List<string>> DropIndexesAsync(NpgsqlConnection connection)
    {
        var drops = new List<string>();
        var creates = new List<string>();
        foreach (var table in UsageTables)
        {
            await using var command = new NpgsqlCommand("""
                SELECT c.conname, pg_get_constraintdef(c.oid), NULL FROM pg_constraint c WHERE c.conrelid = @t::regclass AND c.contype IN ('p', 'u')
                UNION ALL
                SELECT i.indexname, NULL, i.indexdef FROM pg_indexes i
                WHERE i.schemaname = current_schema() AND i.tablename = @t AND i.indexname NOT IN (SELECT conname FROM pg_constraint WHERE conrelid = @t::regclass)
                """, connection);
            command.Parameters.AddWithValue("t", table);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var name = reader.GetString(0);
                if (!reader.IsDBNull(1))
                {
                    drops.Add($"ALTER TABLE {table} DROP CONSTRAINT \"{name}\"");
                    creates.Add($"ALTER TABLE {table} ADD CONSTRAINT \"{name}\" {reader.GetString(1)}");
                }
                else
                {
                    drops.Add($"DROP INDEX \"{name}\"");
                    creates.Add(reader.GetString(2));
                }
            }
        }
        foreach (var drop in drops)
        {
            await ExecuteAsync(connection, drop);
        }
        return creates;
    }

    private static async Task ExecuteAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 1800;
        await command.ExecuteNonQueryAsync();
    }
}
