using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Guance.Billing.Data;

/// <summary>Recognizes the database errors that the domain turns into answers, on either engine.</summary>
public static class DbErrors
{
    public static bool IsUniqueViolation(Exception exception) => Inner(exception) switch
    {
        SqliteException sqlite => sqlite.SqliteErrorCode == 19 && sqlite.SqliteExtendedErrorCode is 2067 or 1555,
        PostgresException postgres => postgres.SqlState == PostgresErrorCodes.UniqueViolation,
        _ => false,
    };

    /// <summary>A write lost to a concurrent one: an optimistic-concurrency miss or a serialization failure.</summary>
    public static bool IsConcurrencyConflict(Exception exception) =>
        exception is DbUpdateConcurrencyException
        || Inner(exception) is PostgresException { SqlState: PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected };

    private static Exception Inner(Exception exception) => exception is DbUpdateException { InnerException: { } inner } ? inner : exception;
}
