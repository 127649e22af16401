using System.Threading.Channels;
using Guance.Billing.Usage;
using Guance.Billing.Workspaces;

namespace Guance.Billing.Tests.Usage;

/// <summary>The writer's thread sleeps (without spinning) until a batch is queued, and learns when the queue has closed.</summary>
public sealed class WriterWaitTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_batch_queued_while_the_writer_sleeps_wakes_it()
    {
        var queue = Channel.CreateBounded<PendingBatch>(4);
        var woken = Task.Factory.StartNew(() => UsageWriter.WaitForBatches(queue.Reader), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        await queue.Writer.WriteAsync(new PendingBatch(
            new WorkspaceSnapshot("ws_a", Sites.Get("cn1"), Plan.Commercial, WorkspaceState.Active, null), "tok_1", "web-1", new AggregatedBatch(1, 1, [])));

        Assert.True(await woken.WaitAsync(Patience));
        Assert.True(queue.Reader.TryRead(out _));
    }

    [Fact]
    public async Task A_closed_empty_queue_ends_the_wait_with_false()
    {
        var queue = Channel.CreateBounded<PendingBatch>(4);
        var woken = Task.Factory.StartNew(() => UsageWriter.WaitForBatches(queue.Reader), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        queue.Writer.Complete();

        Assert.False(await woken.WaitAsync(Patience));
    }
}
