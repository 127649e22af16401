using Grpc.Core;
using Grpc.Core.Testing;
using Guance.Billing.Host.Infrastructure;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace Guance.Billing.IntegrationTests.Hosting;

/// <summary>
/// An agent whose connection breaks mid-stream is an everyday event (it reconnects and resumes), not a
/// failure of the host: the call ends CANCELLED and nothing is logged as an error, even when Kestrel's
/// failed read arrives before the call's token is cancelled. A failure of the host's own stays an error.
/// </summary>
public sealed class ConnectionLossTests
{
    private static ServerCallContext Call() => TestServerCallContext.Create(
        "/guance.billing.v1.UsageService/StreamUsage", "localhost", DateTime.UtcNow.AddMinutes(1), new Metadata(),
        CancellationToken.None, "ipv4:127.0.0.1:40000", null, null, _ => Task.CompletedTask, () => null, _ => { });

    private static Task Stream(ErrorInterceptor interceptor, Exception thrown) =>
        interceptor.DuplexStreamingServerHandler<string, string>(null!, null!, Call(), (_, _, _) => throw thrown);

    [Fact]
    public async Task A_connection_that_faults_under_a_stream_ends_it_cancelled_without_an_error_logged()
    {
        var logger = new RecordingLogger();
        var faulted = new IOException("The request stream was aborted.", new ConnectionAbortedException("The HTTP/2 connection faulted."));

        var error = await Assert.ThrowsAsync<RpcException>(() => Stream(new ErrorInterceptor(logger), faulted));

        Assert.Equal(StatusCode.Cancelled, error.StatusCode);
        Assert.DoesNotContain(logger.Levels, level => level >= LogLevel.Warning);
    }

    [Fact]
    public async Task A_stream_that_the_client_resets_ends_cancelled_without_an_error_logged()
    {
        var logger = new RecordingLogger();
        // What Kestrel's request reader throws after the client's RST_STREAM, before the call's token is
        // cancelled. Its Source depends on where the request pipe rethrows it, so only where it came
        // from (the request stream) tells it apart.
        var reset = new IOException("The client reset the request stream.");

        var error = await Assert.ThrowsAsync<RpcException>(() => new ErrorInterceptor(logger).DuplexStreamingServerHandler<string, string>(
            new FailingRequestStream(reset), null!, Call(), async (requests, _, call) => await requests.MoveNext(call.CancellationToken)));

        Assert.Equal(StatusCode.Cancelled, error.StatusCode);
        Assert.DoesNotContain(logger.Levels, level => level >= LogLevel.Warning);
    }

    [Fact]
    public async Task An_io_failure_of_the_host_itself_is_still_an_internal_error()
    {
        var logger = new RecordingLogger();

        var error = await Assert.ThrowsAsync<RpcException>(() => Stream(new ErrorInterceptor(logger), new IOException("No space left on device")));

        Assert.Equal(StatusCode.Internal, error.StatusCode);
        Assert.Contains(LogLevel.Error, logger.Levels);
        Assert.DoesNotContain("space", error.Status.Detail);
    }

    private sealed class FailingRequestStream(Exception failure) : IAsyncStreamReader<string>
    {
        public string Current => throw new InvalidOperationException("nothing was read");

        public Task<bool> MoveNext(CancellationToken cancellationToken) => Task.FromException<bool>(failure);
    }

    private sealed class RecordingLogger : ILogger<ErrorInterceptor>
    {
        public List<LogLevel> Levels { get; } = new();

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Levels.Add(logLevel);
    }
}
