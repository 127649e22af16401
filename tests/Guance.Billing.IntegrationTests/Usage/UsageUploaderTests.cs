using Guance.Billing.Client.Usage;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.V1;

namespace Guance.Billing.IntegrationTests.Usage;

/// <summary>The agent side of the protocol: the spool survives the agent's restart, and refused items are stopped.</summary>
public sealed class UsageUploaderTests(BillingHost host) : IClassFixture<BillingHost>
{
    private DateTimeOffset Now => host.Clock.GetUtcNow();

    [Fact]
    public async Task A_restarted_agent_resends_its_spool_and_a_batch_committed_before_the_crash_counts_once()
    {
        var workspace = await host.CreateWorkspaceAsync();
        var collector = await host.CollectorAsync(workspace);
        var spool = Path.Combine(host.DataDirectory, "agent-spool-" + Guid.NewGuid().ToString("N"));
        var options = new UsageUploaderOptions { CollectorId = "agent-1", SpoolDirectory = spool, MaxRecordsPerBatch = 10, Clock = host.Clock };

        // The first run seals three batches, then "dies" before it connects.
        await using (var first = new UsageUploader(collector.Invoker, options))
        {
            for (int i = 0; i < 30; i++)
            {
                await first.AddAsync(BillingItem.Logs, i + 1, Now);
            }
            Assert.Equal(3, first.PendingBatches);
        }
        var spooled = Directory.GetFiles(spool, "*.usage").Select(f => UsageBatch.Parser.ParseFrom(File.ReadAllBytes(f))).OrderBy(b => b.Sequence).ToList();
        Assert.Equal(3, spooled.Count);
        // The oldest batch reached the host (its ack was lost with the agent).
        var request = new ReportUsageRequest { CollectorId = "agent-1", Sequence = spooled[0].Sequence };
        request.Records.Add(spooled[0].Records);
        await collector.Usage.ReportUsageAsync(request);

        await using var second = new UsageUploader(collector.Invoker, options);
        Assert.Equal(3, second.PendingBatches);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var run = second.RunAsync(stop.Token);
        await second.DrainAsync(stop.Token);
        await stop.CancelAsync();
        await run;

        Assert.Equal(Enumerable.Range(1, 30).Sum(), (await workspace.StatisticsAsync())[BillingItem.Logs].Today);
        Assert.Equal(1, second.Statistics.BatchesDuplicate);
        Assert.Equal(2, second.Statistics.BatchesResent);
        Assert.Empty(Directory.GetFiles(spool, "*.usage"));
    }

    [Fact]
    public async Task Records_wait_in_memory_in_the_open_batch_until_a_flush_seals_them_into_the_spool()
    {
        var workspace = await host.CreateWorkspaceAsync();
        var collector = await host.CollectorAsync(workspace);
        var spool = Path.Combine(host.DataDirectory, "agent-spool-" + Guid.NewGuid().ToString("N"));
        await using var uploader = new UsageUploader(collector.Invoker, new UsageUploaderOptions { CollectorId = "agent-1", SpoolDirectory = spool, MaxRecordsPerBatch = 10, Clock = host.Clock });
        for (int i = 0; i < 3; i++)
        {
            await uploader.AddAsync(BillingItem.Logs, 1, Now);
        }
        Assert.Equal((3, 0), (uploader.OpenRecords, uploader.PendingBatches));
        Assert.Empty(Directory.Exists(spool) ? Directory.GetFiles(spool, "*.usage") : []);

        await uploader.FlushAsync();

        Assert.Equal((0, 1), (uploader.OpenRecords, uploader.PendingBatches));
        Assert.Single(Directory.GetFiles(spool, "*.usage"));
    }

    [Fact]
    public async Task An_item_whose_quota_is_used_up_is_stopped_and_the_other_records_still_count()
    {
        var workspace = await host.CreateWorkspaceAsync();
        var collector = await host.CollectorAsync(workspace);
        await using var uploader = new UsageUploader(collector.Invoker, new UsageUploaderOptions { CollectorId = "agent-1", MaxRecordsPerBatch = 4, Clock = host.Clock });
        var stopped = new List<ItemStopped>();
        uploader.ItemStopped += stopped.Add;
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var run = uploader.RunAsync(stop.Token);

        // APM profile has 60 free a day: the batch that would pass it is refused and the item stops.
        for (int i = 0; i < 10; i++)
        {
            await uploader.AddAsync(BillingItem.ApmProfile, 10, Now);
            await uploader.AddAsync(BillingItem.Logs, 5, Now);
        }
        await uploader.DrainAsync(stop.Token);
        var afterStop = await uploader.AddAsync(BillingItem.ApmProfile, 1, Now);
        await stop.CancelAsync();
        await run;

        var statistics = await workspace.StatisticsAsync();
        Assert.Equal(50, statistics[BillingItem.Logs].Today);
        Assert.True(statistics[BillingItem.ApmProfile].Today <= 60);
        var item = Assert.Single(stopped.DistinctBy(s => s.Item));
        Assert.Equal(BillingItem.ApmProfile, item.Item);
        Assert.Equal(new DateTimeOffset(2026, 11, 2, 16, 0, 0, TimeSpan.Zero), item.Until);
        Assert.False(afterStop);
        Assert.True(uploader.IsStopped(BillingItem.ApmProfile));
    }

    [Fact]
    public async Task An_item_whose_day_is_full_is_stopped_until_the_days_end_and_the_other_records_still_count()
    {
        using var small = new BillingHost();
        small.Settings["Guance:Usage:MaxDayQuantity"] = "100";
        var workspace = await small.CreateWorkspaceAsync();
        await small.UpgradeAsync(workspace);
        var collector = await small.CollectorAsync(workspace);
        var now = small.Clock.GetUtcNow();
        await using var uploader = new UsageUploader(collector.Invoker, new UsageUploaderOptions { CollectorId = "agent-1", MaxRecordsPerBatch = 4, Clock = small.Clock });
        var stopped = new List<ItemStopped>();
        uploader.ItemStopped += stopped.Add;
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var run = uploader.RunAsync(stop.Token);

        for (int i = 0; i < 10; i++)
        {
            await uploader.AddAsync(BillingItem.Logs, 30, now);
            await uploader.AddAsync(BillingItem.ApmTrace, 1, now);
        }
        await uploader.DrainAsync(stop.Token);
        await stop.CancelAsync();
        await run;

        var statistics = await workspace.StatisticsAsync();
        Assert.Equal(10, statistics[BillingItem.ApmTrace].Today);
        Assert.InRange(statistics[BillingItem.Logs].Today, 30, 100);
        var item = Assert.Single(stopped.DistinctBy(s => s.Item));
        Assert.Equal((BillingItem.Logs, "DAY_QUANTITY_LIMIT_EXCEEDED"), (item.Item, item.Reason));
        Assert.Equal(new DateTimeOffset(2026, 11, 2, 16, 0, 0, TimeSpan.Zero), item.Until);
        Assert.True(uploader.IsStopped(BillingItem.Logs));
        Assert.False(uploader.IsStopped(BillingItem.ApmTrace));
    }
}
