using Guance.Billing.Client.Usage;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.V1;

namespace Guance.Billing.IntegrationTests.Usage;

/// <summary>Many collectors at once: 50 collectors stream into 10 workspaces through the group-commit writer; totals are exact.</summary>
public sealed class UsageConcurrencyTests
{
    [Fact]
    public async Task Fifty_collectors_into_ten_workspaces_count_every_record_exactly_once()
    {
        using var host = new BillingHost();
        var now = host.Clock.GetUtcNow();
        // One owner and ten workspaces: the concurrency is in the streams, not in the set-up.
        var owner = await host.SignUpAsync("owner");
        var workspaces = new List<string>();
        var uploaders = new List<(string WorkspaceId, UsageUploader Uploader)>();
        for (int w = 0; w < 10; w++)
        {
            var workspace = (await owner.Api.Workspaces.CreateWorkspaceAsync(new CreateWorkspaceRequest
            {
                Name = $"Workspace {w}", SiteCode = "cn1", ActivationChannel = ActivationChannel.OfficialWebsite,
            })).Workspace.WorkspaceId;
            workspaces.Add(workspace);
            var token = (await owner.Api.Workspaces.CreateCollectorTokenAsync(new CreateCollectorTokenRequest { WorkspaceId = workspace, DisplayName = "agents" })).Token;
            var collector = host.Api(token);
            for (int c = 0; c < 5; c++)
            {
                uploaders.Add((workspace, new UsageUploader(collector.Invoker, new UsageUploaderOptions
                {
                    CollectorId = $"host-{c}",
                    MaxRecordsPerBatch = 500,
                    FlushInterval = TimeSpan.FromMilliseconds(50),
                    Clock = host.Clock,
                })));
            }
        }

        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var pumps = uploaders.Select(u => u.Uploader.RunAsync(stop.Token)).ToList();
        const int recordsPerCollector = 4_000;
        var producers = uploaders.Select(u => Task.Run(async () =>
        {
            for (int i = 0; i < recordsPerCollector; i++)
            {
                var item = i % 2 == 0 ? BillingItem.Logs : BillingItem.Triggers;
                Assert.True(await u.Uploader.AddAsync(item, 1 + i % 3, now.AddSeconds(-(i % 600)), stop.Token));
            }
            await u.Uploader.DrainAsync(stop.Token);
        })).ToList();
        await Task.WhenAll(producers);
        await stop.CancelAsync();
        await Task.WhenAll(pumps);

        // Per collector: sum over i of (1 + i % 3) for even i (logs) and odd i (triggers).
        long expectedLogs = Enumerable.Range(0, recordsPerCollector).Where(i => i % 2 == 0).Sum(i => 1L + i % 3) * 5;
        long expectedTriggers = Enumerable.Range(0, recordsPerCollector).Where(i => i % 2 == 1).Sum(i => 1L + i % 3) * 5;
        foreach (var workspace in workspaces)
        {
            var statistics = (await owner.Api.Usage.GetUsageStatisticsAsync(new GetUsageStatisticsRequest { WorkspaceId = workspace })).Items.ToDictionary(i => i.Item);
            Assert.Equal(expectedLogs, statistics[BillingItem.Logs].Today);
            Assert.Equal(expectedTriggers, statistics[BillingItem.Triggers].Today);
        }
        Assert.All(uploaders, u =>
        {
            Assert.Equal(recordsPerCollector, u.Uploader.Statistics.RecordsAcknowledged);
            Assert.Equal(0, u.Uploader.Statistics.BatchesRejected);
        });
    }
}
