namespace Guance.Billing.Usage;

/// <summary>The <c>Guance:Usage</c> configuration section: ingestion limits and rules.</summary>
public sealed class UsageOptions
{
    public const string Section = "Guance:Usage";

    /// <summary>Most records in one batch.</summary>
    public int MaxRecordsPerBatch { get; set; } = 10_000;

    /// <summary>Largest message (a batch) the host reads, in bytes; a larger one ends the call with RESOURCE_EXHAUSTED.</summary>
    public int MaxMessageBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Most batches an agent may have sent on one stream and not yet had answered (the window announced at open).</summary>
    public int MaxBatchesInFlight { get; set; } = 16;

    /// <summary>Most streams of one collector at once on this host (more than one lets a reconnect overlap the old stream's end).</summary>
    public int MaxStreamsPerCollector { get; set; } = 2;

    /// <summary>Most StreamUsage calls of one collector token at once on this host, opened or not (a fleet sharing a token needs one each).</summary>
    public int MaxStreamsPerToken { get; set; } = 10_000;

    /// <summary>Most StreamUsage calls at once on this host, of all tokens: the bound of the memory that idle streams hold.</summary>
    public int MaxStreams { get; set; } = 40_000;

    /// <summary>How long a new StreamUsage call may take to send its open; then it ends with OPEN_TIMEOUT.</summary>
    public TimeSpan OpenTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How far a batch's sequence may lie above the larger of the collector's mark and the current time in
    /// microseconds since the epoch (a day of microseconds): one implausible jump would otherwise make every
    /// later batch of the collector a duplicate.
    /// </summary>
    public long MaxSequenceJump { get; set; } = 86_400_000_000;

    /// <summary>How long after a site-day ends late records for it are still taken (until settlement closes days).</summary>
    public TimeSpan LateGrace { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How far ahead of the host's clock observed_at may be.</summary>
    public TimeSpan MaxClockSkew { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Largest quantity of one record (so that sums stay far from overflowing).</summary>
    public long MaxQuantity { get; set; } = 1_000_000_000_000;

    /// <summary>
    /// Largest quantity of one item that a workspace's billing day may hold (the day's rollup: a flow item's sum,
    /// a stock item's largest hour): a batch that would take a day past it is refused, so that a day's sums and
    /// its rating can never overflow whatever agents send (docs/ingestion.md).
    /// </summary>
    public long MaxDayQuantity { get; set; } = 1_000_000_000_000_000;

    /// <summary>Whether the retired DataKit item is accepted.</summary>
    public bool DataKitItemEnabled { get; set; }

    /// <summary>Most batches the single writer commits in one transaction (group commit).</summary>
    public int MaxBatchesPerCommit { get; set; } = 256;

    /// <summary>Most batches waiting for the writer; a full queue slows the streams (backpressure).</summary>
    public int WriterQueueCapacity { get; set; } = 512;

    /// <summary>A stream that sends a batch of at least this many records is read from then on by threads of the host's own, not the thread pool's that answer calls.</summary>
    public int BulkBatchRecords { get; set; } = 1_000;

    /// <summary>
    /// SQLite only: <c>FULL</c> (the default) fsyncs the WAL at every commit, so an acknowledged batch
    /// survives a power loss; <c>NORMAL</c> survives a process crash (SIGKILL) but not a power loss.
    /// </summary>
    public string SqliteSynchronous { get; set; } = "FULL";
}
