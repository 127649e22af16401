using System.Diagnostics.Metrics;

namespace Guance.Billing.Usage;

/// <summary>
/// Ingestion metrics (meter <c>Guance.Billing.Usage</c>): records accepted, batches by result,
/// rejections by reason, commit latency and batches per commit.
/// </summary>
public sealed class UsageMetrics : IDisposable
{
    public const string MeterName = "Guance.Billing.Usage";

    private readonly Meter _meter;
    private readonly Counter<long> _records;
    private readonly Counter<long> _batches;
    private readonly Counter<long> _rejections;
    private readonly Histogram<double> _commitLatency;
    private readonly Histogram<int> _batchesPerCommit;
    private long _recordsAccepted;

    public UsageMetrics(IMeterFactory meters)
    {
        _meter = meters.Create(MeterName);
        _records = _meter.CreateCounter<long>("guance.usage.records.accepted", "{record}", "Records committed (duplicates and rejections not included).");
        _batches = _meter.CreateCounter<long>("guance.usage.batches", "{batch}", "Batches answered, by result (applied, duplicate, rejected).");
        _rejections = _meter.CreateCounter<long>("guance.usage.rejections", "{batch}", "Batches or streams refused, by reason.");
        _commitLatency = _meter.CreateHistogram<double>("guance.usage.commit.duration", "ms", "Duration of one group commit.");
        _batchesPerCommit = _meter.CreateHistogram<int>("guance.usage.commit.batches", "{batch}", "Batches committed in one transaction.");
    }

    /// <summary>Records committed since start (for tests and diagnostics).</summary>
    public long RecordsAccepted => Interlocked.Read(ref _recordsAccepted);

    public void Answered(BatchOutcome outcome, int records)
    {
        _batches.Add(1, new KeyValuePair<string, object?>("result", ResultTag(outcome.Result)));
        if (outcome.Result == BatchResult.Applied)
        {
            _records.Add(records);
            Interlocked.Add(ref _recordsAccepted, records);
        }
        else if (outcome.Error is { } error)
        {
            Rejected(error.Reason);
        }
    }

    // Constant tag values: the enum's text, lower-cased, was two allocations per batch.
    private static string ResultTag(BatchResult result) => result switch
    {
        BatchResult.Applied => "applied",
        BatchResult.Duplicate => "duplicate",
        _ => "rejected",
    };

    public void Rejected(string reason) => _rejections.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void Committed(int batches, TimeSpan duration)
    {
        _commitLatency.Record(duration.TotalMilliseconds);
        _batchesPerCommit.Record(batches);
    }

    public void Dispose() => _meter.Dispose();
}
