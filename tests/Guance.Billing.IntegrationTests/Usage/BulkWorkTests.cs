using Guance.Billing.Host.Infrastructure;
using Guance.Billing.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static Guance.Billing.IntegrationTests.Usage.UsageTestKit;
using BillingItem = Guance.Billing.V1.BillingItem;
using UsageRecord = Guance.Billing.V1.UsageRecord;

namespace Guance.Billing.IntegrationTests.Usage;

/// <summary>
/// The streams of big batches are read on threads of their own, so that people's calls do not queue on the thread
/// pool behind their decodes (docs/performance.md, "Dashboard reads under load").
/// </summary>
public sealed class BulkWorkTests
{
    [Fact]
    public async Task A_stream_moves_to_the_bulk_threads_after_a_big_batch_and_every_record_still_counts_once()
    {
        using var host = new BillingHost();
        host.Settings["Guance:Usage:BulkBatchRecords"] = "50";
        var workspace = await host.CreateWorkspaceAsync();
        var collector = await host.CollectorAsync(workspace);
        var bulk = host.Services.GetRequiredService<BulkWorkScheduler>();
        var now = host.Clock.GetUtcNow();

        var (small, _) = await UsageStream.OpenAsync(collector, "small-batches");
        await using (small)
        {
            for (long sequence = 1; sequence <= 5; sequence++)
            {
                await small.SendAsync(sequence, Records(49, now));
                Assert.Equal(sequence, (await small.AckAsync()).Sequence);
            }
        }
        Assert.Equal(0, bulk.Executed);

        var (big, _) = await UsageStream.OpenAsync(collector, "big-batches");
        await using (big)
        {
            for (long sequence = 1; sequence <= 5; sequence++)
            {
                await big.SendAsync(sequence, Records(50, now));
                Assert.Equal(sequence, (await big.AckAsync()).Sequence);
            }
        }
        Assert.True(bulk.Executed > 0);

        // The agent reconnects and sends its last batch again, then a new one: a duplicate, then counted.
        var (again, _) = await UsageStream.OpenAsync(collector, "big-batches");
        await using (again)
        {
            await again.SendAsync(5, Records(50, now));
            Assert.True((await again.AckAsync()).Duplicate);
            await again.SendAsync(6, Records(50, now));
            Assert.False((await again.AckAsync()).Duplicate);
        }
        Assert.Equal(5 * 49 + 6 * 50, (await workspace.StatisticsAsync())[BillingItem.Logs].Today);
    }

    [Fact]
    public async Task A_method_that_enters_runs_on_the_bulk_threads_and_its_awaits_come_back_to_them()
    {
        using var bulk = new BulkWorkScheduler();

        var (entered, afterAwait, stayed) = await Probe(bulk);

        Assert.Equal(("bulk-work", "bulk-work"), (entered, afterAwait));
        Assert.True(stayed);
        Assert.True(bulk.Executed >= 2);
    }

    private static async Task<(string? Entered, string? AfterAwait, bool Stayed)> Probe(BulkWorkScheduler bulk)
    {
        await bulk.Enter();
        var entered = Thread.CurrentThread.Name;
        await Task.Delay(10);
        return (entered, Thread.CurrentThread.Name, TaskScheduler.Current == bulk);
    }

    private static UsageRecord[] Records(int count, DateTimeOffset observedAt) =>
        Enumerable.Range(0, count).Select(_ => Record(BillingItem.Logs, 1, observedAt)).ToArray();
}
