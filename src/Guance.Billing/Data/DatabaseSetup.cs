using Guance.Billing.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Guance.Billing.Data;

/// <summary>Chooses the engine (SQLite by default, PostgreSQL for production) and migrates at start.</summary>
public static class DatabaseSetup
{
    public const string SqliteFileName = "guance-billing.db";

    /// <summary>How many statements a PostgreSQL connection keeps prepared unless the connection string says otherwise.</summary>
    public const int AutoPreparedStatements = 64;

    /// <summary>
    /// Registers the context and, for PostgreSQL, the host's one <see cref="NpgsqlDataSource"/> (its
    /// connection pool), which EF Core and every plain connection (usage writer and readers, the
    /// migration gate) share. The options are read when they are first needed, after all configuration is in.
    /// </summary>
    public static IServiceCollection AddBillingDatabase(this IServiceCollection services)
    {
        services.TryAddSingleton(provider => NpgsqlDataSource.Create(ConnectionString(provider.GetRequiredService<IOptions<GuanceOptions>>().Value)));
        // Pooled contexts on options built once: a request scope rents a context that EF has reset (no tracked
        // entities, connection closed, transaction and the facade's settings back to the options'), instead of
        // building one with its internal services; that set-up was the largest item inside a dashboard read
        // (docs/performance.md, "Dashboard reads"). The context must keep no state of its own (DatabaseContextPoolTests).
        services.AddDbContextPool<BillingDbContext>((provider, builder) =>
        {
            var options = provider.GetRequiredService<IOptions<GuanceOptions>>().Value;
            Configure(builder, options, options.Database.Provider == DatabaseProvider.Postgres ? provider.GetRequiredService<NpgsqlDataSource>() : null);
        });
        return services;
    }

    /// <summary>
    /// Points a context at the configured engine; the host and the schema tests share it. On PostgreSQL
    /// the host passes its <paramref name="dataSource"/>; without one (design-time tools, a test's
    /// context) the context connects by the connection string. The engine's compiled model
    /// (<see cref="EngineCompiledModel"/>) saves building the model at start; the design-time tools pass
    /// <paramref name="compiledModel"/> false, since they make it.
    /// </summary>
    public static void Configure(DbContextOptionsBuilder builder, GuanceOptions options, NpgsqlDataSource? dataSource = null, bool compiledModel = true)
    {
        var connectionString = ConnectionString(options);
        if (options.Database.Provider == DatabaseProvider.Postgres)
        {
            (dataSource is null ? builder.UseNpgsql(connectionString) : builder.UseNpgsql(dataSource))
                .ReplaceService<IMigrationsSqlGenerator, PostgresMigrationsSqlGenerator>();
        }
        else
        {
            builder.UseSqlite(connectionString).AddInterceptors(SqliteConnectionSetup.Instance);
            // A migration that rebuilds a table turns SQLite's foreign keys off and on around its transaction, which EF
            // reports as a warning on every new database. The setting belongs to the connection and is not stored, and
            // the rebuild itself is transactional, so there is nothing for an operator to do about it.
            builder.ConfigureWarnings(w => w.Ignore(RelationalEventId.NonTransactionalMigrationOperationWarning));
        }
        // The hand-written migrations, then the engine's generated ones and its snapshot. EF's
        // PendingModelChangesWarning stays an error: a model change without a migration fails at start.
        builder.ReplaceService<IMigrationsAssembly, EngineMigrationsAssembly>();
        if (compiledModel && EngineCompiledModel.For(options.Database.Provider) is { } model)
        {
            builder.UseModel(model);
        }
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
            // The server keeps the plans of the host's frequent statements (per connection, across the pool's
            // reuse), so a read or an upsert is not parsed and planned again each time: under load that halved the
            // dashboard reads' tail (docs/performance.md, "Prepared statements on PostgreSQL"). An operator who
            // names the setting (0 behind a pooler that cannot keep prepared statements) keeps their value.
            if (!Names(options.Database.ConnectionString, nameof(NpgsqlConnectionStringBuilder.MaxAutoPrepare)))
            {
                postgres.MaxAutoPrepare = AutoPreparedStatements;
            }
            if (!Names(options.Database.ConnectionString, nameof(NpgsqlConnectionStringBuilder.AutoPrepareMinUsages)))
            {
                postgres.AutoPrepareMinUsages = 2;
            }
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

    /// <summary>Whether a connection string sets a keyword, however it spaces or cases it.</summary>
    private static bool Names(string connectionString, string keyword)
    {
        static string Bare(string key) => key.Replace(" ", "", StringComparison.Ordinal);
        return new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString }.Keys
            .Cast<string>().Any(key => string.Equals(Bare(key), Bare(keyword), StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>
    /// Creates the database (the data directory and file on SQLite, the database on PostgreSQL) when
    /// missing, sets WAL mode on SQLite and applies the pending migrations. Several hosts may start
    /// at once on one database: EF's migration lock (on PostgreSQL an exclusive lock on the history
    /// table, on SQLite a lock row) lets one apply the migrations while the others wait and then
    /// find nothing left to do. A database that has every migration of the assembly in its history is
    /// left alone: EF's <c>Migrate</c> would build the design-time model to check it against the
    /// snapshot (0.6 s of CPU at every start, docs/performance.md "Start-up"); that check stays with
    /// <c>Migrate</c> when something is pending, and with <c>MigrationToolingTests</c>.
    /// <paramref name="phaseDone"/> hears when the model is built and when the migrations are checked
    /// (the host's start-up phases). Returns whether migrations were pending (and are now applied).
    /// </summary>
    public static async Task<bool> MigrateAsync(IServiceProvider services, CancellationToken cancellationToken, Action<string>? phaseDone = null)
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
        _ = db.Model;
        phaseDone?.Invoke("EF Core model");
        if (db.Database.IsSqlite())
        {
            // WAL lets readers run beside the single writer; the setting stays with the file.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }
        else
        {
            await CreatePostgresDatabaseAsync(db, cancellationToken);
        }
        if (!(await db.Database.GetPendingMigrationsAsync(cancellationToken)).Any())
        {
            phaseDone?.Invoke("migrations checked, none pending");
            return false;
        }
        if (db.Database.IsSqlite())
        {
            await db.Database.MigrateAsync(cancellationToken);
        }
        else
        {
            await MigratePostgresAsync(db, services.GetRequiredService<NpgsqlDataSource>(), cancellationToken);
        }
        phaseDone?.Invoke("migrations applied");
        return true;
    }

    /// <summary>
    /// EF's lock on PostgreSQL (a table lock) ends with the transaction of each migration, so with
    /// several migrations pending a waiting host could start on the next one while the first host
    /// goes on to it as well (seen once a second migration existed: "relation already exists"). A
    /// session-level advisory lock around the whole run makes the other hosts wait until all is applied.
    /// </summary>
    private static async Task MigratePostgresAsync(BillingDbContext db, NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        const long MigrationLockKey = 0x6775616e63650001; // "guance" + 1
        await using var gate = await dataSource.OpenConnectionAsync(cancellationToken);
        // Asked again every 250 ms rather than waited for in one statement: a waiting statement holds a snapshot, and a
        // migration's CREATE INDEX CONCURRENTLY waits until every snapshot has ended, so it would wait for the waiting hosts.
        await using (var acquire = new NpgsqlCommand($"SELECT pg_try_advisory_lock({MigrationLockKey})", gate))
        {
            while (await acquire.ExecuteScalarAsync(cancellationToken) is not true)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
            }
        }
        try
        {
            // No time limit: an index built CONCURRENTLY over a big table (and its waits for older snapshots) takes longer
            // than a command's 30 s, and a cancelled build would start again, and fail again, at every start.
            db.Database.SetCommandTimeout(0);
            await db.Database.MigrateAsync(cancellationToken);
        }
        finally
        {
            await using var release = new NpgsqlCommand($"SELECT pg_advisory_unlock({MigrationLockKey})", gate);
            await release.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    /// <summary>
    /// Creates the PostgreSQL database when it does not exist yet. EF would create it as well, but
    /// outside its migration lock (there is nothing to lock before the database exists), so of hosts
    /// starting together on a new database the losers of that race would fail to start (the
    /// migration lock test saw it). Here they find the database made and go on.
    /// </summary>
    private static async Task CreatePostgresDatabaseAsync(BillingDbContext db, CancellationToken cancellationToken)
    {
        var creator = db.GetService<IRelationalDatabaseCreator>();
        if (await creator.ExistsAsync(cancellationToken))
        {
            return;
        }
        try
        {
            await creator.CreateAsync(cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.DuplicateDatabase or PostgresErrorCodes.UniqueViolation)
        {
            // Another host created it a moment ago.
        }
    }
}
