using Grpc.Core;
using Grpc.Net.Client;
using Guance.Billing.Client.Usage;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.V1;

namespace Guance.Billing.IntegrationTests.Usage;

/// <summary>
/// Kestrel lets one HTTP/2 connection carry <c>Kestrel:Limits:Http2:MaxStreamsPerConnection</c> streams at once and
/// queues one more without a word. The host reads the setting, and the uploader reports a stream that waits
/// for a slot (StreamWaiting); the stream proceeds when another one on the connection ends.
/// </summary>
public sealed class UsageStreamSlotTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_third_stream_on_a_connection_limited_to_two_reports_that_it_waits_and_proceeds_when_a_slot_frees()
    {
        using var database = TestDatabase.Create();
        var options = new HostProcessOptions { Database = database };
        options.Settings["Kestrel:Limits:Http2:MaxStreamsPerConnection"] = "2";
        await using var host = await HostProcess.StartAsync(options);
        // One HTTP/2 connection for every call, as a proxy in front of many agents has.
        using var connection = GrpcChannel.ForAddress(host.Address, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = false },
        });
        var (_, collector) = await RestartableHost.CommercialWorkspaceAsync(connection);

        using var stopFirst = new CancellationTokenSource(Patience);
        using var stopOthers = new CancellationTokenSource(Patience);
        var (first, firstOpened, _) = Agent(collector, "slot-1");
        var (second, secondOpened, _) = Agent(collector, "slot-2");
        var firstRun = first.RunAsync(stopFirst.Token);
        var secondRun = second.RunAsync(stopOthers.Token);
        await firstOpened.WaitAsync(stopOthers.Token);
        await secondOpened.WaitAsync(stopOthers.Token);

        var (third, thirdOpened, thirdWaiting) = Agent(collector, "slot-3");
        var thirdRun = third.RunAsync(stopOthers.Token);
        var waiting = await thirdWaiting.WaitAsync(stopOthers.Token);
        Assert.Equal("slot-3", waiting.CollectorId);
        Assert.Contains("MaxStreamsPerConnection", waiting.Message, StringComparison.Ordinal);
        Assert.False(thirdOpened.IsCompleted);

        // The first agent stops: its stream ends, and the third gets the slot.
        await stopFirst.CancelAsync();
        await firstRun;
        await thirdOpened.WaitAsync(stopOthers.Token);
        await third.AddAsync(BillingItem.Logs, 7, DateTimeOffset.UtcNow, stopOthers.Token);
        await third.DrainAsync(stopOthers.Token);
        Assert.Equal(1, third.Statistics.RecordsAcknowledged);

        await stopOthers.CancelAsync();
        await Task.WhenAll(secondRun, thirdRun);
        await first.DisposeAsync();
        await second.DisposeAsync();
        await third.DisposeAsync();
    }

    private static (UsageUploader Uploader, Task Opened, Task<StreamWaiting> Waiting) Agent(CallInvoker collector, string collectorId)
    {
        var uploader = new UsageUploader(collector, new UsageUploaderOptions
        {
            CollectorId = collectorId,
            FlushInterval = TimeSpan.FromMilliseconds(50),
            StreamWaitWarning = TimeSpan.FromMilliseconds(200),
        });
        var opened = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var waiting = new TaskCompletionSource<StreamWaiting>(TaskCreationOptions.RunContinuationsAsynchronously);
        uploader.Connected += _ => opened.TrySetResult();
        uploader.StreamWaiting += w => waiting.TrySetResult(w);
        return (uploader, opened.Task, waiting.Task);
    }
}
