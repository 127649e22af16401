using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Guance.Billing.Data;

/// <summary>
/// Recognizes the database errors that the domain turns into answers, on either engine. EF wraps
/// the engine's exception (in a <see cref="DbUpdateException"/> for SaveChanges); bulk statements
/// throw it bare; both are looked through.
/// </summary>
public static class DbErrors
{
    // SQLite result codes (https://sqlite.org/rescode.html).
    private const int SqliteConstraint = 19;
    private const int SqliteConstraintPrimaryKey = 1555;
    private const int SqliteConstraintUnique = 2067;
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;

    /// <summary>A unique index or primary key refused a second row with the same key.</summary>
    public static bool IsUniqueViolation(Exception exception) => Engine(exception) switch
    {
        SqliteException sqlite => sqlite.SqliteErrorCode == SqliteConstraint && sqlite.SqliteExtendedErrorCode is SqliteConstraintUnique or SqliteConstraintPrimaryKey,
        PostgresException postgres => postgres.SqlState == PostgresErrorCodes.UniqueViolation,
        _ => false,
    };

    /// <summary>
    /// A write lost to a concurrent one: an optimistic-concurrency miss, a serialization failure or
    /// deadlock (PostgreSQL), a lock not granted in time (PostgreSQL's lock_timeout, SQLite's busy
    /// timeout or a stale WAL snapshot), a prepared statement whose result another host's migration
    /// changed (PostgreSQL; Npgsql prepares it again next time). Retrying the whole request may succeed.
    /// </summary>
    public static bool IsConcurrencyConflict(Exception exception) =>
        exception is DbUpdateConcurrencyException
        || Engine(exception) switch
        {
            PostgresException postgres => postgres.SqlState is PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected
                or PostgresErrorCodes.LockNotAvailable
                || (postgres.SqlState == PostgresErrorCodes.FeatureNotSupported && postgres.Routine == "RevalidateCachedQuery"),
            SqliteException sqlite => sqlite.SqliteErrorCode is SqliteBusy or SqliteLocked,
            _ => false,
        };

    /// <summary>
    /// The database cannot be reached or cannot serve now (connection refused or lost, timeout,
    /// server shutting down, too many connections): nothing was decided, and the caller may retry.
    /// </summary>
    public static bool IsUnavailable(Exception exception) =>
        !IsConcurrencyConflict(exception) && Engine(exception) is NpgsqlException { IsTransient: true };

    /// <summary>The engine's own exception inside whatever EF wrapped it in.</summary>
    private static DbException? Engine(Exception exception)
    {
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            if (current is DbException db)
            {
                return db;
            }
        }
        return null;
    }
}
