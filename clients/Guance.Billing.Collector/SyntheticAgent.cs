using System.Diagnostics;
using Google.Protobuf.WellKnownTypes;
using Guance.Billing.Client.Usage;
using Guance.Billing.V1;

namespace Guance.Billing.Collector;

/// <summary>
/// One simulated agent: generates records round-robin over its items (flow items count 1 to 3 per
/// record, stock items report a current value) at a rate or flat out, through a <see cref="UsageUploader"/>.
/// It remembers what it generated per item, so that a test can compare with the host's totals.
/// </summary>
public sealed class SyntheticAgent(string workspaceLabel, UsageUploader uploader, IReadOnlyList<BillingItem> items, double rate, long records)
{
    private readonly long[] _generated = new long[64];

    public string WorkspaceLabel { get; } = workspaceLabel;
    public UsageUploader Uploader { get; } = uploader;

    /// <summary>The sum of the quantities generated (and not dropped) per flow item; the last value per stock item.</summary>
    public long Generated(BillingItem item) => Interlocked.Read(ref _generated[(int)item]);

    public long RecordsGenerated { get; private set; }

    /// <summary>Generates until <paramref name="records"/> are made (then drains) or until cancelled (the caller drains).</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var timestamp = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow);
        var stampedAt = started;
        long n = 0;
        try
        {
            while (!cancellationToken.IsCancellationRequested && (records == 0 || n < records))
            {
                if (rate > 0 && (n & 63) == 0)
                {
                    var due = TimeSpan.FromSeconds(n / rate) - Stopwatch.GetElapsedTime(started);
                    if (due > TimeSpan.FromMilliseconds(2))
                    {
                        await Task.Delay(due, cancellationToken);
                    }
                }
                if (Stopwatch.GetElapsedTime(stampedAt) > TimeSpan.FromMilliseconds(5))
                {
                    // Records share one timestamp object for a few milliseconds: cheaper, and as precise as usage needs.
                    timestamp = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow);
                    stampedAt = Stopwatch.GetTimestamp();
                }
                var item = items[(int)(n % items.Count)];
                var stock = item is BillingItem.TimeSeries or BillingItem.BackupLogs or BillingItem.NetworkHosts or BillingItem.SessionReplay or BillingItem.Datakit;
                var quantity = stock ? 100 + (n / items.Count % 50) : 1 + n % 3;
                bool added;
                try
                {
                    added = await Uploader.AddAsync(new UsageRecord { Item = item, Quantity = quantity, ObservedAt = timestamp }, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    // Only the sealing of its full batch was cancelled: the record is in the open batch, which a drain sends.
                    Count(item, quantity, stock);
                    throw;
                }
                if (added)
                {
                    Count(item, quantity, stock);
                }
                n++;
                RecordsGenerated = n;
            }
            await Uploader.DrainAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private void Count(BillingItem item, long quantity, bool stock)
    {
        if (stock)
        {
            Interlocked.Exchange(ref _generated[(int)item], quantity);
        }
        else
        {
            Interlocked.Add(ref _generated[(int)item], quantity);
        }
    }
}
