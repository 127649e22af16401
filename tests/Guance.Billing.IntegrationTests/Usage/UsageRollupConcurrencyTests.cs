using System.Data.Common;
using Guance.Billing.Common;
using Guance.Billing.Data;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.Usage;
using Guance.Billing.Workspaces;
using Npgsql;
using Item = Guance.Billing.Usage.BillingItem;

namespace Guance.Billing.IntegrationTests.Usage;

/// <summary>
/// Two hosts (two writer connections) commit points of one workspace hour for different collectors at
/// the same time: under READ COMMITTED the second would recompute the rollup from a snapshot without
/// the first's points; it locks the rollup rows first and recomputes after the first commits.
/// </summary>
public sealed class UsageRollupConcurrencyTests
{
    private static readonly DateTimeOffset H = new(2026, 11, 2, 3, 0, 0, TimeSpan.Zero);

    [PostgresFact]
    public async Task Two_writers_of_one_hour_leave_the_sum_of_both_in_the_rollups()
    {
        using var database = TestDatabase.Create();
        await using (var services = database.Services())
        {
            await DatabaseSetup.MigrateAsync(services, CancellationToken.None);
        }
        var connectionString = DatabaseSetup.ConnectionString(database.Options());
        await using var first = new NpgsqlConnection(connectionString);
        await using var second = new NpgsqlConnection(connectionString);
        await first.OpenAsync();
        await second.OpenAsync();
        using var firstStore = new PostgresUsageStore(first);
        using var secondStore = new PostgresUsageStore(second);

        await using var firstTransaction = await first.BeginTransactionAsync();
        Write(firstStore, firstTransaction, "c1", 10, 100);
        // The second writer inserts its points, then waits for the first's rollup rows.
        var secondWrite = Task.Run(async () =>
        {
            await using var transaction = await second.BeginTransactionAsync();
            Write(secondStore, transaction, "c2", 4, 40);
            await transaction.CommitAsync();
        });
        await WaitUntilBlockedAsync(connectionString, second.ProcessID, secondWrite);
        await firstTransaction.CommitAsync();
        await secondWrite;

        await RollupAssert.MatchPointsAsync(database);
        await using var db = database.NewContext();
        Assert.Equal([140L, 14L], db.UsageDailyRollups.Where(r => r.WorkspaceId == "ws_1").OrderBy(r => r.Item).Select(r => r.Quantity).ToList());
    }

    /// <summary>Until the backend waits for a lock (the first writer's rollup rows); the write must not end before.</summary>
    private static async Task WaitUntilBlockedAsync(string connectionString, int backend, Task write)
    {
        await using var watcher = new NpgsqlConnection(connectionString);
        await watcher.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE pid = @pid AND wait_event_type = 'Lock'", watcher);
        command.Parameters.AddWithValue("pid", backend);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while ((long)(await command.ExecuteScalarAsync(timeout.Token))! == 0)
        {
            Assert.False(write.IsCompleted, "the second writer committed without waiting for the first");
            await Task.Delay(10, timeout.Token);
        }
    }

    private static void Write(IUsageStore store, DbTransaction transaction, string collector, long logs, long series)
    {
        store.Enlist(transaction);
        var site = Sites.Get("cn1");
        var rows = new[]
        {
            new AggregatedRow(BillingItems.Get(Item.TimeSeries), SiteHours.Compute(site, H)) { Quantity = series, ObservedAt = H.AddMinutes(5) },
            new AggregatedRow(BillingItems.Get(Item.Logs), SiteHours.Compute(site, H)) { Quantity = logs, ObservedAt = H.AddMinutes(5) },
        };
        var write = new BatchWrite("ws_1", collector, 1, rows);
        var applied = new bool[1];
        store.Apply([write], UnixMicrosecondsConverter.ToMicroseconds(H.AddHours(1)), applied);
        var keys = new UsageRollupKeys();
        keys.Add(write);
        Assert.Empty(store.RefreshRollups(keys, new UsageOptions().MaxDayQuantity));
    }
}
