using Guance.Billing.Data;
using Guance.Billing.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using static Guance.Billing.IntegrationTests.Data.PostgresMigrationSteps;

namespace Guance.Billing.IntegrationTests.Data;

/// <summary>
/// Migration PointsIndexWithoutQuantity rebuilds the points' day index on PostgreSQL while hosts of the old version go on
/// ingesting (a rolling upgrade): the new index is built CONCURRENTLY and swapped, so no write to the points waits for it.
/// </summary>
public sealed class PointsIndexMigrationTests
{
    private const string Migration = "_PointsIndexWithoutQuantity";

    [PostgresFact]
    public async Task Usage_is_written_while_the_index_is_rebuilt()
    {
        using var database = TestDatabase.Create();
        await using var services = database.Services();
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BillingDbContext>();
        var migrations = db.Database.GetMigrations().ToList();
        await db.GetService<IMigrator>().MigrateAsync(migrations[migrations.FindIndex(m => m.EndsWith(Migration, StringComparison.Ordinal)) - 1]);

        // A writer of the old version, in the middle of its transaction: the index build has to wait for it to end.
        await using var oldHost = new NpgsqlConnection(database.ConnectionString);
        await oldHost.OpenAsync();
        await using var open = await oldHost.BeginTransactionAsync();
        await ExecuteAsync(oldHost, InsertPoint("c1"));
        var migrating = DatabaseSetup.MigrateAsync(services, CancellationToken.None);
        await WaitUntilWaitingAsync(database.ConnectionString!);

        // Another host's write meanwhile. Behind a plain CREATE INDEX (a SHARE lock, queued) it would wait until the first
        // transaction ends; lock_timeout turns that wait into an error instead of a hang.
        await using (var otherHost = new NpgsqlConnection(database.ConnectionString))
        {
            await otherHost.OpenAsync();
            await ExecuteAsync(otherHost, "SET lock_timeout = '2s'");
            await ExecuteAsync(otherHost, InsertPoint("c2"));
        }
        Assert.False(migrating.IsCompleted);

        await open.CommitAsync();
        Assert.True(await migrating);
        await using var migrated = database.NewContext();
        Assert.Equal(2, await migrated.UsagePoints.CountAsync());
        await SchemaTests.AssertMatchesModelAsync(database);
    }

    private static string InsertPoint(string collector) => $"""
        INSERT INTO usage_points (workspace_id, item, hour_start, plan, collector_id, billing_day, quantity, observed_at)
        VALUES ('ws_a', 2, 0, 2, '{collector}', '2026-11-02', 5, 0)
        """;
}
