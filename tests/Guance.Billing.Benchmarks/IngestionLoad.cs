using System.Diagnostics;

namespace Guance.Billing.Benchmarks;

/// <summary>
/// Collectors streaming into the workspace while a reader cycles through the reads: flat out, or paced to
/// a total rate; for a duration, or for a number of rounds through the reads (the web console's benchmark
/// tours its pages). The collectors run in a process of their own (<see cref="CollectorLoad"/>), as agents
/// run apart from the people who read dashboards: in the reader's process their producer loops held its
/// thread pool, so that a read's time was mostly the benchmark's own wait for a thread.
/// </summary>
internal sealed class IngestionLoad(BenchmarkHost host, string token, int collectors)
{
    private int _phase;

    public sealed record Result(double RecordsPerSecond, List<double>[] Latencies);

    public async Task<Result> RunAsync(Func<Task>[] reads, TimeSpan duration, double? recordsPerSecond, int rounds = 0)
    {
        _phase++;
        using var load = collectors > 0 ? CollectorLoad.Start(host.Address, token, collectors, _phase, recordsPerSecond) : null;
        if (load is not null)
        {
            await load.RampedAsync();
        }
        var latencies = reads.Select(_ => new List<double>()).ToArray();
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
        var rate = load is null ? 0 : await load.StopAsync();
        foreach (var list in latencies)
        {
            list.Sort();
        }
        return new Result(rate, latencies);
    }
}
