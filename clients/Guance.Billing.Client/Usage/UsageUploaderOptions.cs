namespace Guance.Billing.Client.Usage;

/// <summary>Settings of a <see cref="UsageUploader"/>.</summary>
public sealed class UsageUploaderOptions
{
    /// <summary>The collector id (for example the host name): 1 to 128 of letters, digits and . _ : -. Keep it stable across restarts.</summary>
    public required string CollectorId { get; init; }

    /// <summary>
    /// Where sealed, unacknowledged batches are kept so that they survive a restart of the agent. Null keeps them
    /// in memory only (what is not yet acknowledged is lost if the agent dies). One uploader per directory.
    /// </summary>
    public string? SpoolDirectory { get; init; }

    /// <summary>Whether each spooled batch is flushed to the disk (fsync) before it is sent: slower, survives a power loss.</summary>
    public bool SyncSpoolWrites { get; init; }

    /// <summary>Records per batch; the host's max_records_per_batch caps it.</summary>
    public int MaxRecordsPerBatch { get; init; } = 10_000;

    /// <summary>A batch that is not full is sealed and sent after this long.</summary>
    public TimeSpan FlushInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Sealed batches not yet answered; adding waits while there are this many (backpressure to the producer).</summary>
    public int MaxPendingBatches { get; init; } = 256;

    /// <summary>First reconnect delay; it doubles per failed attempt up to <see cref="MaxBackoff"/>, with full jitter.</summary>
    public TimeSpan MinBackoff { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Longest reconnect delay.</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long sending pauses after the host says the workspace is locked.</summary>
    public TimeSpan LockedRetryDelay { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long a new stream may wait to start (its open message not yet taken by the connection) before
    /// <see cref="UsageUploader.StreamWaiting"/> fires: an HTTP/2 connection with no free stream slot queues the call silently.
    /// </summary>
    public TimeSpan StreamWaitWarning { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The clock that decides when a stopped item may be sent again (tests move it).</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;
}
