namespace Guance.Billing.Benchmarks;

/// <summary>Stops the host processes of a benchmark that runs several.</summary>
internal sealed class HostsDisposer(List<BenchmarkHost> hosts) : IAsyncDisposable
{
    public async ValueTask DisposeAsync()
    {
        foreach (var host in hosts)
        {
            await host.DisposeAsync();
        }
    }
}
