using Guance.Billing.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Guance.Billing.Data;

/// <summary>Chooses the engine (SQLite by default, PostgreSQL for production) and migrates at start.</summary>
public static class DatabaseSetup
{
    public const string SqliteFileName = "guance-billing.db";

    /// <summary>Registers the context; the options are read when it is first made, after all configuration is in.</summary>
    public static IServiceCollection AddBillingDatabase(this IServiceCollection services)
    {
        services.AddDbContext<BillingDbContext>((provider, builder) =>
            Configure(builder, provider.GetRequiredService<IOptions<GuanceOptions>>().Value));
        return services;
    }

    /// <summary>Points a context at the configured engine; the host and the schema tests share it.</summary>
    public static void Configure(DbContextOptionsBuilder builder, GuanceOptions options)
    {
        var connectionString = ConnectionString(options);
        if (options.Database.Provider == DatabaseProvider.Postgres)
        {
            builder.UseNpgsql(connectionString)
                .ReplaceService<IMigrationsSqlGenerator, PostgresMigrationsSqlGenerator>();
        }
        else
        {
            builder.UseSqlite(connectionString);
        }
        // Migrations are written by hand, without a model snapshot, so EF always sees "pending
        // model changes"; a test compares the migrated schema with the model instead.
        builder.ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning));
    }

    public static string ConnectionString(GuanceOptions options)
    {
        if (options.Database.Provider == DatabaseProvider.Postgres)
        {
            if (string.IsNullOrWhiteSpace(options.Database.ConnectionString))
            {
                throw new InvalidOperationException("Guance:Database:ConnectionString is required when Guance:Database:Provider is Postgres.");
            }
            // Name the connections, so that pg_stat_activity tells which belong to the billing host.
            var postgres = new NpgsqlConnectionStringBuilder(options.Database.ConnectionString);
            postgres.ApplicationName ??= "guance-billing";
            return postgres.ToString();
        }
        if (!string.IsNullOrWhiteSpace(options.Database.ConnectionString))
        {
            return options.Database.ConnectionString;
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
