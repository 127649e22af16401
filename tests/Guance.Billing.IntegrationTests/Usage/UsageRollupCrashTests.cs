using Grpc.Net.Client;
using Guance.Billing.Client.Usage;
using Guance.Billing.V1;

namespace Guance.Billing.IntegrationTests.Usage;

/// <summary>
/// The rollups survive a crash exactly: the host process is killed (SIGKILL) twice while two collectors
/// stream flow and stock records; after they resume and drain, the rollups equal what the points give.
/// </summary>
public sealed class UsageRollupCrashTests
{
    [Fact]
    public async Task Rollups_equal_the_points_after_the_host_is_killed_mid_stream()
    {
        await using var host = new RestartableHost();
        await host.StartAsync();
        using var channel = GrpcChannel.ForAddress(host.Address);
        var (_, collector) = await RestartableHost.CommercialWorkspaceAsync(channel);
        var upgradedAt = DateTimeOffset.UtcNow;
        var uploaders = Enumerable.Range(1, 2).Select(n => new UsageUploader(collector, new UsageUploaderOptions
        {
            CollectorId = $"rollup-{n}",
            SpoolDirectory = Path.Combine(host.DataDirectory, $"spool-{n}"),
            MaxRecordsPerBatch = 500,
            FlushInterval = TimeSpan.FromMilliseconds(20),
            MinBackoff = TimeSpan.FromMilliseconds(50),
            MaxBackoff = TimeSpan.FromMilliseconds(400),
        })).ToList();

        const int recordsPerCollector = 30_000;
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var pumps = uploaders.Select(u => u.RunAsync(stop.Token)).ToList();
        var producers = uploaders.Select((u, n) => Task.Run(async () =>
        {
            var random = new Random(n);
            for (int i = 0; i < recordsPerCollector; i++)
            {
                // Stock values observed up to a minute late (a late one loses to the latest), flow increments;
                // none before the upgrade, where the experience quota would stop the items.
                var stock = i % 3 == 0;
                var late = DateTimeOffset.UtcNow.AddSeconds(-random.Next(0, 60));
                var observedAt = late > upgradedAt ? late : upgradedAt;
                await u.AddAsync(stock ? BillingItem.TimeSeries : BillingItem.Logs, random.Next(0, 1_000), observedAt, stop.Token);
            }
            await u.FlushAsync(stop.Token);
        })).ToList();

        var total = recordsPerCollector * uploaders.Count;
        foreach (var share in new[] { 0.3, 0.6 })
        {
            while (uploaders.Sum(u => u.Statistics.RecordsAcknowledged) < share * total && !stop.IsCancellationRequested)
            {
                await Task.Delay(5);
            }
            await host.KillAsync();
            await host.StartAsync();
        }
        await Task.WhenAll(producers);
        await Task.WhenAll(uploaders.Select(u => u.DrainAsync(stop.Token)));
        await stop.CancelAsync();
        await Task.WhenAll(pumps);

        Assert.Equal(total, uploaders.Sum(u => u.Statistics.RecordsAcknowledged));
        await RollupAssert.MatchPointsAsync(host.Database);
    }
}
