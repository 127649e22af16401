using System.Diagnostics.Metrics;

namespace Guance.Billing.Usage;

/// <summary>
/// Ingestion metrics (meter <c>Guance.Billing.Usage</c>): records accepted, batches by result,
/// rejections by reason, commit latency, batches per commit, and group commits split by the day limit.
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
    private readonly Counter<long> _splits;
    private long _recordsAccepted;

    public UsageMetrics(IMeterFactory meters)
    {
        _meter = meters.Create(MeterName);
        _records = _meter.CreateCounter<long>("guance.usage.records.accepted", "{record}", "Records committed (duplicates and rejections not included).");
        _batches = _meter.CreateCounter<long>("guance.usage.batches", "{batch}", "Batches answered, by result (applied, duplicate, rejected).");
        _rejections = _meter.CreateCounter<long>("guance.usage.rejections", "{batch}", "Batches or streams refused, by reason.");
        _commitLatency = _meter.CreateHistogram<double>("guance.usage.commit.duration", "ms", "Duration of one group commit.");
        _batchesPerCommit = _meter.CreateHistogram<int>("guance.usage.commit.batches", "{batch}", "Batches committed in one transaction.");
        _splits = _meter.CreateCounter<long>("guance.usage.commit.splits", "{commit}",
            "Group commits rolled back because a day went past MaxDayQuantity, then committed apart (an agent sends absurd quantities).");
    }

    /// <summary>A group commit rolled back for the day limit and committed apart.</summary>
    public void Split() => _splits.Add(1);

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

    /// <summary>
    /// The answers of one group commit: one counter update per result and one for the records, not one per batch
    /// (docs/performance.md, fleet: with small batches the per-batch updates were a visible share of the host's CPU).
    /// A refusal's reason is still counted per batch.
    /// </summary>
    public void AnsweredCommit(ReadOnlySpan<BatchOutcome?> outcomes, IReadOnlyList<PendingBatch> group)
    {
        long applied = 0, duplicate = 0, rejected = 0, records = 0;
        for (int i = 0; i < outcomes.Length; i++)
        {
            if (outcomes[i] is not { } outcome)
            {
                continue;
            }
            switch (outcome.Result)
            {
                case BatchResult.Applied:
                    applied++;
                    records += group[i].Batch.RecordCount;
                    break;
                case BatchResult.Duplicate:
                    duplicate++;
                    break;
                default:
                    rejected++;
                    if (outcome.Error is { } error)
                    {
                        Rejected(error.Reason);
                    }
                    break;
            }
        }
        AddBatches(BatchResult.Applied, applied);
        AddBatches(BatchResult.Duplicate, duplicate);
        AddBatches(BatchResult.Rejected, rejected);
        if (records > 0)
        {
            _records.Add(records);
            Interlocked.Add(ref _recordsAccepted, records);
        }
    }

    private void AddBatches(BatchResult result, long count)
    {
        if (count > 0)
        {
            _batches.Add(count, new KeyValuePair<string, object?>("result", ResultTag(result)));
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
