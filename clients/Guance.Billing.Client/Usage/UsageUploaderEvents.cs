using Guance.Billing.V1;

namespace Guance.Billing.Client.Usage;

/// <summary>A batch the host committed (or had committed before: <see cref="Duplicate"/>).</summary>
public sealed record BatchAcknowledged(long Sequence, int Records, bool Duplicate, TimeSpan Latency);

/// <summary>
/// A batch the host refused; nothing of it was applied. <see cref="RequeuedRecords"/> of its records (those
/// the refusal did not concern) were queued again in a new batch; the others were dropped.
/// </summary>
public sealed record BatchRejected(long Sequence, int Records, Google.Rpc.Status Status, string Reason, int RequeuedRecords);

/// <summary>The uploader stopped sending an item (quota used up, or not available to the workspace) until <see cref="Until"/>.</summary>
public sealed record ItemStopped(BillingItem Item, string Reason, DateTimeOffset Until);

/// <summary>A stream opened; the host had committed up to <see cref="LastCommittedSequence"/>.</summary>
public sealed record UploaderConnected(long LastCommittedSequence, int MaxBatchesInFlight, int ResentBatches);

/// <summary>
/// A new stream has not started after <see cref="Waited"/> (<see cref="UsageUploaderOptions.StreamWaitWarning"/>): the
/// HTTP/2 connection most likely carries as many streams as the host allows on one connection (its
/// <c>Kestrel:Limits:Http2:MaxStreamsPerConnection</c>, 100 by default), and this one waits, silently, until another
/// ends. Give agents their own connections (or more of them: <c>SocketsHttpHandler.EnableMultipleHttp2Connections</c>),
/// or raise the host's limit. <see cref="UploaderConnected"/> follows once the stream has its slot.
/// </summary>
public sealed record StreamWaiting(string CollectorId, TimeSpan Waited)
{
    /// <summary>A line to log.</summary>
    public string Message => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"collector {CollectorId}: the usage stream has waited {Waited.TotalSeconds:0.0} s to start: the connection probably has no free stream slot (the host's Kestrel:Limits:Http2:MaxStreamsPerConnection); it starts when another stream on it ends");
}

/// <summary>A stream ended with an error; the uploader reconnects after <see cref="RetryIn"/>.</summary>
public sealed record UploaderDisconnected(Exception Error, TimeSpan RetryIn);

/// <summary>Counters of an uploader since it was created.</summary>
public sealed class UsageUploaderStatistics
{
    internal long _recordsAdded;
    internal long _recordsDropped;
    internal long _batchesSealed;
    internal long _batchesSent;
    internal long _batchesResent;
    internal long _batchesAcknowledged;
    internal long _batchesDuplicate;
    internal long _batchesRejected;
    internal long _recordsAcknowledged;
    internal long _reconnects;

    /// <summary>Records taken by AddAsync.</summary>
    public long RecordsAdded => Interlocked.Read(ref _recordsAdded);

    /// <summary>Records not sent because their item was stopped, or dropped with a refused batch.</summary>
    public long RecordsDropped => Interlocked.Read(ref _recordsDropped);

    /// <summary>Batches sealed (numbered and spooled).</summary>
    public long BatchesSealed => Interlocked.Read(ref _batchesSealed);

    /// <summary>Batch sends, first sends and resends.</summary>
    public long BatchesSent => Interlocked.Read(ref _batchesSent);

    /// <summary>Sends of a batch that had been sent before (after a reconnect or a restart).</summary>
    public long BatchesResent => Interlocked.Read(ref _batchesResent);

    /// <summary>Batches acknowledged (duplicates included).</summary>
    public long BatchesAcknowledged => Interlocked.Read(ref _batchesAcknowledged);

    /// <summary>Acknowledgements that said the batch had been committed before.</summary>
    public long BatchesDuplicate => Interlocked.Read(ref _batchesDuplicate);

    /// <summary>Batches refused by the host.</summary>
    public long BatchesRejected => Interlocked.Read(ref _batchesRejected);

    /// <summary>Records of acknowledged batches.</summary>
    public long RecordsAcknowledged => Interlocked.Read(ref _recordsAcknowledged);

    /// <summary>Streams that ended with an error and were opened again.</summary>
    public long Reconnects => Interlocked.Read(ref _reconnects);
}
