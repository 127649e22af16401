using System.Data.Common;
using System.Globalization;
using Npgsql;

namespace Guance.Billing.Benchmarks;

/// <summary>
/// The reads' queries alone, for the baseline: the raw-point queries the reads ran before the rollups
/// (kept here only: a GROUP BY over every collector's hourly points, and every bill line of the
/// workspace summed per item) beside the ones they run now. Each pair reads what one read needs.
/// </summary>
internal static class ReadsQueries
{
    private static string RawHours(string filter) => $"""
        SELECT billing_day, item, hour_start, SUM(quantity) FROM usage_points
        WHERE workspace_id = @w AND billing_day >= @from AND billing_day <= @to AND plan = 2 {filter}
        GROUP BY billing_day, item, hour_start
        """;

    public static IEnumerable<(string Name, Func<Task> Before, Func<Task> After)> Pairs(
        DbConnection connection, string workspaceId, DateOnly today, DateTimeOffset now, bool monthlyConsumption)
    {
        var monthStart = new DateOnly(today.Year, today.Month, 1);
        var statsFrom = today.AddDays(-1) < monthStart ? today.AddDays(-1) : monthStart;
        var logs = "AND item = 2";
        var hourStart = Micros(now.AddDays(-7));
        var hourEnd = Micros(now);

        yield return ("statistics (month to date)",
            () => ReadAsync(connection, RawHours(""), workspaceId, statsFrom, today),
            () => ReadAsync(connection, "SELECT item, billing_day, quantity FROM usage_daily_rollups WHERE workspace_id = @w AND plan = 2 AND billing_day >= @from AND billing_day <= @to",
                workspaceId, statsFrom, today));
        yield return ("hourly points, 7 days",
            () => ReadAsync(connection, RawHours(logs), workspaceId, today.AddDays(-7), today),
            () => ReadAsync(connection, $"""
                SELECT hour_start, billing_day, quantity FROM usage_hourly_rollups
                WHERE workspace_id = @w AND item = 2 AND plan = 2 AND billing_day >= @from AND billing_day <= @to AND hour_start >= {hourStart} AND hour_start < {hourEnd}
                """, workspaceId, today.AddDays(-7), today));
        foreach (var days in new[] { 30, 400 })
        {
            yield return ($"daily points, {days} days",
                () => ReadAsync(connection, RawHours(logs), workspaceId, today.AddDays(-days + 1), today),
                () => ReadAsync(connection, "SELECT billing_day, quantity FROM usage_daily_rollups WHERE workspace_id = @w AND plan = 2 AND item = 2 AND billing_day >= @from AND billing_day <= @to",
                    workspaceId, today.AddDays(-days + 1), today));
        }
        // Every bill line of the workspace summed per item, as the summary read before the monthly table; then its months
        // and yesterday's lines (a build without the table: the grouped sum again).
        const string grouped = """
            SELECT l.item, SUM(CASE WHEN b.billing_day = @from THEN l.amount ELSE 0 END), SUM(CASE WHEN b.billing_day >= @to THEN l.amount ELSE 0 END), SUM(l.amount)
            FROM daily_bill_lines l JOIN daily_bills b ON l.daily_bill_id = b.id WHERE b.workspace_id = @w GROUP BY l.item
            """;
        yield return ("consumption summary",
            () => ReadAsync(connection, grouped, workspaceId, today.AddDays(-1), monthStart),
            () => ReadAsync(connection, monthlyConsumption ? """
                SELECT item, amount FROM monthly_consumption WHERE workspace_id = @w
                UNION ALL
                SELECT l.item, l.amount FROM daily_bill_lines l JOIN daily_bills b ON l.daily_bill_id = b.id WHERE b.workspace_id = @w AND b.billing_day = @from
                """ : grouped, workspaceId, today.AddDays(-1), monthStart));
    }

    private static async Task ReadAsync(DbConnection connection, string sql, string workspaceId, DateOnly from, DateOnly to)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var postgres = connection is NpgsqlConnection;
        ReadsHistory.Add(command, "@w", workspaceId);
        ReadsHistory.Add(command, "@from", postgres ? from : from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        ReadsHistory.Add(command, "@to", postgres ? to : to.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await using var reader = await command.ExecuteReaderAsync();
        long rows = 0;
        while (await reader.ReadAsync())
        {
            rows += reader.GetInt64(reader.FieldCount - 1) >= 0 ? 1 : 0;
        }
    }

    private static long Micros(DateTimeOffset at) => (at - DateTimeOffset.UnixEpoch).Ticks / 10;
}
