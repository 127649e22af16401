using System.Diagnostics.Metrics;
using Grpc.Core;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.V1;
using Microsoft.Extensions.DependencyInjection;
using static Guance.Billing.IntegrationTests.Usage.UsageTestKit;

namespace Guance.Billing.IntegrationTests.Usage;

/// <summary>Ingestion is observable: accepted records, batches by result, refusals by reason and commit latency are measured.</summary>
public sealed class UsageMetricsTests
{
    [Fact]
    public async Task Accepted_records_batches_refusals_by_reason_and_commits_are_measured()
    {
        using var host = new BillingHost();
        var (listener, measurements) = host.ListenToUsageMeter();
        using var listening = listener;
        var workspace = await host.CreateWorkspaceAsync();
        var collector = await host.CollectorAsync(workspace);
        var now = host.Clock.GetUtcNow();
        await collector.ReportAsync("m-1", 1, Record(BillingItem.Logs, 1, now), Record(BillingItem.Logs, 2, now), Record(BillingItem.RumPv, 3, now));
        await collector.ReportAsync("m-1", 1, Record(BillingItem.Logs, 1, now));
        await RpcAssert.Fails(StatusCode.FailedPrecondition, () => collector.ReportAsync("m-1", 2, Record(BillingItem.Logs, 1, now.AddDays(-3))), "DAY_CLOSED");
        await RpcAssert.Fails(StatusCode.InvalidArgument, () => collector.ReportAsync("m-1", 3, Record(BillingItem.Logs, -1, now)), "NEGATIVE_QUANTITY");

        listener.RecordObservableInstruments();
        lock (measurements)
        {
            Assert.Equal(3, measurements.Where(m => m.Instrument == "guance.usage.records.accepted").Sum(m => m.Value));
            Assert.Equal(1, measurements.Count(m => m.Instrument == "guance.usage.batches" && m.Tag == "result=applied"));
            Assert.Equal(1, measurements.Count(m => m.Instrument == "guance.usage.batches" && m.Tag == "result=duplicate"));
            Assert.Equal(2, measurements.Count(m => m.Instrument == "guance.usage.batches" && m.Tag == "result=rejected"));
            Assert.Equal(1, measurements.Count(m => m.Instrument == "guance.usage.rejections" && m.Tag == "reason=DAY_CLOSED"));
            Assert.Equal(1, measurements.Count(m => m.Instrument == "guance.usage.rejections" && m.Tag == "reason=NEGATIVE_QUANTITY"));
            Assert.Contains(measurements, m => m.Instrument == "guance.usage.commit.duration");
            Assert.Contains(measurements, m => m.Instrument == "guance.usage.commit.batches" && m.Value == 1);
        }
    }

    [Fact]
    public async Task A_group_commit_counts_its_batches_in_one_update_per_result()
    {
        using var host = new BillingHost();
        var (listener, measurements) = host.ListenToUsageMeter();
        using var listening = listener;
        var workspace = await host.CreateWorkspaceAsync();
        var collector = await host.CollectorAsync(workspace);
        var now = host.Clock.GetUtcNow();
        var writer = host.Services.GetRequiredService<Guance.Billing.Usage.UsageWriter>();
        var (stream, _) = await UsageStream.OpenAsync(collector, "group-1");
        await using (stream)
        {
            // The writer is held in its first commit while the batches it did not take queue behind it: they commit together.
            await using (await host.HoldWriteLockAsync())
            {
                for (long sequence = 1; sequence <= 6; sequence++)
                {
                    await stream.SendAsync(sequence, Record(BillingItem.Logs, 2, now));
                }
                using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                while (writer.QueuedBatches < 6)
                {
                    await Task.Delay(10, patience.Token);
                }
            }
            for (int i = 0; i < 6; i++)
            {
                await stream.AckAsync();
            }
        }

        lock (measurements)
        {
            var commits = measurements.Where(m => m.Instrument == "guance.usage.commit.batches").Select(m => m.Value).ToList();
            var applied = measurements.Where(m => m.Instrument == "guance.usage.batches" && m.Tag == "result=applied").Select(m => m.Value).ToList();
            Assert.Contains(commits, c => c >= 2);
            Assert.Equal(commits.Count, applied.Count);
            Assert.Equal(6, applied.Sum());
            Assert.Equal(commits.Count, measurements.Count(m => m.Instrument == "guance.usage.records.accepted"));
            Assert.Equal(6, measurements.Where(m => m.Instrument == "guance.usage.records.accepted").Sum(m => m.Value));
        }
    }
}
