using Google.Rpc;
using Grpc.Core;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.V1;
using static Guance.Billing.IntegrationTests.Usage.UsageTestKit;

namespace Guance.Billing.IntegrationTests.Usage;

/// <summary>
/// What a StreamUsage call costs before it is opened: it is refused at once without a collector token,
/// ends when no open comes in time, and is bounded per collector token and per host.
/// </summary>
public sealed class UsageStreamAdmissionTests(BillingHost host) : IClassFixture<BillingHost>
{
    [Fact]
    public async Task A_stream_without_a_collector_token_is_refused_before_it_sends_anything()
    {
        var workspace = await host.CreateWorkspaceAsync();
        await EndsAtOnceAsync(host.Api(), StatusCode.Unauthenticated, "TOKEN_MISSING");
        await EndsAtOnceAsync(workspace.Owner.Api, StatusCode.PermissionDenied, "COLLECTOR_TOKEN_REQUIRED");
        await EndsAtOnceAsync(host.Operator, StatusCode.PermissionDenied, "COLLECTOR_TOKEN_REQUIRED");
    }

    [Fact]
    public async Task A_stream_that_sends_no_open_in_time_ends_with_OPEN_TIMEOUT_and_frees_its_place()
    {
        using var strict = new BillingHost();
        strict.Settings["Guance:Usage:MaxStreamsPerToken"] = "1";
        var workspace = await strict.CreateWorkspaceAsync();
        var collector = await strict.CollectorAsync(workspace);

        using var idle = collector.Usage.StreamUsage();
        var ending = idle.ResponseStream.MoveNext();
        // The host's clock decides (OpenTimeout, 10 s by default): moved until the call ends, however late its timer started.
        for (int step = 0; step < 200 && !ending.IsCompleted; step++)
        {
            strict.Clock.Advance(TimeSpan.FromSeconds(10));
            await Task.WhenAny(ending, Task.Delay(50));
        }
        var error = await Assert.ThrowsAsync<RpcException>(() => ending);
        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        var info = error.GetRpcStatus()!.GetDetail<ErrorInfo>();
        Assert.Equal("OPEN_TIMEOUT", info.Reason);
        Assert.Equal("10", info.Metadata["open_timeout_seconds"]);

        // The token's only place is free again.
        var (stream, opened) = await UsageStream.OpenAsync(collector, "host-1");
        await using (stream)
        {
            Assert.Equal(0, opened.LastCommittedSequence);
        }
    }

    [Fact]
    public async Task Streams_are_bounded_per_collector_token_and_per_host()
    {
        using var small = new BillingHost();
        small.Settings["Guance:Usage:MaxStreamsPerToken"] = "2";
        small.Settings["Guance:Usage:MaxStreams"] = "3";
        var workspace = await small.CreateWorkspaceAsync();
        var first = await small.CollectorAsync(workspace, "fleet-a");
        var second = await small.CollectorAsync(workspace, "fleet-b");
        var third = await small.CollectorAsync(workspace, "fleet-c");

        // The bound is the token's, whatever collector ids its streams open with.
        var (a1, _) = await UsageStream.OpenAsync(first, "a-1");
        var (a2, _) = await UsageStream.OpenAsync(first, "a-2");
        await EndsAtOnceAsync(first, StatusCode.ResourceExhausted, "TOO_MANY_TOKEN_STREAMS");

        var (b1, _) = await UsageStream.OpenAsync(second, "b-1");
        await EndsAtOnceAsync(third, StatusCode.ResourceExhausted, "HOST_STREAMS_EXHAUSTED");

        // A stream that ends frees its place on the host and of its token.
        await a1.CompleteAsync();
        Assert.False(await a1.TryNextAsync());
        await a1.DisposeAsync();
        var (a3, _) = await UsageStream.OpenAsync(first, "a-3");
        await using (a3)
        {
            await a3.SendAsync(1, Record(BillingItem.Logs, 2, small.Clock.GetUtcNow()));
            Assert.Equal(1, (await a3.AckAsync()).Sequence);
        }
        await a2.DisposeAsync();
        await b1.DisposeAsync();
    }

    /// <summary>A call that sends nothing ends with this error (instead of waiting for its first message).</summary>
    private static async Task EndsAtOnceAsync(Api caller, StatusCode code, string reason)
    {
        using var call = caller.Usage.StreamUsage();
        using var timeout = new CancellationTokenSource(15_000);
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(timeout.Token));
        Assert.True(code == error.StatusCode, $"Expected {code} but got {error.StatusCode}: {error.Status.Detail}");
        Assert.Equal(reason, error.GetRpcStatus()!.GetDetail<ErrorInfo>()!.Reason);
    }
}
