using Guance.Billing.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Guance.Billing.Data;

/// <summary>Chooses the engine (SQLite by default, PostgreSQL for production) and migrates at start.</summary>
public static class DatabaseSetup
{
    public const string SqliteFileName = "guance-billing.db";

    /// <summary>Registers the context; the options are read when it is first made, after all configuration is in.</summary>
    public static IServiceCollection AddBillingDatabase(this IServiceCollection services)
    {
        services.AddDbContext<BillingDbContext>((provider, builder) =>
        {
            var options = provider.GetRequiredService<IOptions<GuanceOptions>>().Value;
            var connectionString = ConnectionString(options);
            if (options.Database.Provider == DatabaseProvider.Postgres)
            {
                builder.UseNpgsql(connectionString);
            }
            else
            {
                builder.UseSqlite(connectionString);
            }
            // Migrations are written by hand, without a model snapshot, so EF always sees "pending
            // model changes"; a test compares the migrated schema with the model instead.
            builder.ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning));
        });
        return services;
    }

    public static string ConnectionString(GuanceOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.Database.ConnectionString))
        {
            return options.Database.ConnectionString;
        }
        if (options.Database.Provider == DatabaseProvider.Postgres)
        {
            throw new InvalidOperationException("Guance:Database:ConnectionString is required when Guance:Database:Provider is Postgres.");
        }
        return new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(Path.GetFullPath(options.DataDirectory), SqliteFileName),
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    /// <summary>Creates the data directory, applies the migrations (under EF's migration lock) and sets WAL mode.</summary>
    public static async Task MigrateAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var options = services.GetRequiredService<IOptions<GuanceOptions>>().Value;
        if (options.Database.Provider == DatabaseProvider.Sqlite)
        {
            var file = new SqliteConnectionStringBuilder(ConnectionString(options)).DataSource;
            var directory = Path.GetDirectoryName(Path.GetFullPath(file));
            if (!string.IsNullOrEmpty(directory))
            {
                Directory.CreateDirectory(directory);
            }
        }
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BillingDbContext>();
        if (db.Database.IsSqlite())
        {
            // WAL lets readers run beside the single writer; the setting stays with the file.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }
        await db.Database.MigrateAsync(cancellationToken);
    }
}
