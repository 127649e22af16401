using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Guance.Billing.V1;
using Google.Protobuf.WellKnownTypes;

namespace Guance.Billing.Benchmarks;

/// <summary>
/// Dashboard reads on a commercial workspace with 400 days of history (10 collectors, 11 items, hourly
/// points, a daily bill a day): GetUsageStatistics, ListUsagePoints hourly (7 days) and daily (30 days),
/// GetConsumptionSummary and ListDailyBills (this month) through gRPC, idle, at half and at full
/// ingestion load (10 collectors streaming into the same workspace: full = flat out, half = paced at
/// half the full rate), and the daily chart over 400 days idle. Baseline in the same run: the raw-point
/// queries the reads ran before the rollups (kept here only) beside the rollup queries, on one connection.
/// </summary>
public static class ReadsBenchmark
{
    public const string Description = "dashboard reads on 400 days of history, idle and under half/full ingestion (10 collectors); raw-point queries beside the rollup ones";

    internal static readonly BillingItem[] Items =
    [
        BillingItem.TimeSeries, BillingItem.Logs, BillingItem.BackupLogs, BillingItem.NetworkHosts, BillingItem.SessionReplay, BillingItem.ApmTrace,
        BillingItem.ApmProfile, BillingItem.RumPv, BillingItem.SyntheticTests, BillingItem.Triggers, BillingItem.Sms,
    ];

    // The reads' methods; the two ListUsagePoints reads share one.
    private static readonly string[] Routes = ["UsageService/GetUsageStatistics", "UsageService/ListUsagePoints", "SettlementService/GetConsumptionSummary", "SettlementService/ListDailyBills"];

    private static string Route(string method) => "/guance.billing.v1." + method;

    private static readonly string[] Reads = ["GetUsageStatistics", "ListUsagePoints hourly 7 d", "ListUsagePoints daily 30 d", "GetConsumptionSummary", "ListDailyBills month"];

    public static async Task<int> RunAsync(string[] args)
    {
        int days = 400, collectors = 10, calls = 300, seconds = 20, warmUp = 1_100;
        string? postgres = BenchmarkDatabase.PostgresOption(args);
        string? hostDll = null;
        var hostEnvironment = new Dictionary<string, string>();
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--postgres": i += i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? 1 : 0; break;
                case "--days": days = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--collectors": collectors = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--calls": calls = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--seconds": seconds = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--warm-up": warmUp = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--host": hostDll = Path.GetFullPath(args[++i]); break;
                case "--env": var (name, value) = AgentFleetBenchmark.Setting(args[++i]); hostEnvironment[name] = value; break;
                default:
                    Console.Error.WriteLine("options: --days N (400) --collectors C (10) --calls N (300, per read idle) --seconds S (20, per load phase) --warm-up N (1,100 calls of each read before timing) --host HOST_DLL (another build, e.g. main's copied aside) --env NAME=VALUE (the host's environment, e.g. DOTNET_gcServer=0) --postgres ADMIN_CONNECTION_STRING|start");
                    return 2;
            }
        }

        await using var database = await BenchmarkDatabase.CreateAsync(postgres);
        Console.WriteLine($"reads: {database.Engine}, {days} days of history x 24 hours x {Items.Length} items x {collectors} collectors, {Environment.ProcessorCount} cores, load average {LoadAverage()}");
        // The ops endpoint, for the host's own request durations (HostRequestDurations).
        var ops = new Uri($"http://127.0.0.1:{BenchmarkHost.FreePort()}");
        await using var host = await BenchmarkHost.StartAsync(hostDll, database, hostEnvironment, "--Guance:Usage:SqliteSynchronous=FULL", $"--Guance:Console:Url={ops}");
        var durations = new HostRequestDurations(ops);
        Console.WriteLine($"host {hostDll ?? "of this build"} (pid {host.ProcessId}){string.Concat(hostEnvironment.Select(e => $" {e.Key}={e.Value}"))}");
        using var channel = host.Channel();
        var signUp = await new IdentityService.IdentityServiceClient(channel).SignUpAsync(new SignUpRequest
        {
            Email = $"reads.{Guid.NewGuid():N}@example.com", Password = "correct horse battery", DisplayName = "Reads",
        });
        var owner = WithToken(channel, signUp.Token);
        var workspaces = new WorkspaceService.WorkspaceServiceClient(owner);
        var workspaceId = (await workspaces.CreateWorkspaceAsync(new CreateWorkspaceRequest { Name = "History", SiteCode = "cn1", ActivationChannel = ActivationChannel.OfficialWebsite })).Workspace.WorkspaceId;
        var token = (await workspaces.CreateCollectorTokenAsync(new CreateCollectorTokenRequest { WorkspaceId = workspaceId, DisplayName = "bench" })).Token;

        var seeding = Stopwatch.StartNew();
        var shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, shanghai).DateTime);
        var seeded = await ReadsHistory.SeedAsync(database, workspaceId, days, collectors, today, Items.Select(i => (int)i).ToArray());
        Console.WriteLine($"seeded {seeded:N0} points, their rollups and {days} daily bills in {seeding.Elapsed.TotalSeconds:0.0} s");

        var usage = new UsageService.UsageServiceClient(owner);
        var settlement = new SettlementService.SettlementServiceClient(owner);
        var now = DateTimeOffset.UtcNow;
        Func<Task>[] reads =
        [
            async () => await usage.GetUsageStatisticsAsync(new GetUsageStatisticsRequest { WorkspaceId = workspaceId }),
            async () => await usage.ListUsagePointsAsync(Points(workspaceId, UsagePointGranularity.Hourly, now.AddDays(-7), now)),
            async () => await usage.ListUsagePointsAsync(Points(workspaceId, UsagePointGranularity.Daily, now.AddDays(-30), now)),
            async () => await settlement.GetConsumptionSummaryAsync(new GetConsumptionSummaryRequest { WorkspaceId = workspaceId }),
            async () => await settlement.ListDailyBillsAsync(new ListDailyBillsRequest { WorkspaceId = workspaceId, Year = today.Year, Month = today.Month, PageSize = 100 }),
        ];
        List<double> idleChart = [];
        Func<Task> chart400 = async () => await usage.ListUsagePointsAsync(Points(workspaceId, UsagePointGranularity.Daily, now.AddDays(-399), now));

        // Warm-up, then idle. The host compiles a method again, optimized, after 1,000 calls (its runtimeconfig's
        // CallCountThreshold): each read is called past that first, so that the figures are a running host's.
        foreach (var read in reads.Append(chart400))
        {
            for (int i = 0; i < warmUp; i++)
            {
                await read();
            }
        }
        // Host CPU per call beside the latencies: on a machine shared with other builds the wall-clock
        // figures wait for a core, the CPU a call costs the host does not.
        var idle = new List<double>[reads.Length];
        var cpuPerCall = new double[reads.Length + 1];
        for (int r = 0; r <= reads.Length; r++)
        {
            var cpuBefore = host.CpuTime;
            var times = await TimeAsync(r < reads.Length ? reads[r] : chart400, calls);
            cpuPerCall[r] = (host.CpuTime - cpuBefore).TotalMicroseconds / calls;
            if (r < reads.Length)
            {
                idle[r] = times;
            }
            else
            {
                idleChart = times;
            }
        }

        Console.WriteLine();
        Console.WriteLine("baseline, the queries alone on one connection (idle): raw points (before) vs rollups (now), p50 / p99 ms");
        await using (var connection = await database.OpenAsync())
        {
            foreach (var (name, before, after) in ReadsQueries.Pairs(connection, workspaceId, today, now, await ReadsHistory.HasMonthlyConsumptionAsync(connection)))
            {
                for (int i = 0; i < 10; i++)
                {
                    await before();
                    await after();
                }
                var old = await TimeAsync(before, Math.Max(20, calls / 5));
                var rollup = await TimeAsync(after, calls);
                Console.WriteLine($"  {name,-28} raw {P(old, 0.50),7:0.00} / {P(old, 0.99),7:0.00}   rollups {P(rollup, 0.50),6:0.00} / {P(rollup, 0.99),6:0.00}   p99 ratio raw/rollups {P(old, 0.99) / P(rollup, 0.99),6:0.0}x");
            }
        }

        var load = new IngestionLoad(host, token, collectors);
        var beforeFull = await durations.ReadAsync();
        var full = await load.RunAsync(reads, TimeSpan.FromSeconds(seconds), recordsPerSecond: null);
        var afterFull = await durations.ReadAsync();
        var half = await load.RunAsync(reads, TimeSpan.FromSeconds(seconds), recordsPerSecond: full.RecordsPerSecond / 2);
        var afterHalf = await durations.ReadAsync();

        Console.WriteLine();
        Console.WriteLine($"gRPC reads, p50 / p99 ms (targets p99: idle 5, half 10, full 25); load: full {full.RecordsPerSecond:N0} records/s acked, half {half.RecordsPerSecond:N0} records/s");
        for (int r = 0; r < reads.Length; r++)
        {
            Console.WriteLine($"  {Reads[r],-28} idle {P(idle[r], 0.5),6:0.0} / {P(idle[r], 0.99),6:0.0}   host CPU {cpuPerCall[r],5:0} us/call   half {P(half.Latencies[r], 0.5),6:0.0} / {P(half.Latencies[r], 0.99),6:0.0}   full {P(full.Latencies[r], 0.5),6:0.0} / {P(full.Latencies[r], 0.99),6:0.0}   ({half.Latencies[r].Count}/{full.Latencies[r].Count} calls under load)");
        }
        Console.WriteLine($"  {"daily chart over 400 days",-28} idle {P(idleChart, 0.5),6:0.0} / {P(idleChart, 0.99),6:0.0}   host CPU {cpuPerCall[reads.Length],5:0} us/call   (target p99 20)");
        Console.WriteLine("the host's own time (its request-duration histogram), share of calls within 5 / 10 / 25 ms");
        foreach (var route in Routes)
        {
            Console.WriteLine($"  {route,-28} half {HostRequestDurations.Shares(afterFull, afterHalf, Route(route)),-28} full {HostRequestDurations.Shares(beforeFull, afterFull, Route(route))}");
        }
        var exact = await ReadsHistory.RollupsMatchPointsAsync(database, workspaceId);
        Console.WriteLine($"rollups equal the points after the run: {(exact ? "yes" : "NO")}; load average {LoadAverage()}");
        return exact ? 0 : 1;
    }

    private static ListUsagePointsRequest Points(string workspaceId, UsagePointGranularity granularity, DateTimeOffset start, DateTimeOffset end) => new()
    {
        WorkspaceId = workspaceId, Item = BillingItem.Logs, Granularity = granularity, PageSize = 1000,
        StartTime = Timestamp.FromDateTimeOffset(start), EndTime = Timestamp.FromDateTimeOffset(end),
    };

    private static async Task<List<double>> TimeAsync(Func<Task> call, int count)
    {
        var times = new List<double>(count);
        for (int i = 0; i < count; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await call();
            times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        times.Sort();
        return times;
    }

    internal static double P(List<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, Math.Max(0, (int)Math.Ceiling(p * sorted.Count) - 1))];

    internal static CallInvoker WithToken(GrpcChannel channel, string token) =>
        channel.CreateCallInvoker().Intercept(headers =>
        {
            headers.Add("authorization", "Bearer " + token);
            return headers;
        });

    internal static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";
}
