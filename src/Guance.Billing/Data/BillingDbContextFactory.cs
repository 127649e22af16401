using Guance.Billing.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Guance.Billing.Data;

/// <summary>
/// How <c>dotnet ef</c> makes the context: for the engine named after <c>--</c>, e.g.
/// <c>dotnet ef migrations add AddX --output-dir Data/Migrations/Sqlite -- --engine sqlite</c>, and
/// configured as the host configures its own, so that the tools see that engine's model, migrations
/// and snapshot (docs/operations.md#migrations), but always with the model that <c>OnModelCreating</c>
/// builds: <c>dotnet ef dbcontext optimize</c> makes the compiled models from it. The connection strings only name a database:
/// <c>migrations add</c> connects to none, and <c>dotnet ef --connection</c> replaces them.
/// </summary>
public sealed class BillingDbContextFactory : IDesignTimeDbContextFactory<BillingDbContext>
{
    public BillingDbContext CreateDbContext(string[] args)
    {
        var engine = Engine(args);
        var builder = new DbContextOptionsBuilder<BillingDbContext>();
        DatabaseSetup.Configure(builder, new GuanceOptions
        {
            Database = new DatabaseOptions
            {
                Provider = engine,
                ConnectionString = engine == DatabaseProvider.Postgres
                    ? "Host=localhost;Database=guance_billing"
                    : $"Data Source={DatabaseSetup.SqliteFileName}",
            },
        }, compiledModel: false);
        return new BillingDbContext(builder.Options);
    }

    /// <summary>The engine of <c>--engine sqlite|postgres</c>; there is no default, so that no migration lands in the wrong folder.</summary>
    public static DatabaseProvider Engine(IReadOnlyList<string> args)
    {
        var at = args.ToList().IndexOf("--engine");
        var name = at >= 0 && at + 1 < args.Count ? args[at + 1] : null;
        var engine = Enum.GetValues<DatabaseProvider>().Where(e => string.Equals(e.ToString(), name, StringComparison.OrdinalIgnoreCase));
        return engine.Any()
            ? engine.Single()
            : throw new ArgumentException(
                $"Name the engine after `--`: `-- --engine sqlite` or `-- --engine postgres` (was: {name ?? "none"}); see docs/operations.md#migrations.");
    }
}
