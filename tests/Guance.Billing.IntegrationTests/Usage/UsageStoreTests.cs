using System.Data.Common;
using Guance.Billing.Common;
using Guance.Billing.Data;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.Usage;
using Guance.Billing.Workspaces;
using Microsoft.Data.Sqlite;
using Npgsql;
using Item = Guance.Billing.Usage.BillingItem;

namespace Guance.Billing.IntegrationTests.Usage;

/// <summary>
/// The writer's store of the engine of the test run: SQLite's, row at a time, or PostgreSQL's set-based
/// one (one batch of mark upserts, then unnest upserts of rows merged in memory). Both must give exactly
/// these marks and points for the same batches, including what the merge has to get right: several
/// batches on one row, stock ties and late stock values, a sequence repeated inside one call, a sequence
/// below the mark.
/// </summary>
public sealed class UsageStoreTests
{
    private static readonly DateTimeOffset H = new(2026, 11, 2, 3, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Day = new(2026, 11, 2);

    [Fact]
    public async Task Both_stores_apply_marks_and_points_with_the_same_rules()
    {
        using var database = TestDatabase.Create();
        await using (var services = database.Services())
        {
            await DatabaseSetup.MigrateAsync(services, CancellationToken.None);
        }
        await using var connection = Open(database);
        using var store = UsageDatabase.CreateStore(connection);

        var first = new[]
        {
            Batch("ws_1", "c1", 5, Row(Item.Logs, 10, H.AddMinutes(10)), Row(Item.TimeSeries, 100, H.AddMinutes(20))),
            // Same rows again: flow adds (observed_at stays the later one), a stock tie goes to the later batch.
            Batch("ws_1", "c1", 6, Row(Item.Logs, 7, H.AddMinutes(5)), Row(Item.TimeSeries, 50, H.AddMinutes(20)), Row(Item.TimeSeries, 30, H.AddMinutes(70))),
            // The same sequence once more, with other content: committed already, nothing applied.
            Batch("ws_1", "c1", 6, Row(Item.Logs, 1_000, H.AddMinutes(30))),
            Batch("ws_1", "c2", 1, Row(Item.Logs, 4, H.AddMinutes(1))),
            Batch("ws_2", "c1", 1, Row(Item.Logs, 1, H.AddMinutes(1))),
        };
        Assert.Equal(new[] { true, true, false, true, true }, await ApplyAsync(connection, store, first));

        var second = new[]
        {
            Batch("ws_1", "c1", 4, Row(Item.Logs, 1_000, H.AddMinutes(30))),
            // A stock value observed before the stored one loses; flow still adds.
            Batch("ws_1", "c1", 7, Row(Item.TimeSeries, 999, H.AddMinutes(1)), Row(Item.Logs, 3, H.AddMinutes(50))),
        };
        Assert.Equal(new[] { false, true }, await ApplyAsync(connection, store, second));

        Assert.Equal(
        [
            ("ws_1", (int)Item.TimeSeries, Micros(H), "c1", 50L, Micros(H.AddMinutes(20))),
            ("ws_1", (int)Item.TimeSeries, Micros(H.AddHours(1)), "c1", 30L, Micros(H.AddMinutes(70))),
            ("ws_1", (int)Item.Logs, Micros(H), "c1", 20L, Micros(H.AddMinutes(50))),
            ("ws_1", (int)Item.Logs, Micros(H), "c2", 4L, Micros(H.AddMinutes(1))),
            ("ws_2", (int)Item.Logs, Micros(H), "c1", 1L, Micros(H.AddMinutes(1))),
        ], await PointsAsync(connection));
        Assert.Equal([("ws_1", "c1", 7L), ("ws_1", "c2", 1L), ("ws_2", "c1", 1L)], await MarksAsync(connection));

        // The quota check's view of a day: the rows of one item.
        Assert.Equal(
            [new StoredPoint(Micros(H), "c1", 20, Micros(H.AddMinutes(50))), new StoredPoint(Micros(H), "c2", 4, Micros(H.AddMinutes(1)))],
            store.ReadDayRows("ws_1", Item.Logs, Day, Plan.Commercial).OrderBy(r => r.CollectorId, StringComparer.Ordinal));
        Assert.Equal(7, store.ReadMark("ws_1", "c1"));
        Assert.Equal(0, store.ReadMark("ws_1", "c9"));
    }

    [Fact]
    public async Task A_group_of_many_collectors_and_hours_adds_up()
    {
        using var database = TestDatabase.Create();
        await using (var services = database.Services())
        {
            await DatabaseSetup.MigrateAsync(services, CancellationToken.None);
        }
        await using var connection = Open(database);
        using var store = UsageDatabase.CreateStore(connection);

        // 120 batches (10 collectors x 12 sequences), 24 rows each over 12 hours, in two calls.
        var batches = new List<BatchWrite>();
        for (int s = 1; s <= 12; s++)
        {
            for (int c = 0; c < 10; c++)
            {
                var rows = Enumerable.Range(0, 12).SelectMany(h => new[]
                {
                    Row(Item.Logs, s + h, H.AddHours(h).AddMinutes(s)),
                    Row(Item.TimeSeries, 1_000 * s + h, H.AddHours(h).AddMinutes(s)),
                }).ToArray();
                batches.Add(Batch("ws_" + (c % 3), "c" + c, s, rows));
            }
        }
        var ordered = batches.OrderBy(b => b.WorkspaceId, StringComparer.Ordinal).ThenBy(b => b.CollectorId, StringComparer.Ordinal).ToList();
        Assert.All(await ApplyAsync(connection, store, ordered.Take(50).ToList()), Assert.True);
        Assert.All(await ApplyAsync(connection, store, ordered.Skip(50).ToList()), Assert.True);

        var points = await PointsAsync(connection);
        Assert.Equal(10 * 12 * 2, points.Count);
        // Flow: per collector and hour h, the sum over s of (s + h); stock: the last sequence's value.
        Assert.All(points.Where(p => p.Item == (int)Item.Logs), p =>
            Assert.Equal(Enumerable.Range(1, 12).Sum(s => s + (p.HourStart - Micros(H)) / 3_600_000_000), p.Quantity));
        Assert.All(points.Where(p => p.Item == (int)Item.TimeSeries), p =>
            Assert.Equal(12_000 + (p.HourStart - Micros(H)) / 3_600_000_000, p.Quantity));
        Assert.All(await MarksAsync(connection), m => Assert.Equal(12, m.Sequence));
    }

    private static BatchWrite Batch(string workspace, string collector, long sequence, params AggregatedRow[] rows) => new(workspace, collector, sequence, rows);

    private static AggregatedRow Row(Item item, long quantity, DateTimeOffset observedAt)
    {
        var hour = new DateTimeOffset(observedAt.Year, observedAt.Month, observedAt.Day, observedAt.Hour, 0, 0, TimeSpan.Zero);
        var site = Guance.Billing.Workspaces.Sites.Get("cn1");
        return new AggregatedRow(BillingItems.Get(item), SiteHours.Compute(site, hour)) { Quantity = quantity, ObservedAt = observedAt };
    }

    private static long Micros(DateTimeOffset at) => UnixMicrosecondsConverter.ToMicroseconds(at);

    internal static DbConnection Open(TestDatabase database)
    {
        var connectionString = DatabaseSetup.ConnectionString(database.Options());
        DbConnection connection = database.Provider == DatabaseProvider.Postgres ? new NpgsqlConnection(connectionString) : new SqliteConnection(connectionString);
        connection.Open();
        return connection;
    }

    private static async Task<bool[]> ApplyAsync(DbConnection connection, IUsageStore store, IReadOnlyList<BatchWrite> batches)
    {
        await using var transaction = await connection.BeginTransactionAsync();
        store.Enlist(transaction);
        var applied = new bool[batches.Count];
        store.Apply(batches, Micros(H.AddHours(30)), applied);
        await transaction.CommitAsync();
        store.Enlist(null);
        return applied;
    }

    private static async Task<List<(string Workspace, int Item, long HourStart, string Collector, long Quantity, long ObservedAt)>> PointsAsync(DbConnection connection)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT workspace_id, item, hour_start, collector_id, quantity, observed_at FROM usage_points ORDER BY workspace_id, item, hour_start, collector_id";
        await using var reader = await command.ExecuteReaderAsync();
        var points = new List<(string, int, long, string, long, long)>();
        while (await reader.ReadAsync())
        {
            points.Add((reader.GetString(0), reader.GetInt32(1), reader.GetInt64(2), reader.GetString(3), reader.GetInt64(4), reader.GetInt64(5)));
        }
        return points;
    }

    private static async Task<List<(string Workspace, string Collector, long Sequence)>> MarksAsync(DbConnection connection)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT workspace_id, collector_id, last_sequence FROM usage_collectors ORDER BY workspace_id, collector_id";
        await using var reader = await command.ExecuteReaderAsync();
        var marks = new List<(string, string, long)>();
        while (await reader.ReadAsync())
        {
            marks.Add((reader.GetString(0), reader.GetString(1), reader.GetInt64(2)));
        }
        return marks;
    }
}
