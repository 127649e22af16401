using System.Net.Sockets;
using Google.Rpc;
using Grpc.Core;
using Grpc.Core.Testing;
using Guance.Billing.Host.Infrastructure;
using Guance.Billing.IntegrationTests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Guance.Billing.IntegrationTests.Data;

/// <summary>
/// What a caller sees when the database fails under a call, on either engine: a status it can act
/// on (retry later, retry now) or INTERNAL with a correlation id; never the engine's message.
/// </summary>
public sealed class DatabaseErrorMappingTests
{
    private readonly ErrorInterceptor _interceptor = new(NullLogger<ErrorInterceptor>.Instance);

    private static ServerCallContext Call() => TestServerCallContext.Create(
        "/guance.billing.v1.WorkspaceService/GetWorkspace", "localhost", DateTime.UtcNow.AddMinutes(1), new Metadata(),
        CancellationToken.None, "ipv4:127.0.0.1:40000", null, null, _ => Task.CompletedTask, () => null, _ => { });

    private Task<RpcException> Failing(StatusCode code, Exception thrown, string reason) =>
        RpcAssert.Fails(code, () => _interceptor.UnaryServerHandler<string, string>("request", Call(), (_, _) => throw thrown), reason);

    [Fact]
    public async Task An_unreachable_database_answers_unavailable_with_a_retry_delay()
    {
        var error = await Failing(StatusCode.Unavailable,
            new NpgsqlException("Failed to connect to 10.1.2.3:5432", new SocketException((int)SocketError.ConnectionRefused)), "DATABASE_UNAVAILABLE");

        Assert.NotNull(error.GetRpcStatus()!.GetDetail<RetryInfo>());
        Assert.DoesNotContain("10.1.2.3", error.Status.Detail);
    }

    [Fact]
    public async Task A_server_shutting_down_answers_unavailable()
    {
        await Failing(StatusCode.Unavailable, new PostgresException("terminating connection due to administrator command", "FATAL", "FATAL", PostgresErrorCodes.AdminShutdown), "DATABASE_UNAVAILABLE");
    }

    [Fact]
    public async Task A_write_lost_to_a_concurrent_one_answers_aborted_on_either_engine()
    {
        await Failing(StatusCode.Aborted, new DbUpdateException("saving", new PostgresException("could not serialize access", "ERROR", "ERROR", PostgresErrorCodes.SerializationFailure)), "CONCURRENT_UPDATE");
        await Failing(StatusCode.Aborted, new PostgresException("deadlock detected", "ERROR", "ERROR", PostgresErrorCodes.DeadlockDetected), "CONCURRENT_UPDATE");
        await Failing(StatusCode.Aborted, new DbUpdateException("saving", new SqliteException("database is locked", 5)), "CONCURRENT_UPDATE");
    }

    [Fact]
    public async Task Any_other_database_error_is_internal_and_shows_nothing_of_the_sql()
    {
        var error = await Failing(StatusCode.Internal,
            new PostgresException("syntax error at or near \"SELEC\"", "ERROR", "ERROR", PostgresErrorCodes.SyntaxError), "INTERNAL");

        Assert.DoesNotContain("SELEC", error.Status.Detail);
        Assert.Contains("correlation id", error.Status.Detail);
    }
}
