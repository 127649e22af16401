using System.Net.Sockets;
using Guance.Billing.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Guance.Billing.Tests.Data;

/// <summary>
/// The engine errors that become answers: the same situation must be recognized on SQLite and on
/// PostgreSQL, whether EF wrapped the engine's exception (SaveChanges) or not (bulk statements).
/// </summary>
public sealed class DbErrorsTests
{
    private static PostgresException Postgres(string sqlState) => new("message", "ERROR", "ERROR", sqlState);

    /// <summary>PostgreSQL's 0A000 as the server reports it, with the routine that raised it.</summary>
    private static PostgresException InvalidatedPlan(string routine) => new(
        "cached plan must not change result type", "ERROR", "ERROR", PostgresErrorCodes.FeatureNotSupported, routine: routine);

    private static DbUpdateException Saving(Exception inner) => new("An error occurred while saving the entity changes.", inner);

    public static TheoryData<string, Exception> UniqueViolations => new()
    {
        { "PostgreSQL 23505 from SaveChanges", Saving(Postgres(PostgresErrorCodes.UniqueViolation)) },
        { "PostgreSQL 23505 from a bulk statement", Postgres(PostgresErrorCodes.UniqueViolation) },
        { "SQLite UNIQUE constraint", Saving(new SqliteException("UNIQUE constraint failed: users.email", 19, 2067)) },
        { "SQLite PRIMARY KEY constraint", Saving(new SqliteException("UNIQUE constraint failed: users.id", 19, 1555)) },
    };

    [Theory]
    [MemberData(nameof(UniqueViolations))]
    public void A_duplicate_key_is_a_unique_violation_on_either_engine(string situation, Exception error)
    {
        Assert.True(DbErrors.IsUniqueViolation(error), situation);
        Assert.False(DbErrors.IsConcurrencyConflict(error), situation);
        Assert.False(DbErrors.IsUnavailable(error), situation);
    }

    [Fact]
    public void Other_constraint_failures_are_not_unique_violations()
    {
        Assert.False(DbErrors.IsUniqueViolation(Saving(Postgres(PostgresErrorCodes.ForeignKeyViolation))));
        Assert.False(DbErrors.IsUniqueViolation(Saving(Postgres(PostgresErrorCodes.NotNullViolation))));
        Assert.False(DbErrors.IsUniqueViolation(Saving(new SqliteException("NOT NULL constraint failed: users.email", 19, 1299))));
        Assert.False(DbErrors.IsUniqueViolation(Saving(new SqliteException("FOREIGN KEY constraint failed", 19, 787))));
        Assert.False(DbErrors.IsUniqueViolation(new InvalidOperationException("not a database error")));
    }

    public static TheoryData<string, Exception> ConcurrencyConflicts => new()
    {
        { "optimistic concurrency miss", new DbUpdateConcurrencyException("The row changed.") },
        { "PostgreSQL serialization failure", Saving(Postgres(PostgresErrorCodes.SerializationFailure)) },
        { "PostgreSQL deadlock", Postgres(PostgresErrorCodes.DeadlockDetected) },
        { "PostgreSQL lock timeout", Postgres(PostgresErrorCodes.LockNotAvailable) },
        { "PostgreSQL prepared statement whose result a migration changed", InvalidatedPlan("RevalidateCachedQuery") },
        { "SQLite busy", Saving(new SqliteException("database is locked", 5)) },
        { "SQLite stale WAL snapshot", Saving(new SqliteException("database is locked", 5, 517)) },
        { "SQLite table locked", new SqliteException("database table is locked", 6) },
    };

    [Theory]
    [MemberData(nameof(ConcurrencyConflicts))]
    public void A_write_lost_to_a_concurrent_one_is_a_conflict_on_either_engine(string situation, Exception error)
    {
        Assert.True(DbErrors.IsConcurrencyConflict(error), situation);
        Assert.False(DbErrors.IsUnavailable(error), situation);
        Assert.False(DbErrors.IsUniqueViolation(error), situation);
    }

    public static TheoryData<string, Exception> Outages => new()
    {
        { "connection refused", new NpgsqlException("Failed to connect to 127.0.0.1:5432", new SocketException((int)SocketError.ConnectionRefused)) },
        { "command timeout", new NpgsqlException("Exception while reading from stream", new TimeoutException()) },
        { "server shutting down", Postgres(PostgresErrorCodes.AdminShutdown) },
        { "too many connections", Saving(Postgres(PostgresErrorCodes.TooManyConnections)) },
        { "server starting up", Postgres(PostgresErrorCodes.CannotConnectNow) },
    };

    [Theory]
    [MemberData(nameof(Outages))]
    public void An_unreachable_or_overloaded_server_is_unavailable(string situation, Exception error)
    {
        Assert.True(DbErrors.IsUnavailable(error), situation);
        Assert.False(DbErrors.IsUniqueViolation(error), situation);
    }

    [Fact]
    public void Another_unsupported_feature_is_no_conflict()
    {
        Assert.False(DbErrors.IsConcurrencyConflict(InvalidatedPlan("transformAggregateCall")));
        Assert.False(DbErrors.IsConcurrencyConflict(Postgres(PostgresErrorCodes.FeatureNotSupported)));
    }

    [Fact]
    public void Errors_of_the_request_itself_are_not_outages()
    {
        Assert.False(DbErrors.IsUnavailable(Postgres(PostgresErrorCodes.SyntaxError)));
        Assert.False(DbErrors.IsUnavailable(Saving(Postgres(PostgresErrorCodes.UniqueViolation))));
        Assert.False(DbErrors.IsUnavailable(Saving(new SqliteException("disk I/O error", 10))));
        Assert.False(DbErrors.IsUnavailable(new InvalidOperationException("not a database error")));
    }
}
