using Guance.Billing.IntegrationTests.Data;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.V1;
using Microsoft.EntityFrameworkCore;

namespace Guance.Billing.IntegrationTests.MultiHost;

/// <summary>
/// The process version of <see cref="MigrationLockTests"/>: two host processes started at the same
/// moment on a PostgreSQL database that does not exist yet. Both create it (one wins, the other goes
/// on) and migrate at start; the advisory lock around the migration run lets exactly one apply each
/// migration while the other waits and finds nothing left; then both serve the same data. (An empty
/// database, and three hosts, are the in-process cases of MigrationLockTests.)
/// </summary>
public sealed class MultiHostStartTests
{
    private static readonly Dictionary<string, string> LogMigrations = new()
    {
        ["Logging:LogLevel:Microsoft.EntityFrameworkCore.Migrations"] = "Information",
    };

    [PostgresFact]
    public async Task Two_hosts_starting_at_once_on_a_new_database_create_and_migrate_it_once_and_serve_the_same_data()
    {
        using var database = TestDatabase.Create(create: false);
        await using var cluster = await HostCluster.StartAsync(2, LogMigrations, database);

        await using (var db = database.NewContext())
        {
            var migrations = db.Database.GetMigrations().ToList();
            Assert.Equal(migrations, await db.Database.GetAppliedMigrationsAsync());
            foreach (var migration in migrations)
            {
                var applied = cluster.Hosts.Select(h => h.OutputLines.Count(l => l.Contains($"Applying migration '{migration}'", StringComparison.Ordinal))).ToList();
                Assert.True(applied.Sum() == 1, $"{migration} applied {string.Join(" + ", applied)} times by the two hosts");
            }
        }
        await SchemaTests.AssertMatchesModelAsync(database);

        // What one host writes, the other serves.
        var email = $"both.{Guid.NewGuid():N}@example.com";
        await cluster.Api(0).Identity.SignUpAsync(new SignUpRequest { Email = email, Password = "correct horse battery", DisplayName = "Both" });
        var signedIn = await cluster.Api(1).Identity.SignInAsync(new SignInRequest { Email = email, Password = "correct horse battery" });
        Assert.Equal(email, signedIn.User.Email);
        cluster.AssertNoErrorsLogged();
    }
}
