using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;
using SQLitePCL;

namespace Guance.Billing.Data;

/// <summary>
/// What every SQLite connection of the service sets when it opens: EF Core's through this interceptor, the usage
/// writer's and readers' by <see cref="Apply"/>.
/// <list type="bullet">
/// <item>It lets SQLite itself wait for another connection's write lock (<c>sqlite3_busy_timeout</c>: it tries again
/// after 1, 2, 5, 10 and up to 100 ms), for as long as the connection's default timeout. Microsoft.Data.Sqlite does
/// not set it and tries a busy statement again only after sleeping 150 ms, so a write that met another connection's
/// transaction waited 150 ms however short that transaction was: under a fleet the usage writer commits all the
/// time, and such waits were the usage writer's slowest commits and its agents' slowest acks.</item>
/// <item>It copies the write-ahead log back into the database file once the log holds <see cref="CheckpointPages"/>
/// pages, not SQLite's 1,000. A commit of charges spread over many accounts writes some thousand pages, so at 1,000
/// every such commit also copied its pages back; with more between checkpoints, a page written by many commits
/// (a wallet's, a balance's) is copied once for all of them.</item>
/// <item>It truncates the write-ahead log back to <see cref="JournalSizeLimitBytes"/> after a checkpoint that emptied
/// it: SQLite otherwise keeps the file at the largest size it ever reached (a long read holds checkpoints back, and
/// the log grows meanwhile).</item>
/// </list>
/// docs/performance.md has the figures of the first two.
/// </summary>
internal sealed class SqliteConnectionSetup : DbConnectionInterceptor
{
    /// <summary>Pages of the write-ahead log (4 KiB each) that start a checkpoint: the log file typically grows to about 40 MiB.</summary>
    public const int CheckpointPages = 10_000;

    /// <summary>The size the write-ahead log file is cut back to, when larger, once a checkpoint emptied it: 64 MiB.</summary>
    public const long JournalSizeLimitBytes = 64L * 1024 * 1024;

    private static readonly string JournalSizeLimit = "PRAGMA journal_size_limit = " + JournalSizeLimitBytes.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static readonly SqliteConnectionSetup Instance = new();

    public static void Apply(DbConnection connection)
    {
        if (connection is SqliteConnection { Handle: { } handle } sqlite)
        {
            SqliteException.ThrowExceptionForRC(raw.sqlite3_busy_timeout(handle, sqlite.DefaultTimeout * 1000), handle);
            SqliteException.ThrowExceptionForRC(raw.sqlite3_wal_autocheckpoint(handle, CheckpointPages), handle);
            SqliteException.ThrowExceptionForRC(raw.sqlite3_exec(handle, JournalSizeLimit), handle);
        }
    }

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }
}
