using Guance.Billing.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Guance.Billing.Tests.Data;

/// <summary>The hand-written migrations make exactly the schema of the model (SQLite).</summary>
public sealed class MigratedSchemaTests
{
    [Fact]
    public async Task Migrations_make_the_tables_columns_and_indexes_of_the_model()
    {
        var migrated = await SchemaAsync(migrate: true);
        var created = await SchemaAsync(migrate: false);
        Assert.Equal(created.Keys.Order(), migrated.Keys.Order());
        foreach (var table in created.Keys)
        {
            Assert.Equal(created[table], migrated[table]);
        }
    }

    private static async Task<Dictionary<string, List<string>>> SchemaAsync(bool migrate)
    {
        var directory = Path.Combine(Path.GetTempPath(), "guance-billing-schema", Guid.NewGuid().ToString("N"));
        var services = new ServiceCollection().AddLogging()
            .AddGuanceBilling(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Guance:DataDirectory"] = directory }).Build())
            .BuildServiceProvider();
        try
        {
            if (migrate)
            {
                await DatabaseSetup.MigrateAsync(services, CancellationToken.None);
            }
            else
            {
                Directory.CreateDirectory(directory);
                await using var scope = services.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<BillingDbContext>().Database.EnsureCreatedAsync();
            }
            await using var connection = new SqliteConnection(DatabaseSetup.ConnectionString(new Guance.Billing.Common.GuanceOptions { DataDirectory = directory }));
            await connection.OpenAsync();
            var schema = new Dictionary<string, List<string>>();
            var tables = await RowsAsync(connection, "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'", r => (r.GetString(0), r.GetString(1)));
            // EF's own bookkeeping (migration history and lock) is not part of the model.
            foreach (var (table, sql) in tables.Where(t => !t.Item1.StartsWith("__EF", StringComparison.Ordinal)))
            {
                var facts = new List<string>();
                facts.AddRange(await RowsAsync(connection, $"PRAGMA table_info(\"{table}\")", r => $"column {r.GetString(1)} {r.GetString(2)} notnull={r.GetInt32(3)} pk={r.GetInt32(5)}"));
                foreach (var (index, unique, partial) in await RowsAsync(connection, $"PRAGMA index_list(\"{table}\")", r => (r.GetString(1), r.GetInt32(2), r.GetInt32(4))))
                {
                    var columns = await RowsAsync(connection, $"PRAGMA index_info(\"{index}\")", r => r.GetString(2));
                    var where = await RowsAsync(connection, $"SELECT sql FROM sqlite_master WHERE type = 'index' AND name = '{index}'", r => r.IsDBNull(0) ? "" : r.GetString(0));
                    var filter = where.FirstOrDefault() is { } text && text.Contains(" WHERE ") ? text[(text.IndexOf(" WHERE ") + 7)..] : "";
                    facts.Add($"index {index} unique={unique} partial={partial} ({string.Join(", ", columns)}) {filter}");
                }
                var checks = sql.Split("CONSTRAINT").Where(part => part.Contains("CHECK")).Select(part => "check " + part.Trim().TrimEnd(',', ')', '\n'));
                facts.AddRange(checks);
                facts.Sort(StringComparer.Ordinal);
                schema[table] = facts;
            }
            return schema;
        }
        finally
        {
            await services.DisposeAsync();
            SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task<List<T>> RowsAsync<T>(SqliteConnection connection, string sql, Func<SqliteDataReader, T> read)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<T>();
        while (await reader.ReadAsync())
        {
            rows.Add(read(reader));
        }
        return rows;
    }
}
