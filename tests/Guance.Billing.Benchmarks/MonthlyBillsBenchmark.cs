using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Guance.Billing.V1;

namespace Guance.Billing.Benchmarks;

/// <summary>
/// GenerateMonthlyBills for September 2026 over daily bills seeded set-based straight into the database
/// (default: 1,000 billing accounts × 10 workspaces × 30 days = 300,000 daily bills of 5 lines each,
/// all charged, every day of cn1 closed), through gRPC to a host process. Prints the time of the
/// generation, bills per second, and the time of a second (idempotent) call; checks that the bills'
/// totals equal the daily bills' to the cent.
/// Options: --accounts N (1000), --workspaces N per account (10), --days N (30), --items N per bill (5, at most 10);
/// --postgres ADMIN_CONNECTION_STRING|start (without it: SQLite).
/// </summary>
public static class MonthlyBillsBenchmark
{
    public const string Description = "GenerateMonthlyBills: 1,000 accounts × 30 days × 10 workspaces of seeded daily bills (SQLite, or --postgres)";

    public static async Task<int> RunAsync(string[] args)
    {
        var accounts = Option(args, "--accounts", 1000);
        var workspaces = Option(args, "--workspaces", 10);
        var days = Math.Clamp(Option(args, "--days", 30), 1, 30);
        var items = Math.Clamp(Option(args, "--items", 5), 1, 10);
        await using var database = await BenchmarkDatabase.CreateAsync(BenchmarkDatabase.PostgresOption(args));
        Console.WriteLine($"monthly: {accounts:N0} accounts × {workspaces} workspaces × {days} days = {accounts * workspaces * days:N0} daily bills "
            + $"of {items} lines, {database.Engine}; {Environment.ProcessorCount} cores");
        await using var host = await BenchmarkHost.StartAsync(database, "--Guance:Jobs:Enabled=false");

        var seeding = Stopwatch.StartNew();
        var expectedTotal = await SeedAsync(database, accounts, workspaces, days, items);
        Console.WriteLine($"  seeded in {seeding.Elapsed.TotalSeconds:F1} s");

        using var channel = host.Channel();
        var client = new MonthlyBillService.MonthlyBillServiceClient(channel.Intercept(m =>
        {
            m.Add("authorization", "Bearer " + BenchmarkHost.OperatorToken);
            return m;
        }));
        var request = new GenerateMonthlyBillsRequest { Year = 2026, Month = 9 };
        var timer = Stopwatch.StartNew();
        var run = await client.GenerateMonthlyBillsAsync(request, deadline: DateTime.UtcNow.AddMinutes(30));
        var seconds = timer.Elapsed.TotalSeconds;
        Console.WriteLine($"  GenerateMonthlyBills: {run.Generated:N0} bills in {seconds:F2} s = {run.Generated / seconds:N0} bills/s "
            + $"({accounts * workspaces * days / seconds:N0} daily bills/s)");
        timer.Restart();
        var again = await client.GenerateMonthlyBillsAsync(request, deadline: DateTime.UtcNow.AddMinutes(30));
        Console.WriteLine($"  again (idempotent): {again.Generated} generated, {again.Existing:N0} existing in {timer.Elapsed.TotalSeconds:F2} s");

        var actual = await ScalarAsync(database, "SELECT COALESCE(SUM(total), 0) FROM monthly_bills");
        var lines = await ScalarAsync(database, "SELECT COALESCE(SUM(amount), 0) FROM monthly_bill_lines");
        var exact = run.Generated == accounts && again.Generated == 0 && actual == expectedTotal && lines == expectedTotal;
        Console.WriteLine($"  totals: monthly {actual:N0} cents, lines {lines:N0}, daily {expectedTotal:N0}: {(exact ? "exact" : "MISMATCH")}");
        return exact ? 0 : 1;
    }

    /// <summary>Seeds the daily bills, their lines and cn1's closes; returns the sum of the bills in cents.</summary>
    private static async Task<long> SeedAsync(BenchmarkDatabase database, int accounts, int workspaces, int days, int items)
    {
        await using var connection = await database.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var count = accounts * workspaces;
        // Workspace i (1..count) belongs to account (i - 1) / workspaces; its line of item t is 13 t + (i mod 97) cents.
        var itemsSum = items * (items + 1) / 2;
        for (var day = 1; day <= days; day++)
        {
            var date = new DateOnly(2026, 9, day);
            var tag = date.ToString("dd", CultureInfo.InvariantCulture);
            await ExecuteAsync(connection, transaction, $"""
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {count})
                INSERT INTO daily_bills (id, workspace_id, billing_day, site_code, billing_account_id, method, cloud_account_id, price_list_id,
                    total, status, paid_by_vouchers, paid_by_prepaid_cards, paid_by_cash, arrears, cloud_amount, transaction_id, created_at, charged_at)
                SELECT 'db_{tag}_' || CAST(10000000 + i AS TEXT), 'ws_' || CAST(10000000 + i AS TEXT), @day, 'cn1',
                    'ba_' || CAST(10000000 + (i - 1) / {workspaces} AS TEXT), 1, NULL, 'pl_bench',
                    {13 * itemsSum} + {items} * (i % 97), 2, 0, 0, {13 * itemsSum} + {items} * (i % 97), 0, 0, NULL, 0, 0
                FROM n
                """, date);
            await ExecuteAsync(connection, transaction, $"""
                WITH RECURSIVE t(item) AS (SELECT 1 UNION ALL SELECT item + 1 FROM t WHERE item < {items})
                INSERT INTO daily_bill_lines (daily_bill_id, item, quantity, units_hundredths, unit_price_micros, retention_days, amount)
                SELECT d.id, t.item, 1000, 100, 10000, 0, 13 * t.item + (d.total - {13 * itemsSum}) / {items}
                FROM daily_bills d CROSS JOIN t
                WHERE d.billing_day = @day
                """, date);
        }
        for (var day = 1; day <= 30; day++)
        {
            await ExecuteAsync(connection, transaction,
                "INSERT INTO day_closes (site_code, billing_day, closed_at, completed_at, price_list_id, bills, bills_charged, bills_awaiting_cloud, bills_unbound, total) "
                + "VALUES ('cn1', @day, 0, 0, NULL, 0, 0, 0, 0, 0)", new DateOnly(2026, 9, day));
        }
        await transaction.CommitAsync();
        // Per day: Σ over i of (13 × Σt + items × (i mod 97)).
        long perDay = 0;
        for (var i = 1; i <= count; i++)
        {
            perDay += 13L * itemsSum + items * (i % 97);
        }
        return perDay * days;
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction transaction, string sql, DateOnly day)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.CommandTimeout = 600;
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@day";
        parameter.Value = day;
        command.Parameters.Add(parameter);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<long> ScalarAsync(BenchmarkDatabase database, string sql)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
