using System.Collections.Concurrent;
using Grpc.Core;
using Guance.Billing.Client.Usage;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.IntegrationTests.Usage;
using Guance.Billing.V1;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace Guance.Billing.IntegrationTests.MultiHost;

/// <summary>
/// Usage ingestion with two host processes on one PostgreSQL database. Exactly-once rests on each
/// collector's high-water mark, advanced by a conditional upsert in the transaction of the batch's
/// rows; these tests move collectors between the hosts mid-stream (so that both hosts hold the same
/// batches at once) and let both hosts check one workspace's experience quota at once.
/// </summary>
[Collection(TwoHosts.Name)]
public sealed class MultiHostUsageTests(TwoHostsFixture hosts, ITestOutputHelper output)
{
    private static readonly BillingItem[] Items = [BillingItem.Logs, BillingItem.ApmTrace, BillingItem.TimeSeries, BillingItem.RumPv];

    [PostgresFact]
    public async Task Collectors_moving_between_two_hosts_mid_stream_count_every_record_exactly_once()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var cluster = await hosts.ClusterAsync();
        output.WriteLine($"hosts serving after {clock.Elapsed.TotalSeconds:0.0} s");
        var owner = await SignUpAsync(cluster.Api(0));
        var workspaces = new List<(string Id, string Token)>();
        for (int w = 0; w < 2; w++)
        {
            // Commercial, so that no experience quota stops the flood.
            workspaces.Add(await CommercialWorkspaceAsync(cluster, w, owner));
        }

        // Six collectors, three per workspace; each stream goes to the other host than the last and is
        // cut after 30 to 250 ms, so every collector moves many times, often with batches in flight.
        const int recordsPerCollector = 12_000;
        var random = new Random();
        var start = DateTimeOffset.UtcNow.AddMinutes(-2);
        var addresses = cluster.Hosts.Select(h => h.Address).ToList();
        var collectors = new List<Mover>();
        foreach (var (workspace, w) in workspaces.Select((x, i) => (x, i)))
        {
            for (int c = 0; c < 3; c++)
            {
                var invoker = new HostHoppingInvoker(addresses, workspace.Token, new Random(random.Next()), TimeSpan.FromMilliseconds(30), TimeSpan.FromMilliseconds(250));
                var uploader = new UsageUploader(invoker, new UsageUploaderOptions
                {
                    CollectorId = $"mover-{c}",
                    MaxRecordsPerBatch = 300,
                    FlushInterval = TimeSpan.FromMilliseconds(50),
                    MinBackoff = TimeSpan.FromMilliseconds(10),
                    MaxBackoff = TimeSpan.FromMilliseconds(100),
                });
                collectors.Add(new Mover(workspace.Id, $"mover-{c}", w * 3 + c, invoker, uploader));
            }
        }

        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var pumps = collectors.Select(m => m.Uploader.RunAsync(stop.Token)).ToList();
        var producers = collectors.Select(m => Task.Run(async () =>
        {
            for (int i = 0; i < recordsPerCollector; i++)
            {
                var (item, quantity, observedAt) = Generated(m.Index, i, start);
                Assert.True(await m.Uploader.AddAsync(item, quantity, observedAt, stop.Token));
                if (i % 300 == 299)
                {
                    await Task.Delay(40, stop.Token); // spread the stream over a few seconds of cuts and moves
                }
            }
            await m.Uploader.DrainAsync(stop.Token);
        })).ToList();
        await Task.WhenAll(producers);
        await stop.CancelAsync();
        await Task.WhenAll(pumps);
        output.WriteLine($"all records acknowledged after {clock.Elapsed.TotalSeconds:0.0} s");

        foreach (var m in collectors)
        {
            output.WriteLine($"{m.WorkspaceId}/{m.CollectorId}: streams per host {string.Join("/", m.Invoker.StreamsPerHost)}, reconnects {m.Uploader.Statistics.Reconnects}, "
                + $"batches {m.Uploader.Statistics.BatchesSealed} sealed, {m.Uploader.Statistics.BatchesResent} resent, {m.Uploader.Statistics.BatchesDuplicate} acknowledged as duplicates");
        }
        Assert.All(collectors, m =>
        {
            Assert.Equal(recordsPerCollector, m.Uploader.Statistics.RecordsAcknowledged);
            Assert.Equal(0, m.Uploader.Statistics.BatchesRejected);
            Assert.Equal(0, m.Uploader.PendingBatches);
            // It really moved: several streams on each host.
            Assert.All(m.Invoker.StreamsPerHost, streams => Assert.True(streams >= 2, $"streams per host: {string.Join("/", m.Invoker.StreamsPerHost)}"));
        });

        // Every (collector, item, hour) row holds exactly what was generated: flow items the sum, the
        // stock item the value observed last. A batch applied twice would show in a flow row.
        await using var db = cluster.Database.NewContext();
        foreach (var workspace in workspaces)
        {
            var stored = (await db.UsagePoints.AsNoTracking().Where(p => p.WorkspaceId == workspace.Id).ToListAsync())
                .ToDictionary(p => (p.CollectorId, (BillingItem)p.Item, p.HourStart), p => p.Quantity);
            var expected = Expected(collectors.Where(m => m.WorkspaceId == workspace.Id), recordsPerCollector, start);
            Assert.Equal(expected.OrderBy(e => e.Key.ToString()), stored.OrderBy(e => e.Key.ToString()));
        }
        // Each collector's high-water mark is the last batch it sent, every batch acknowledged.
        var marks = await db.UsageCollectors.AsNoTracking().ToDictionaryAsync(c => (c.WorkspaceId, c.CollectorId), c => c.LastSequence);
        Assert.Equal(collectors.Count, marks.Count);
        Assert.All(collectors, m =>
        {
            Assert.Equal(m.Uploader.Statistics.BatchesSealed, m.Uploader.Statistics.BatchesAcknowledged);
            Assert.Equal(m.LastAcknowledged, marks[(m.WorkspaceId, m.CollectorId)]);
        });
        // No group commit failed on either host (two hosts locking the same marks in different orders would deadlock).
        cluster.AssertNoErrorsLogged();
    }

    [PostgresFact]
    public async Task The_experience_quota_holds_when_both_hosts_check_it_at_once()
    {
        var cluster = await hosts.ClusterAsync();
        var owner = await SignUpAsync(cluster.Api(0));
        var workspaces = cluster.Api(1, owner).Workspaces;
        var workspace = (await workspaces.CreateWorkspaceAsync(new CreateWorkspaceRequest
        {
            Name = "Experience", SiteCode = "cn1", ActivationChannel = ActivationChannel.OfficialWebsite,
        })).Workspace.WorkspaceId;
        var token = (await workspaces.CreateCollectorTokenAsync(new CreateCollectorTokenRequest { WorkspaceId = workspace, DisplayName = "agents" })).Token;

        // Logs are free up to 1,000,000 a day. Ten collectors, five on each host, report 30,000 at a time,
        // six batches each, all at once: 1,800,000 offered, so exactly 33 batches (990,000) fit.
        const long perBatch = 30_000;
        var observedAt = DateTimeOffset.UtcNow;
        var results = new ConcurrentBag<string>();
        var collectors = Enumerable.Range(0, 10).Select(c => Task.Run(async () =>
        {
            var usage = cluster.Api(c % 2, token);
            for (long sequence = 1; sequence <= 6; sequence++)
            {
                try
                {
                    var answer = await usage.ReportAsync($"quota-{c}", sequence, UsageTestKit.Record(BillingItem.Logs, perBatch, observedAt));
                    results.Add(answer.Duplicate ? "duplicate" : "applied");
                }
                catch (RpcException e) when (e.StatusCode == StatusCode.ResourceExhausted)
                {
                    results.Add(e.GetRpcStatus()!.GetDetail<Google.Rpc.ErrorInfo>()!.Reason);
                }
            }
        })).ToList();
        await Task.WhenAll(collectors);

        Assert.Equal(33, results.Count(r => r == "applied"));
        Assert.Equal(27, results.Count(r => r == "EXPERIENCE_QUOTA_EXHAUSTED"));
        await using (var db = cluster.Database.NewContext())
        {
            Assert.Equal(33 * perBatch, await db.UsagePoints.Where(p => p.WorkspaceId == workspace).SumAsync(p => p.Quantity));
        }
        // Both hosts show the same day (China 1's day, UTC+8; yesterday by now if the test ran across midnight).
        foreach (var host in new[] { 0, 1 })
        {
            var statistics = await cluster.Api(host, owner).Usage.GetUsageStatisticsAsync(new GetUsageStatisticsRequest { WorkspaceId = workspace });
            var logs = statistics.Items.Single(i => i.Item == BillingItem.Logs);
            var sameDay = observedAt.ToOffset(TimeSpan.FromHours(8)).Date == DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).Date;
            Assert.Equal(33 * perBatch, sameDay ? logs.Today : logs.Yesterday);
        }
        cluster.AssertNoErrorsLogged();
    }

    /// <summary>One collector: its uploader, the invoker that moves it, and the highest sequence acknowledged to it.</summary>
    private sealed class Mover
    {
        private long _lastAcknowledged;

        public Mover(string workspaceId, string collectorId, int index, HostHoppingInvoker invoker, UsageUploader uploader)
        {
            (WorkspaceId, CollectorId, Index, Invoker, Uploader) = (workspaceId, collectorId, index, invoker, uploader);
            uploader.Acknowledged += ack =>
            {
                long seen;
                while ((seen = Interlocked.Read(ref _lastAcknowledged)) < ack.Sequence && Interlocked.CompareExchange(ref _lastAcknowledged, ack.Sequence, seen) != seen)
                {
                }
            };
        }

        public string WorkspaceId { get; }
        public string CollectorId { get; }
        public int Index { get; }
        public HostHoppingInvoker Invoker { get; }
        public UsageUploader Uploader { get; }
        public long LastAcknowledged => Interlocked.Read(ref _lastAcknowledged);
    }

    /// <summary>Record i of collector k: items in turn, quantities 1 to 13, observed 2 ms apart (distinct, rising).</summary>
    private static (BillingItem Item, long Quantity, DateTimeOffset ObservedAt) Generated(int k, int i, DateTimeOffset start) =>
        (Items[(i + k) % Items.Length], 1 + (i * 7L + k) % 13, start.AddTicks(i * 20_000L));

    private static Dictionary<(string, BillingItem, DateTimeOffset), long> Expected(IEnumerable<Mover> collectors, int records, DateTimeOffset start)
    {
        var expected = new Dictionary<(string, BillingItem, DateTimeOffset), long>();
        foreach (var m in collectors)
        {
            for (int i = 0; i < records; i++)
            {
                var (item, quantity, observedAt) = Generated(m.Index, i, start);
                // China 1 is UTC+8: its hours start on the UTC hour.
                var hour = new DateTimeOffset(observedAt.Year, observedAt.Month, observedAt.Day, observedAt.Hour, 0, 0, TimeSpan.Zero);
                var key = (m.CollectorId, item, hour);
                // Records rise in time, so the stock value observed last in an hour is the last one generated.
                expected[key] = item == BillingItem.TimeSeries ? quantity : expected.GetValueOrDefault(key) + quantity;
            }
        }
        return expected;
    }

    /// <summary>A new console user; returns its token.</summary>
    private static async Task<string> SignUpAsync(Api anonymous) =>
        (await anonymous.Identity.SignUpAsync(new SignUpRequest
        {
            Email = $"multi.{Guid.NewGuid():N}@example.com", Password = "correct horse battery", DisplayName = "Multi",
        })).Token;

    private static async Task<(string Id, string Token)> CommercialWorkspaceAsync(HostCluster cluster, int host, string owner)
    {
        var workspaces = cluster.Api(host, owner).Workspaces;
        var id = (await workspaces.CreateWorkspaceAsync(new CreateWorkspaceRequest
        {
            Name = $"Movers {host}", SiteCode = "cn1", ActivationChannel = ActivationChannel.OfficialWebsite,
        })).Workspace.WorkspaceId;
        var token = (await workspaces.CreateCollectorTokenAsync(new CreateCollectorTokenRequest { WorkspaceId = id, DisplayName = "movers" })).Token;
        // The generated records are observed from two minutes before the test's start on (Generated), so
        // the workspace must be commercial from before then: an upgrade through the API would start
        // billing only now and leave those minutes to the experience period. The instant is set here.
        await using var db = cluster.Database.NewContext();
        var updated = await db.Workspaces.Where(w => w.Id == id).ExecuteUpdateAsync(u => u
            .SetProperty(w => w.Plan, Guance.Billing.Workspaces.Plan.Commercial)
            .SetProperty(w => w.UpgradedAt, (DateTimeOffset?)DateTimeOffset.UtcNow.AddDays(-1))
            .SetProperty(w => w.Version, w => w.Version + 1));
        Assert.Equal(1, updated);
        return (id, token);
    }
}
