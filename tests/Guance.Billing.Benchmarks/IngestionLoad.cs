using System.Diagnostics;
using Grpc.Net.Client;
using Guance.Billing.Client.Usage;

namespace Guance.Billing.Benchmarks;

/// <summary>
/// Collectors streaming into the workspace (one connection each, spool off) while a reader cycles
/// through the reads: flat out, or paced to a total rate; for a duration, or for a number of rounds
/// through the reads (the web console's benchmark tours its pages).
/// </summary>
internal sealed class IngestionLoad(BenchmarkHost host, string token, int collectors) : IAsyncDisposable
{
    private readonly List<GrpcChannel> _channels = [];
    private int _phase;

    public sealed record Result(double RecordsPerSecond, List<double>[] Latencies);

    public async Task<Result> RunAsync(Func<Task>[] reads, TimeSpan duration, double? recordsPerSecond, int rounds = 0)
    {
        _phase++;
        var uploaders = new List<UsageUploader>();
        for (int c = 0; c < collectors; c++)
        {
            var channel = GrpcChannel.ForAddress(host.Address);
            _channels.Add(channel);
            uploaders.Add(new UsageUploader(ReadsBenchmark.WithToken(channel, token), new UsageUploaderOptions
            {
                CollectorId = $"load-{_phase}-{c + 1}",
                MaxRecordsPerBatch = 10_000,
                FlushInterval = TimeSpan.FromMilliseconds(100),
                MaxPendingBatches = 64,
            }));
        }
        using var stop = new CancellationTokenSource();
        var pumps = uploaders.Select(u => u.RunAsync(stop.Token)).ToList();
        var latencies = reads.Select(_ => new List<double>()).ToArray();
        var started = Stopwatch.StartNew();
        var ackedBefore = 0L;
        var producing = true;
        var producers = uploaders.Select((u, c) => Task.Run(async () =>
        {
            var perCollector = recordsPerSecond / collectors;
            long added = 0;
            while (Volatile.Read(ref producing))
            {
                var at = DateTimeOffset.UtcNow;
                var target = perCollector is { } rate ? (long)(started.Elapsed.TotalSeconds * rate) : added + 1_000;
                for (; added < target; added++)
                {
                    await u.AddAsync(ReadsBenchmark.Items[(added + c) % ReadsBenchmark.Items.Length], 1 + added % 3, at);
                }
                if (perCollector is not null)
                {
                    await Task.Delay(5);
                }
            }
        })).ToList();
        // The first second is ramp-up: rates and latencies are taken after it.
        await Task.Delay(TimeSpan.FromSeconds(1));
        ackedBefore = uploaders.Sum(u => u.Statistics.RecordsAcknowledged);
        var window = Stopwatch.StartNew();
        for (var round = 0; rounds > 0 ? round < rounds : window.Elapsed < duration; round++)
        {
            for (int r = 0; r < reads.Length; r++)
            {
                var t = Stopwatch.GetTimestamp();
                await reads[r]();
                latencies[r].Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
                await Task.Delay(10);
            }
        }
        var rate = (uploaders.Sum(u => u.Statistics.RecordsAcknowledged) - ackedBefore) / window.Elapsed.TotalSeconds;
        Volatile.Write(ref producing, false);
        await Task.WhenAll(producers);
        await Task.WhenAll(uploaders.Select(u => u.DrainAsync()));
        await stop.CancelAsync();
        await Task.WhenAll(pumps);
        foreach (var list in latencies)
        {
            list.Sort();
        }
        return new Result(rate, latencies);
    }

    public ValueTask DisposeAsync()
    {
        _channels.ForEach(c => c.Dispose());
        return ValueTask.CompletedTask;
    }
}
