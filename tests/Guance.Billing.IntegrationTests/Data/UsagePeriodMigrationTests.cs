using Guance.Billing.Data;
using Guance.Billing.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Plan = Guance.Billing.Workspaces.Plan;

namespace Guance.Billing.IntegrationTests.Data;

/// <summary>
/// Migration M0007 gives the usage points stored before it their period as the rules before it billed
/// them: an hour that starts at or after the workspace's upgrade is commercial, any other experience.
/// </summary>
public sealed class UsagePeriodMigrationTests
{
    [Fact]
    public async Task Points_stored_before_the_migration_keep_the_period_they_were_billed_in()
    {
        using var database = TestDatabase.Create();
        await using (var services = database.Services())
        {
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<BillingDbContext>();
            await db.GetService<IMigrator>().MigrateAsync("20261125000006_CloudAndAlerts");
            // Upgraded at 10:30 (in microseconds since the epoch); the hours of 10:00 and 11:00, and a point of a workspace since removed.
            const long Hour = 3_600_000_000L;
            const long Ten = 1_000 * Hour;
            await db.Database.ExecuteSqlRawAsync($"""
                INSERT INTO workspaces (id, name, description, site_code, activation_channel, plan, state, owner_user_id, created_at, upgraded_at, dissolved_at, version)
                VALUES ('ws_up', 'up', '', 'cn1', 1, 2, 1, 'u_1', 0, {Ten + Hour / 2}, NULL, 1)
                """);
            await db.Database.ExecuteSqlRawAsync($"""
                INSERT INTO usage_points (workspace_id, item, hour_start, collector_id, billing_day, quantity, observed_at) VALUES
                ('ws_up', 2, {Ten}, 'c', '2026-11-02', 5, {Ten}),
                ('ws_up', 2, {Ten + Hour}, 'c', '2026-11-02', 7, {Ten + Hour}),
                ('ws_gone', 2, {Ten + Hour}, 'c', '2026-11-02', 9, {Ten + Hour})
                """);
            await DatabaseSetup.MigrateAsync(services, CancellationToken.None);
        }

        await using var migrated = database.NewContext();
        var points = await migrated.UsagePoints.AsNoTracking().OrderBy(p => p.Quantity).Select(p => new { p.Quantity, p.Plan }).ToListAsync();
        Assert.Equal([(5L, Plan.Experience), (7L, Plan.Commercial), (9L, Plan.Experience)],
            points.Select(p => (p.Quantity, p.Plan)));
        await SchemaTests.AssertMatchesModelAsync(database);
    }
}
