using System.Diagnostics;
using System.Net;
using Guance.Billing.Common;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.V1;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using static Guance.Billing.IntegrationTests.Usage.UsageTestKit;

namespace Guance.Billing.IntegrationTests.Hosting;

/// <summary>
/// What an operator sees through OpenTelemetry: a span per RPC naming the workspace, spans of the
/// day close, the usage counters, and the Prometheus scrape on the ops endpoint only. Spans and
/// meters are process-wide: a meter of the same name in another host feeds the same OpenTelemetry
/// stream, and disposing that host ends the stream under this one (the counter then lost this test's
/// records on a loaded run). So the class runs alone, and every assertion still picks this test's own
/// workspace, site-day or a lower bound of what it added.
/// </summary>
[Collection(MeasuredAloneCollection.Name)]
public sealed class TelemetryTests
{
    [Fact]
    public async Task An_rpc_and_a_day_close_produce_their_spans_and_the_usage_counters_move()
    {
        var spans = new ExportedItems<Activity>();
        var metrics = new ExportedItems<Metric>();
        using var host = new BillingHost
        {
            ConfigureServices = services => services
                .ConfigureOpenTelemetryTracerProvider(tracing => tracing.SetSampler(new AlwaysOnSampler()).AddInMemoryExporter(spans))
                .ConfigureOpenTelemetryMeterProvider(meters => meters.AddInMemoryExporter(metrics)),
        };
        var workspace = await host.CreateWorkspaceAsync();
        var collector = await host.CollectorAsync(workspace);
        var before = RecordsAccepted(host, metrics);

        var now = host.Clock.GetUtcNow();
        await collector.ReportAsync("otel-1", 1, Record(BillingItem.Logs, 10, now), Record(BillingItem.Logs, 20, now), Record(BillingItem.Triggers, 5, now));
        await workspace.Owner.Api.Usage.GetUsageStatisticsAsync(new GetUsageStatisticsRequest { WorkspaceId = workspace.Id });

        Assert.True(RecordsAccepted(host, metrics) - before >= 3, "guance.usage.records.accepted did not count the 3 records");
        {
            var statistics = await SingleSpanAsync(host, spans, s => s.Kind == ActivityKind.Server
                && (string?)s.GetTagItem(BillingTelemetry.WorkspaceAttribute) == workspace.Id
                && s.DisplayName.Contains("GetUsageStatistics"));
            Assert.Equal(ActivityStatusCode.Unset, statistics.Status);
        }

        // A site-day that no other test closes: 2031-03-06 on Europe 1.
        var day = new DateOnly(2031, 3, 6);
        host.Clock.SetUtcNow(new DateTimeOffset(2031, 3, 7, 12, 0, 0, TimeSpan.Zero));
        await host.CloseDayAsync("eu1", day);
        {
            var close = await SingleSpanAsync(host, spans, s => s.DisplayName == "day close"
                && (string?)s.GetTagItem(BillingTelemetry.SiteAttribute) == "eu1"
                && (string?)s.GetTagItem(BillingTelemetry.BillingDayAttribute) == "2031-03-06");
            Assert.Equal(BillingTelemetry.SourceName, close.Source.Name);
            var rpc = await SingleSpanAsync(host, spans, s => s.SpanId == close.ParentSpanId);
            Assert.Contains("CloseDay", rpc.DisplayName);
        }
    }

    [Fact]
    public async Task Metrics_are_scraped_on_the_ops_endpoint_and_not_on_the_grpc_port()
    {
        var options = new HostProcessOptions();
        options.Settings["Guance:Console:Url"] = "http://127.0.0.1:0";
        await using var host = await HostProcess.StartAsync(options);
        var ops = Assert.Single(host.ListeningAddresses, a => a != host.Address);

        using var http = new HttpClient();
        await host.Api().Workspaces.ListSitesAsync(new ListSitesRequest());
        var scrape = await http.GetAsync(new Uri(ops, "/metrics"));
        Assert.Equal(HttpStatusCode.OK, scrape.StatusCode);
        var text = await scrape.Content.ReadAsStringAsync();
        Assert.Contains("http_server_request_duration_seconds", text);
        Assert.Contains("dotnet_gc_collections", text);

        using var h2c = new HttpClient { DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
        var onGrpcPort = await h2c.GetAsync(new Uri(host.Address, "/metrics"));
        Assert.NotEqual(HttpStatusCode.OK, onGrpcPort.StatusCode);
    }

    private static long RecordsAccepted(BillingHost host, ExportedItems<Metric> metrics)
    {
        ForceFlush(host);
        var sum = 0L;
        foreach (var metric in metrics.Snapshot().Where(m => m.Name == "guance.usage.records.accepted"))
        {
            foreach (ref readonly var point in metric.GetMetricPoints())
            {
                sum = Math.Max(sum, point.GetSumLong());
            }
        }
        metrics.Clear();
        return sum;
    }

    /// <summary>
    /// What an in-memory exporter collected. Exporters add from their own threads, also for other test
    /// classes' hosts (sources and meters are process-wide), so every access takes one lock.
    /// </summary>
    private sealed class ExportedItems<T> : System.Collections.ObjectModel.Collection<T>
    {
        private readonly Lock _gate = new();

        public List<T> Snapshot()
        {
            lock (_gate)
            {
                return [.. Items];
            }
        }

        protected override void InsertItem(int index, T item)
        {
            lock (_gate)
            {
                base.InsertItem(index, item);
            }
        }

        protected override void ClearItems()
        {
            lock (_gate)
            {
                base.ClearItems();
            }
        }
    }

    /// <summary>
    /// The one exported span that matches, once it is there: the host ends a call's server span after the answer is
    /// sent, so the client can hold the answer before the span ends (a busy machine made that race visible).
    /// </summary>
    private static async Task<Activity> SingleSpanAsync(BillingHost host, ExportedItems<Activity> spans, Func<Activity, bool> match)
    {
        ForceFlush(host);
        for (var attempt = 0; attempt < 300 && !spans.Snapshot().Any(match); attempt++)
        {
            await Task.Delay(50);
            ForceFlush(host);
        }
        return Assert.Single(spans.Snapshot(), new Predicate<Activity>(match));
    }

    private static void ForceFlush(BillingHost host)
    {
        host.Services.GetRequiredService<TracerProvider>().ForceFlush();
        host.Services.GetRequiredService<MeterProvider>().ForceFlush();
    }
}
