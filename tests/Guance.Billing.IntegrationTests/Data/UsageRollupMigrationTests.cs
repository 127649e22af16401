using Guance.Billing.Data;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.IntegrationTests.Usage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;

namespace Guance.Billing.IntegrationTests.Data;

/// <summary>Migration UsageRollups fills the rollups from the points stored before it (stock: max of the hours; flow: sum).</summary>
public sealed class UsageRollupMigrationTests
{
    [Fact]
    public async Task Points_stored_before_the_migration_get_their_rollups()
    {
        using var database = TestDatabase.Create();
        await using (var services = database.Services())
        {
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<BillingDbContext>();
            var migrations = db.Database.GetMigrations().ToList();
            var before = migrations[migrations.FindIndex(m => m.EndsWith("_UsageRollups", StringComparison.Ordinal)) - 1];
            await db.GetService<IMigrator>().MigrateAsync(before);
            const long Hour = 3_600_000_000L;
            const long Ten = 1_000 * Hour;
            // Two collectors, two hours of one day: time series (stock) 5+7 then 20+1, logs (flow) 3+4 then 10; another period and day.
            await db.Database.ExecuteSqlRawAsync($"""
                INSERT INTO usage_points (workspace_id, item, hour_start, plan, collector_id, billing_day, quantity, observed_at) VALUES
                ('ws_a', 1, {Ten}, 2, 'c1', '2026-11-02', 5, {Ten}),
                ('ws_a', 1, {Ten}, 2, 'c2', '2026-11-02', 7, {Ten}),
                ('ws_a', 1, {Ten + Hour}, 2, 'c1', '2026-11-02', 20, {Ten + Hour}),
                ('ws_a', 1, {Ten + Hour}, 2, 'c2', '2026-11-02', 1, {Ten + Hour}),
                ('ws_a', 2, {Ten}, 2, 'c1', '2026-11-02', 3, {Ten}),
                ('ws_a', 2, {Ten}, 2, 'c2', '2026-11-02', 4, {Ten}),
                ('ws_a', 2, {Ten + Hour}, 2, 'c1', '2026-11-02', 10, {Ten + Hour}),
                ('ws_a', 2, {Ten}, 1, 'c1', '2026-11-02', 6, {Ten}),
                ('ws_b', 2, {Ten + 30 * Hour}, 2, 'c1', '2026-11-03', 9, {Ten + 30 * Hour})
                """);
            await DatabaseSetup.MigrateAsync(services, CancellationToken.None);
        }

        await RollupAssert.MatchPointsAsync(database);
        await using var migrated = database.NewContext();
        var days = await migrated.UsageDailyRollups.AsNoTracking().Where(r => r.WorkspaceId == "ws_a" && r.Plan == Guance.Billing.Workspaces.Plan.Commercial)
            .OrderBy(r => r.Item).Select(r => r.Quantity).ToListAsync();
        Assert.Equal([21L, 17L], days);
        await SchemaTests.AssertMatchesModelAsync(database);
    }
}
