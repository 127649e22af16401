namespace Guance.Billing.Client.Usage;

/// <summary>
/// The sealed batches not yet answered, in sequence order, and the sending window over them: the
/// batches before the next one to send are on the wire, at most <see cref="Window"/> of them
/// unanswered. Not thread-safe: the uploader holds its lock around every call.
/// </summary>
internal sealed class PendingBatches
{
    private readonly List<PendingBatch> _batches = new();
    private int _nextToSend;
    private int _inFlight;

    /// <summary>How many batches may be unanswered at once (the host announces it when the stream opens).</summary>
    public int Window { get; set; } = 1;

    public int Count => _batches.Count;

    /// <summary>Those sent on an earlier stream, which the host may have committed already.</summary>
    public int SentBefore => _batches.Count(b => b.SentBefore);

    /// <summary>Adds a batch in sequence order.</summary>
    public void Insert(PendingBatch batch)
    {
        var index = _batches.Count;
        while (index > 0 && _batches[index - 1].Sequence > batch.Sequence)
        {
            index--;
        }
        _batches.Insert(index, batch);
    }

    /// <summary>The next batch to send when the window has room, counted in flight; otherwise null.</summary>
    public PendingBatch? TakeNextToSend()
    {
        if (_inFlight >= Window || _nextToSend >= _batches.Count)
        {
            return null;
        }
        _inFlight++;
        return _batches[_nextToSend++];
    }

    /// <summary>Removes the batch the host answered (null when it is not pending any more); one fewer in flight either way.</summary>
    public PendingBatch? Answered(long sequence)
    {
        var index = _batches.FindIndex(b => b.Sequence == sequence);
        var batch = index < 0 ? null : _batches[index];
        RemoveAt(index);
        return batch;
    }

    /// <summary>Removes a batch taken to be sent that turned out empty.</summary>
    public void Drop(PendingBatch batch) => RemoveAt(_batches.IndexOf(batch));

    /// <summary>
    /// On a new stream: takes out the batches at or below the host's mark, those sent before (committed)
    /// apart from those never sent (they only need a higher number), and sends the rest from the start.
    /// </summary>
    public (List<PendingBatch> Committed, List<PendingBatch> Renumber) TakeAtOrBelow(long mark)
    {
        var committed = new List<PendingBatch>();
        var renumber = new List<PendingBatch>();
        foreach (var batch in _batches.Where(b => b.Sequence <= mark))
        {
            (batch.SentBefore ? committed : renumber).Add(batch);
        }
        _batches.RemoveAll(committed.Contains);
        _batches.RemoveAll(renumber.Contains);
        Restart();
        return (committed, renumber);
    }

    /// <summary>Nothing is on the wire any more (the stream ended): everything is sent again from the start.</summary>
    public void Restart()
    {
        _nextToSend = 0;
        _inFlight = 0;
    }

    private void RemoveAt(int index)
    {
        if (index >= 0)
        {
            _batches.RemoveAt(index);
            if (index < _nextToSend)
            {
                _nextToSend--;
            }
        }
        _inFlight = Math.Max(0, _inFlight - 1);
    }
}
