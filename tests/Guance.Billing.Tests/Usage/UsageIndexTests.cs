using Guance.Billing.Common;
using Guance.Billing.Data;
using Guance.Billing.Usage;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Guance.Billing.Tests.Usage;

/// <summary>
/// The usage writer's upserts mostly add to rows that exist. A column they change that is also in an index makes every such
/// upsert rewrite an index entry as well as the row: on SQLite a page more in the WAL per row, on PostgreSQL no HOT update.
/// Without the quantity in <c>ix_usage_points_by_day</c>, a fleet's batch cost 0.90 of the host CPU (docs/performance.md).
/// </summary>
public sealed class UsageIndexTests
{
    [Theory]
    [InlineData("usage_points", "quantity", "observed_at")]
    [InlineData("usage_collectors", "last_sequence", "last_committed_at")]
    [InlineData("usage_hourly_rollups", "quantity")]
    public async Task The_columns_that_ingestion_changes_are_in_no_index(string table, params string[] changed)
    {
        await using var connection = await CreatedAsync();
        var indexed = await QueryAsync(connection, """
            SELECT i.name || '.' || x.name FROM pragma_index_list(@table) AS i JOIN pragma_index_xinfo(i.name) AS x
            WHERE x.name IS NOT NULL
            """, ("@table", table));

        Assert.NotEmpty(indexed);
        foreach (var column in changed)
        {
            Assert.DoesNotContain(indexed, c => c.EndsWith("." + column, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task The_experience_quota_read_still_seeks_the_day_index()
    {
        await using var connection = await CreatedAsync();
        var plan = await QueryAsync(connection, "EXPLAIN QUERY PLAN " + SqliteUsageStore.ReadDayRowsSql,
            ("@workspace", "ws_a"), ("@item", 2), ("@day", "2026-11-02"), ("@period", 1));

        Assert.Contains(plan, step => step.Contains("USING INDEX ix_usage_points_by_day (workspace_id=? AND billing_day=? AND plan=? AND item=?)", StringComparison.Ordinal));
    }

    private static async Task<SqliteConnection> CreatedAsync()
    {
        var connection = new SqliteConnection("Data Source=:memory:");
        await connection.OpenAsync();
        var options = new DbContextOptionsBuilder<BillingDbContext>().UseSqlite(connection).UseModel(EngineCompiledModel.For(DatabaseProvider.Sqlite)!);
        await using var db = new BillingDbContext(options.Options);
        await db.Database.EnsureCreatedAsync();
        return connection;
    }

    private static async Task<List<string>> QueryAsync(SqliteConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        var rows = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            // A query's first column; EXPLAIN QUERY PLAN's step is its last (id, parent, notused, detail).
            rows.Add(reader.GetString(reader.FieldCount - 1));
        }
        return rows;
    }
}
