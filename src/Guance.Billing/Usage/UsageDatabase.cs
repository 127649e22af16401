using System.Data;
using System.Data.Common;
using Guance.Billing.Common;
using Guance.Billing.Data;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Guance.Billing.Usage;

/// <summary>
/// Plain ADO.NET connections for the hot paths of ingestion (no change tracking). The reads are
/// written once for both engines; the writer's statements are one <see cref="IUsageStore"/> per engine.
/// </summary>
public sealed class UsageDatabase(IOptions<GuanceOptions> guance, IOptions<UsageOptions> usage, IServiceProvider services)
{
    // The host's pool on PostgreSQL (DatabaseSetup.AddBillingDatabase); not made at all on SQLite.
    private readonly Lazy<NpgsqlDataSource> _postgres = new(services.GetRequiredService<NpgsqlDataSource>);

    public bool IsPostgres => guance.Value.Database.Provider == DatabaseProvider.Postgres;

    /// <summary>A pooled connection for short reads.</summary>
    public async Task<DbConnection> OpenReaderAsync(CancellationToken cancellationToken)
    {
        var connection = Create();
        await connection.OpenAsync(cancellationToken);
        SqliteConnectionSetup.Apply(connection);
        return connection;
    }

    /// <summary>The writer's own long-lived connection, with the durability chosen in <see cref="UsageOptions.SqliteSynchronous"/>.</summary>
    public DbConnection OpenWriter()
    {
        var connection = Create();
        connection.Open();
        SqliteConnectionSetup.Apply(connection);
        if (!IsPostgres)
        {
            var synchronous = usage.Value.SqliteSynchronous.Trim().ToUpperInvariant();
            if (synchronous is not ("FULL" or "NORMAL" or "EXTRA"))
            {
                throw new InvalidOperationException("Guance:Usage:SqliteSynchronous must be FULL, EXTRA or NORMAL.");
            }
            using var pragma = connection.CreateCommand();
            pragma.CommandText = $"PRAGMA synchronous={synchronous};";
            pragma.ExecuteNonQuery();
        }
        return connection;
    }

    /// <summary>The writer's statements on its connection: row at a time on SQLite, set-based on PostgreSQL.</summary>
    public static IUsageStore CreateStore(DbConnection connection) =>
        connection is NpgsqlConnection postgres ? new PostgresUsageStore(postgres) : new SqliteUsageStore(connection);

    /// <summary>A stable 64-bit key of a workspace id for PostgreSQL advisory locks (FNV-1a).</summary>
    public static long LockKey(string workspaceId)
    {
        ulong hash = 14695981039346656037UL;
        foreach (var c in workspaceId)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }
        return unchecked((long)hash);
    }

    private DbConnection Create() =>
        IsPostgres
            ? _postgres.Value.CreateConnection()
            : new SqliteConnection(DatabaseSetup.ConnectionString(guance.Value));
}
