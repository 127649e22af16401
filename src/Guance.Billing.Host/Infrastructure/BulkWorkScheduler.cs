using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace Guance.Billing.Host.Infrastructure;

/// <summary>
/// Runs bulk work, the streams of big usage batches, on threads of its own (one per core), so that the thread
/// pool's queue, where people's calls wait for a thread, is not filled with decodes of 10,000-record batches that
/// take a millisecond each: a dashboard read queued behind them waited tens of milliseconds under full load. A
/// stream moves here with <see cref="Enter"/>; its later awaits come back here, and so does the reading of its
/// next messages where they have been received already.
/// </summary>
public sealed class BulkWorkScheduler : TaskScheduler, IDisposable
{
    private readonly BlockingCollection<Task> _queue = [];
    private long _executed;

    [ThreadStatic]
    private static BulkWorkScheduler? _owner;

    public BulkWorkScheduler()
    {
        for (int i = 0; i < MaximumConcurrencyLevel; i++)
        {
            new Thread(Work) { IsBackground = true, Name = "bulk-work" }.Start();
        }
    }

    /// <summary>Work items run so far (diagnostics and tests).</summary>
    public long Executed => Interlocked.Read(ref _executed);

    public override int MaximumConcurrencyLevel { get; } = Environment.ProcessorCount;

    /// <summary>Continues the awaiting method on this scheduler (at once when it runs here already).</summary>
    public EnterAwaitable Enter() => new(this);

    /// <summary>Stops the threads once the queue is empty; what is queued later runs on the thread pool.</summary>
    public void Dispose() => _queue.CompleteAdding();

    protected override void QueueTask(Task task)
    {
        if (!_queue.IsAddingCompleted)
        {
            try
            {
                _queue.Add(task);
                return;
            }
            catch (InvalidOperationException)
            {
                // Completed since the look: the thread pool runs it.
            }
        }
        ThreadPool.UnsafeQueueUserWorkItem(_ => TryExecuteTask(task), null);
    }

    protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) => _owner == this && TryExecuteTask(task);

    protected override IEnumerable<Task> GetScheduledTasks() => _queue.ToArray();

    private void Work()
    {
        _owner = this;
        foreach (var task in _queue.GetConsumingEnumerable())
        {
            Interlocked.Increment(ref _executed);
            TryExecuteTask(task);
        }
    }

    public readonly struct EnterAwaitable(BulkWorkScheduler scheduler) : INotifyCompletion
    {
        public EnterAwaitable GetAwaiter() => this;

        public bool IsCompleted => Current == scheduler;

        public void OnCompleted(Action continuation) =>
            Task.Factory.StartNew(continuation, CancellationToken.None, TaskCreationOptions.DenyChildAttach, scheduler);

        public void GetResult()
        {
        }
    }
}
