using Guance.Billing.Data;
using Guance.Billing.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Guance.Billing.IntegrationTests.Data;

/// <summary>
/// Several hosts started at once against one fresh database: each migrates at start, and EF's
/// migration lock (a lock on the history table on PostgreSQL, a lock row on SQLite) lets one of
/// them apply the migrations while the others wait and then find nothing to do.
/// </summary>
public sealed class MigrationLockTests
{
    private const int Hosts = 3;

    [Fact]
    public async Task Hosts_starting_at_once_migrate_a_fresh_database_exactly_once()
    {
        for (int round = 0; round < 3; round++)
        {
            // An empty database, as an administrator prepares it; in the first round on PostgreSQL not
            // even that: the hosts race to create it too.
            using var database = TestDatabase.Create(create: round > 0);
            var hosts = Enumerable.Range(0, Hosts).Select(_ => database.Services()).ToList();
            try
            {
                var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                var starts = hosts.Select(services => Task.Run(async () =>
                {
                    await go.Task;
                    await DatabaseSetup.MigrateAsync(services, CancellationToken.None);
                })).ToList();
                go.SetResult();
                await Task.WhenAll(starts);
            }
            finally
            {
                foreach (var services in hosts)
                {
                    await services.DisposeAsync();
                }
            }

            await using var db = database.NewContext();
            Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync());
            await SchemaTests.AssertMatchesModelAsync(database);
        }
    }
}
