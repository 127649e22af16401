using System.Data.Common;
using System.Globalization;

namespace Guance.Billing.Benchmarks;

/// <summary>
/// The history of the reads benchmark, written in SQL (one statement each, per engine): a commercial
/// workspace's hourly points of every collector and item, their rollups (the UsageRollups migration's
/// backfill), and a daily bill with a line per item for each day, with their months (the MonthlyConsumption backfill).
/// </summary>
internal static class ReadsHistory
{
    private const long Hour = 3_600_000_000L;

    public static async Task<long> SeedAsync(BenchmarkDatabase database, string workspaceId, int days, int collectors, DateOnly today, int[] items)
    {
        await using var connection = await database.OpenAsync();
        var utcHour = DateTimeOffset.UtcNow;
        var lastHour = (new DateTimeOffset(utcHour.Year, utcHour.Month, utcHour.Day, utcHour.Hour, 0, 0, TimeSpan.Zero) - DateTimeOffset.UnixEpoch).Ticks / 10 - Hour;
        var hours = days * 24;
        var first = lastHour - (hours - 1) * Hour;
        var itemList = string.Join(", ", items.Select(i => $"({i})"));
        var itemArray = string.Join(", ", items);
        // Upgraded now: the host's day-close job then bills none of the seeded days itself.
        var upgradedAt = (DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch).Ticks / 10;
        await ExecuteAsync(connection, "UPDATE workspaces SET plan = 2, upgraded_at = @at, version = version + 1 WHERE id = @w", ("@at", upgradedAt), ("@w", workspaceId));

        // Shanghai has no DST: the billing day is the UTC+8 date of the hour.
        var points = database.IsPostgres
            ? $"""
                INSERT INTO usage_points (workspace_id, item, hour_start, plan, collector_id, billing_day, quantity, observed_at)
                SELECT @w, i, @first + n * {Hour}, 2, 'history-' || k, (to_timestamp((@first + n * {Hour}) / 1000000 + 28800) AT TIME ZONE 'UTC')::date,
                       1000 + (n * 7 + k * 13 + i) % 997, @first + n * {Hour}
                FROM generate_series(0, @hours - 1) n, generate_series(0, @collectors - 1) k, unnest(ARRAY[{itemArray}]) i
                """
            : $"""
                WITH RECURSIVE h(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM h WHERE n < @hours - 1),
                    c(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM c WHERE k < @collectors - 1),
                    t(i) AS (VALUES {itemList})
                INSERT INTO usage_points (workspace_id, item, hour_start, plan, collector_id, billing_day, quantity, observed_at)
                SELECT @w, i, @first + n * {Hour}, 2, 'history-' || k, date((@first + n * {Hour}) / 1000000 + 28800, 'unixepoch'),
                       1000 + (n * 7 + k * 13 + i) % 997, @first + n * {Hour}
                FROM h, c, t WHERE true
                """;
        var inserted = await ExecuteAsync(connection, points, ("@w", workspaceId), ("@first", first), ("@hours", hours), ("@collectors", collectors));
        await FillRollupsAsync(connection, workspaceId);

        for (int n = 1; n <= days; n++)
        {
            var day = today.AddDays(-n);
            await ExecuteAsync(connection, """
                INSERT INTO daily_bills (id, workspace_id, billing_day, site_code, billing_account_id, method, cloud_account_id, price_list_id,
                    total, status, paid_by_vouchers, paid_by_prepaid_cards, paid_by_cash, arrears, cloud_amount, transaction_id, created_at, charged_at)
                VALUES (@id, @w, @day, 'cn1', 'ba_reads', 1, NULL, 'pl_bench', 11000, 2, 0, 0, 11000, 0, 0, NULL, 0, 0)
                ON CONFLICT DO NOTHING
                """, ("@id", $"db_reads_{n:D4}"), ("@w", workspaceId), ("@day", database.IsPostgres ? day : day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
        }
        await ExecuteAsync(connection, $"""
            INSERT INTO daily_bill_lines (daily_bill_id, item, quantity, units_hundredths, unit_price_micros, retention_days, amount)
            SELECT b.id, t.i, 1000, 100, 10000, 0, 1000 FROM daily_bills b CROSS JOIN (SELECT {items[0]} AS i{string.Concat(items.Skip(1).Select(i => $" UNION ALL SELECT {i}"))}) AS t
            WHERE b.workspace_id = @w
            """, ("@w", workspaceId));
        if (await HasMonthlyConsumptionAsync(connection))
        {
            // The MonthlyConsumption migration's backfill for this workspace (a build from before it has no such table).
            var month = database.IsPostgres ? "date_trunc('month', b.billing_day::timestamp)::date" : "substr(b.billing_day, 1, 8) || '01'";
            await ExecuteAsync(connection, $"""
                INSERT INTO monthly_consumption (workspace_id, month, item, amount)
                SELECT b.workspace_id, {month}, l.item, SUM(l.amount) FROM daily_bill_lines l JOIN daily_bills b ON b.id = l.daily_bill_id
                WHERE b.workspace_id = @w GROUP BY b.workspace_id, {month}, l.item
                """, ("@w", workspaceId));
        }
        if (database.IsPostgres)
        {
            await ExecuteAsync(connection, "ANALYZE");
        }
        return inserted;
    }

    /// <summary>Whether the schema has the consumption summary's monthly table (the host's build decides).</summary>
    public static async Task<bool> HasMonthlyConsumptionAsync(DbConnection connection)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = connection is Npgsql.NpgsqlConnection
            ? "SELECT COUNT(*) FROM information_schema.tables WHERE table_name = 'monthly_consumption'"
            : "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'monthly_consumption'";
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture) > 0;
    }

    /// <summary>The rollups of a workspace whose points were written here (the UsageRollups migration's backfill for one workspace).</summary>
    public static async Task FillRollupsAsync(DbConnection connection, string workspaceId)
    {
        await ExecuteAsync(connection, $"""
            INSERT INTO usage_hourly_rollups (workspace_id, item, plan, billing_day, hour_start, quantity)
            SELECT workspace_id, item, plan, billing_day, hour_start, SUM(quantity) FROM usage_points WHERE workspace_id = @w
            GROUP BY workspace_id, item, plan, billing_day, hour_start
            """, ("@w", workspaceId));
        await ExecuteAsync(connection, $"""
            INSERT INTO usage_daily_rollups (workspace_id, plan, item, billing_day, quantity)
            SELECT workspace_id, plan, item, billing_day, CASE WHEN item IN (1, 3, 4, 5, 12) THEN MAX(quantity) ELSE SUM(quantity) END
            FROM usage_hourly_rollups WHERE workspace_id = @w GROUP BY workspace_id, plan, item, billing_day
            """, ("@w", workspaceId));
    }

    /// <summary>The workspace's rollups recomputed from its points equal the stored ones (both directions).</summary>
    public static async Task<bool> RollupsMatchPointsAsync(BenchmarkDatabase database, string workspaceId)
    {
        await using var connection = await database.OpenAsync();
        const string Hours = """
            SELECT workspace_id, item, plan, billing_day, hour_start, SUM(quantity) AS quantity FROM usage_points WHERE workspace_id = @w
            GROUP BY workspace_id, item, plan, billing_day, hour_start
            """;
        const string StoredHours = "SELECT workspace_id, item, plan, billing_day, hour_start, quantity FROM usage_hourly_rollups WHERE workspace_id = @w";
        const string Days = $"""
            SELECT workspace_id, item, plan, billing_day, CASE WHEN item IN (1, 3, 4, 5, 12) THEN MAX(quantity) ELSE SUM(quantity) END
            FROM ({Hours}) h GROUP BY workspace_id, item, plan, billing_day
            """;
        const string StoredDays = "SELECT workspace_id, item, plan, billing_day, quantity FROM usage_daily_rollups WHERE workspace_id = @w";
        // Set differences both ways: a full join of the two derived tables (no index) ran for minutes on SQLite.
        // PostgreSQL before 16 wants every derived table named.
        var hourly = $"SELECT (SELECT COUNT(*) FROM ({Hours} EXCEPT {StoredHours}) a) + (SELECT COUNT(*) FROM ({StoredHours} EXCEPT {Hours}) b)";
        var daily = $"SELECT (SELECT COUNT(*) FROM ({Days} EXCEPT {StoredDays}) a) + (SELECT COUNT(*) FROM ({StoredDays} EXCEPT {Days}) b)";
        var wrongHours = await ScalarAsync(connection, hourly, workspaceId);
        var wrongDays = await ScalarAsync(connection, daily, workspaceId);
        if (wrongHours + wrongDays > 0)
        {
            Console.WriteLine($"rollups differing from the points: {wrongHours} hours, {wrongDays} days");
        }
        return wrongHours + wrongDays == 0;
    }

    private static async Task<long> ScalarAsync(DbConnection connection, string sql, string workspaceId)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 600;
        Add(command, "@w", workspaceId);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    private static async Task<int> ExecuteAsync(DbConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 600;
        foreach (var (name, value) in parameters)
        {
            Add(command, name, value);
        }
        return await command.ExecuteNonQueryAsync();
    }

    internal static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
