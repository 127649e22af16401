using System.Data.Common;
using Guance.Billing.Data;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.Usage;
using Guance.Billing.Workspaces;
using Item = Guance.Billing.Usage.BillingItem;

namespace Guance.Billing.IntegrationTests.Usage;

/// <summary>
/// The engine's store adds to an hour's rollup exactly what its upserts changed in the hour's points, instead of
/// summing every collector's point of the hour again (a thousand rows at every batch for a workspace of a
/// thousand agents): a flow row adds its quantity, a stock row its new value minus the one it replaced, a
/// late stock value that loses nothing, a batch committed before nothing.
/// </summary>
public sealed class UsageRollupChangeTests
{
    private static readonly DateTimeOffset H = new(2026, 11, 2, 3, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Day = new(2026, 11, 2);
    private const long Offset = 1_000_000;

    [Fact]
    public async Task An_hour_gets_exactly_the_change_of_its_points_added()
    {
        using var database = TestDatabase.Create();
        await using (var services = database.Services())
        {
            await DatabaseSetup.MigrateAsync(services, CancellationToken.None);
        }
        await using var connection = UsageStoreTests.Open(database);
        using var store = UsageDatabase.CreateStore(connection);

        await CommitAsync(connection, store,
            Batch("c1", 1, Row(Item.Logs, 10, H.AddMinutes(10)), Row(Item.TimeSeries, 100, H.AddMinutes(20))),
            Batch("c2", 1, Row(Item.Logs, 4, H.AddMinutes(5)), Row(Item.TimeSeries, 50, H.AddMinutes(5))));
        Assert.Equal((14L, 150L), await HourAsync(connection));

        // An offset no point explains: kept by the next commit only if that commit adds its change rather than
        // recomputing the hour from all its points (which would give the points' sum back).
        await ExecuteAsync(connection, "UPDATE usage_hourly_rollups SET quantity = quantity + " + Offset);

        var applied = await CommitAsync(connection, store,
            // Flow adds 7; the stock value 100 is replaced by 80 (-20).
            Batch("c1", 2, Row(Item.Logs, 7, H.AddMinutes(30)), Row(Item.TimeSeries, 80, H.AddMinutes(40))),
            // Committed before: nothing.
            Batch("c1", 1, Row(Item.Logs, 1_000, H.AddMinutes(30))),
            // A stock value observed before the stored one loses: nothing; flow still adds 1.
            Batch("c2", 2, Row(Item.TimeSeries, 999, H.AddMinutes(1)), Row(Item.Logs, 1, H.AddMinutes(50))),
            // A new collector's first stock value: +5.
            Batch("c3", 1, Row(Item.TimeSeries, 5, H.AddMinutes(50))));

        Assert.Equal([true, false, true, true], applied);
        Assert.Equal((Offset + 14 + 7 + 1, Offset + 150 - 20 + 5), await HourAsync(connection));
        // The points themselves: logs 10+7 and 4+1, time series 80, 50 and 5.
        Assert.Equal((22L, 135L), await PointSumsAsync(connection));
        // A day is still recomputed from its hours (one hour here: the same figures).
        Assert.Equal((Offset + 22, Offset + 135), await DayAsync(connection));
    }

    [Fact]
    public async Task The_refresh_answers_each_day_it_recomputed_above_the_limit()
    {
        using var database = TestDatabase.Create();
        await using (var services = database.Services())
        {
            await DatabaseSetup.MigrateAsync(services, CancellationToken.None);
        }
        await using var connection = UsageStoreTests.Open(database);
        using var store = UsageDatabase.CreateStore(connection);

        // Limit 100. Logs: 60 then 40 (exactly the limit) fit. Time series: hours of 70 and 90 (the day is its largest hour).
        var (_, overLimit) = await CommitAsync(connection, store, 100,
            Batch("c1", 1, Row(Item.Logs, 60, H.AddMinutes(10)), Row(Item.TimeSeries, 70, H.AddMinutes(10)), Row(Item.TimeSeries, 90, H.AddHours(1))));
        Assert.Empty(overLimit);
        (_, overLimit) = await CommitAsync(connection, store, 100, Batch("c2", 1, Row(Item.Logs, 40, H.AddHours(2))));
        Assert.Empty(overLimit);

        // One more log and a second collector's 20 series in the 90 hour: both days answered, with what they would be.
        (_, overLimit) = await CommitAsync(connection, store, 100,
            Batch("c2", 2, Row(Item.Logs, 1, H.AddHours(2)), Row(Item.TimeSeries, 20, H.AddHours(1))));
        Assert.Equal(
            [new RollupDayTotal("ws_1", (int)Plan.Commercial, (int)Item.TimeSeries, Day, 110), new RollupDayTotal("ws_1", (int)Plan.Commercial, (int)Item.Logs, Day, 101)],
            overLimit.OrderByDescending(d => d.Item == (int)Item.TimeSeries));
    }

    private static async Task<bool[]> CommitAsync(DbConnection connection, IUsageStore store, params BatchWrite[] batches) =>
        (await CommitAsync(connection, store, long.MaxValue, batches)).Applied;

    private static async Task<(bool[] Applied, List<RollupDayTotal> OverLimit)> CommitAsync(DbConnection connection, IUsageStore store, long dayLimit, params BatchWrite[] batches)
    {
        await using var transaction = await connection.BeginTransactionAsync();
        store.Enlist(transaction);
        var applied = new bool[batches.Length];
        store.Apply(batches, UnixMicrosecondsConverter.ToMicroseconds(H.AddHours(30)), applied);
        var keys = new UsageRollupKeys();
        for (int i = 0; i < batches.Length; i++)
        {
            if (applied[i])
            {
                keys.Add(batches[i]);
            }
        }
        var overLimit = store.RefreshRollups(keys, dayLimit);
        await transaction.CommitAsync();
        store.Enlist(null);
        return (applied, overLimit);
    }

    private static Task<(long Logs, long TimeSeries)> HourAsync(DbConnection connection) =>
        PairAsync(connection, "SELECT item, quantity FROM usage_hourly_rollups WHERE workspace_id = 'ws_1' AND hour_start = " + UnixMicrosecondsConverter.ToMicroseconds(H));

    private static Task<(long Logs, long TimeSeries)> PointSumsAsync(DbConnection connection) =>
        PairAsync(connection, "SELECT item, SUM(quantity) FROM usage_points WHERE workspace_id = 'ws_1' GROUP BY item");

    private static Task<(long Logs, long TimeSeries)> DayAsync(DbConnection connection) =>
        PairAsync(connection, $"SELECT item, quantity FROM usage_daily_rollups WHERE workspace_id = 'ws_1' AND billing_day = '{Day:yyyy-MM-dd}'");

    private static async Task<(long Logs, long TimeSeries)> PairAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var values = new Dictionary<int, long>();
        while (await reader.ReadAsync())
        {
            values[Convert.ToInt32(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture)] = Convert.ToInt64(reader.GetValue(1), System.Globalization.CultureInfo.InvariantCulture);
        }
        Assert.Equal(2, values.Count);
        return (values[(int)Item.Logs], values[(int)Item.TimeSeries]);
    }

    private static async Task ExecuteAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private static BatchWrite Batch(string collector, long sequence, params AggregatedRow[] rows) => new("ws_1", collector, sequence, rows);

    private static AggregatedRow Row(Item item, long quantity, DateTimeOffset observedAt) =>
        new(BillingItems.Get(item), SiteHours.Compute(Sites.Get("cn1"), observedAt)) { Quantity = quantity, ObservedAt = observedAt };
}
