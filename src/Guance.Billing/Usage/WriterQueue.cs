using System.Threading.Channels;

namespace Guance.Billing.Usage;

/// <summary>
/// The usage writer's bounded queue, and the signal its thread sleeps on. A stream that queues a batch wakes the
/// sleeping writer itself: a channel's own waiter would be completed through a thread-pool work item first, one more
/// wake-up per batch when small batches arrive one at a time (docs/performance.md, "A fleet of small agents").
/// The writer sleeps without spinning, since the queue empties after almost every commit of a fleet.
/// </summary>
public sealed class WriterQueue : IDisposable
{
    private readonly Channel<PendingBatch> _channel;

    // Set by every enqueue and by completion; reset by the writer before it looks at the queue one last time and sleeps.
    private readonly ManualResetEventSlim _arrived = new(false, spinCount: 0);

    public WriterQueue(int capacity)
    {
        _channel = Channel.CreateBounded<PendingBatch>(new BoundedChannelOptions(Math.Max(1, capacity))
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>Batches waiting for the writer.</summary>
    public int Count => _channel.Reader.Count;

    /// <summary>Queues a batch, waiting while the queue is full; <see cref="ChannelClosedException"/> once it is completed.</summary>
    public async ValueTask EnqueueAsync(PendingBatch batch, CancellationToken cancellationToken)
    {
        if (!_channel.Writer.TryWrite(batch))
        {
            await _channel.Writer.WriteAsync(batch, cancellationToken);
        }
        _arrived.Set();
    }

    public bool TryRead(out PendingBatch batch) => _channel.Reader.TryRead(out batch!);

    /// <summary>
    /// Blocks the writer's thread until a batch is queued (true) or the queue is completed and empty (false).
    /// The reset comes before the last look at the queue, so a batch queued in between sets the signal again.
    /// </summary>
    public bool WaitForBatches()
    {
        while (true)
        {
            if (_channel.Reader.TryPeek(out _))
            {
                return true;
            }
            if (_channel.Reader.Completion.IsCompleted)
            {
                return false;
            }
            _arrived.Reset();
            if (_channel.Reader.TryPeek(out _))
            {
                return true;
            }
            if (_channel.Reader.Completion.IsCompleted)
            {
                return false;
            }
            _arrived.Wait();
        }
    }

    /// <summary>Takes no more batches; the writer drains what is queued, then its wait returns false.</summary>
    public void Complete()
    {
        _channel.Writer.TryComplete();
        _arrived.Set();
    }

    public void Dispose() => _arrived.Dispose();
}
