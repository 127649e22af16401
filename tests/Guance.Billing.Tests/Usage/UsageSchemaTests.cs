using Guance.Billing.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Guance.Billing.Tests.Usage;

/// <summary>The hand-written usage migration makes exactly the tables the model describes (columns, types, nullability, keys, indexes).</summary>
public sealed class UsageSchemaTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "guance-usage-schema-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task The_migrated_usage_tables_equal_the_model()
    {
        Directory.CreateDirectory(_directory);
        var migrated = Path.Combine(_directory, "migrated.db");
        var created = Path.Combine(_directory, "created.db");
        await using (var db = Context(migrated))
        {
            await db.Database.MigrateAsync();
        }
        await using (var db = Context(created))
        {
            await db.Database.EnsureCreatedAsync();
        }
        foreach (var table in new[] { "usage_points", "usage_collectors" })
        {
            Assert.Equal(await DescribeAsync(created, table), await DescribeAsync(migrated, table));
            Assert.NotEmpty(await DescribeAsync(created, table));
        }
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private static BillingDbContext Context(string file) =>
        new(new DbContextOptionsBuilder<BillingDbContext>()
            .UseSqlite($"Data Source={file}")
            .ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning))
            .Options);

    private static async Task<List<string>> DescribeAsync(string file, string table)
    {
        var lines = new List<string>();
        await using var connection = new SqliteConnection($"Data Source={file};Pooling=False");
        await connection.OpenAsync();
        async Task Read(string sql, Func<SqliteDataReader, string> line)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                lines.Add(line(reader));
            }
        }
        await Read($"PRAGMA table_info('{table}')", r => $"column {r["name"]} {r["type"]} notnull={r["notnull"]} pk={r["pk"]}");
        var indexes = new List<string>();
        await Read($"PRAGMA index_list('{table}')", r => $"index {r["name"]} unique={r["unique"]} origin={r["origin"]}");
        foreach (var index in lines.Where(l => l.StartsWith("index ", StringComparison.Ordinal)).Select(l => l.Split(' ')[1]).ToList())
        {
            await Read($"PRAGMA index_info('{index}')", r => $"  {index} {r["seqno"]} {r["name"]}");
        }
        lines.Sort(StringComparer.Ordinal);
        return lines;
    }
}
