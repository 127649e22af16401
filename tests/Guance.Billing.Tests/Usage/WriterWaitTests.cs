using Guance.Billing.Usage;
using Guance.Billing.Workspaces;

namespace Guance.Billing.Tests.Usage;

/// <summary>
/// The writer's thread sleeps (without spinning) until a batch is queued, learns when the queue has closed, and is woken
/// by the stream that queues a batch, not through a thread-pool work item.
/// </summary>
[Collection(ThreadPoolCounting.Name)]
public sealed class WriterWaitTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_batch_queued_while_the_writer_sleeps_wakes_it()
    {
        using var queue = new WriterQueue(4);
        var woken = Task.Factory.StartNew(queue.WaitForBatches, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        await queue.EnqueueAsync(Batch(1), CancellationToken.None);

        Assert.True(await woken.WaitAsync(Patience));
        Assert.True(queue.TryRead(out _));
    }

    [Fact]
    public async Task A_completed_empty_queue_ends_the_wait_with_false_and_a_full_one_is_drained_first()
    {
        using var queue = new WriterQueue(4);
        var woken = Task.Factory.StartNew(queue.WaitForBatches, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        queue.Complete();
        Assert.False(await woken.WaitAsync(Patience));

        using var full = new WriterQueue(4);
        await full.EnqueueAsync(Batch(1), CancellationToken.None);
        full.Complete();
        Assert.True(full.WaitForBatches());
        Assert.True(full.TryRead(out _));
        Assert.False(full.WaitForBatches());
    }

    [Fact]
    public void The_stream_that_queues_a_batch_wakes_the_writer_without_the_thread_pool()
    {
        const int batches = 500;
        using var queue = new WriterQueue(4);
        using var taken = new SemaphoreSlim(0);
        // A plain thread as the writer, and the test's thread as the stream: neither needs the thread pool.
        var writer = new Thread(() =>
        {
            while (queue.WaitForBatches())
            {
                while (queue.TryRead(out _))
                {
                    taken.Release();
                }
            }
        });
        writer.Start();
        var workItemsBefore = ThreadPool.CompletedWorkItemCount;
        for (int i = 1; i <= batches; i++)
        {
            var queued = queue.EnqueueAsync(Batch(i), CancellationToken.None);
            Assert.True(queued.IsCompletedSuccessfully);
            Assert.True(taken.Wait(Patience));
        }
        var workItems = ThreadPool.CompletedWorkItemCount - workItemsBefore;
        queue.Complete();
        Assert.True(writer.Join(Patience));

        // A channel's own reader wait completes through a work item per wake-up (500 here); a few are the process's own.
        Assert.True(workItems < batches / 5, $"{workItems} thread-pool work items for {batches} wake-ups");
    }

    private static PendingBatch Batch(long sequence) => new(
        new WorkspaceSnapshot("ws_a", Sites.Get("cn1"), Plan.Commercial, WorkspaceState.Active, null), "tok_1", "web-1", new AggregatedBatch(sequence, 1, []));
}

/// <summary>Tests that count the process's thread-pool work items run alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ThreadPoolCounting
{
    public const string Name = "thread-pool counting";
}
