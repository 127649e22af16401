using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;
using SQLitePCL;

namespace Guance.Billing.Data;

/// <summary>
/// Lets SQLite itself wait for another connection's write lock (<c>sqlite3_busy_timeout</c>: it tries again
/// after 1, 2, 5, 10 and up to 100 ms), for as long as the connection's default timeout. Microsoft.Data.Sqlite
/// does not set it and tries a busy statement again only after sleeping 150 ms, so a write that met another
/// connection's transaction waited 150 ms however short that transaction was: under a fleet the usage writer
/// commits all the time, and such waits were the usage writer's slowest commits and its agents' slowest acks
/// (docs/performance.md). Set on every SQLite connection: EF Core's through this interceptor, the usage
/// writer's and readers' by <see cref="Apply"/>.
/// </summary>
internal sealed class SqliteLockWait : DbConnectionInterceptor
{
    public static readonly SqliteLockWait Instance = new();

    public static void Apply(DbConnection connection)
    {
        if (connection is SqliteConnection { Handle: { } handle } sqlite)
        {
            SqliteException.ThrowExceptionForRC(raw.sqlite3_busy_timeout(handle, sqlite.DefaultTimeout * 1000), handle);
        }
    }

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }
}
