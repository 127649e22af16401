using System.Diagnostics;
using System.Globalization;

namespace Guance.Billing.Benchmarks;

/// <summary>
/// The web console in headless Chromium against the Release host on loopback. Seeds through the public
/// API (<see cref="ConsoleSeed"/>, on a simulated clock), then runs the host on the system clock with its
/// browser endpoint, once from the build output (what <c>dotnet run</c> serves) and once from a
/// <c>dotnet publish</c> (trimmed, brotli; done here unless <c>--published DIR</c> names one), and for each:
/// <c>--loads</c> first visits with an empty cache (a new browser context each) beside a warm second visit
/// (a second tab of the same context): requests, bytes on the wire and decoded (CDP Network events), time
/// to the sign-in form, and from the sign-in submit to the Billing overview's figures and to the usage
/// statistics. Then, on the last host, each page's gRPC-Web calls (<see cref="ConsoleTour"/>), p50/p95 per
/// RPC, idle (<c>--rounds</c> tours), at full ingestion (10 collectors flat out for <c>--seconds</c>, which
/// measures the capacity) and at half of that rate (<c>--rounds</c> tours), with the ratios.
/// </summary>
public static class ConsoleBenchmark
{
    public const string Description = "the web console in headless Chromium: first load (bytes, requests, time to the first page with data) cold and warm, build output and publish; each page's gRPC-Web calls p50/p95 idle and at half ingestion capacity";

    private const double FirstPageAimMs = 2_000, CallAimMs = 100;

    /// <summary>MapStaticAssets' setting that the host turns off for a build output (ConsoleHosting).</summary>
    private const string ReloadStaticAssets = "ReloadStaticAssetsAtRuntime";

    public static async Task<int> RunAsync(string[] args)
    {
        int rounds = 30, loads = 3, seconds = 20, days = 30, collectors = 10;
        string? published = null;
        var publish = true;
        var postgres = BenchmarkDatabase.PostgresOption(args);
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--postgres": i += i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? 1 : 0; break;
                case "--rounds": rounds = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--loads": loads = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--seconds": seconds = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--days": days = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--collectors": collectors = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--published": published = Path.GetFullPath(args[++i]); break;
                case "--no-publish": publish = false; break;
                default:
                    Console.Error.WriteLine("options: --rounds N (30 tours of the pages, idle and at half load) --loads N (3 first visits per build) --seconds S (20, the full-load phase) --days N (30 of history) --collectors C (10) --published DIR (a dotnet publish of the host; else one is made) --no-publish --postgres ADMIN_CONNECTION_STRING|start");
                    return 2;
            }
        }

        await using var database = await BenchmarkDatabase.CreateAsync(postgres);
        Console.WriteLine($"console: {database.Engine}, {Environment.ProcessorCount} cores, load average {ReadsBenchmark.LoadAverage()}");
        var seeding = Stopwatch.StartNew();
        var end = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        ConsoleSeed seed;
        await using (var seedingHost = await BenchmarkHost.StartAsync(database, "--Guance:Clock:Mode=Simulated", $"--Guance:Clock:Start={ConsoleSeed.StartOf(end, days):O}"))
        {
            seed = await ConsoleSeed.CreateAsync(seedingHost, end, days);
        }
        Console.WriteLine($"seeded through the API in {seeding.Elapsed.TotalSeconds:0.0} s: {days} days of usage every 3 hours (a report a day), daily bills, a recharge, a ticket, {(seed.MonthlyBillId is null ? "no" : "last month's")} monthly bill");

        // The build output as it was served before (MapStaticAssets' reload of changed files on: .wasm files sent
        // gzip-framed but uncompressed) is the baseline of the cut, measured beside it.
        var builds = new List<(string Name, string Dll, string Setting)>
        {
            ("build output, before: static-asset reload on", BenchmarkHost.HostAssembly(), $"--{ReloadStaticAssets}=true"),
            ("build output (dotnet run)", BenchmarkHost.HostAssembly(), ""),
        };
        if (published is not null || publish)
        {
            published ??= await PublishAsync(Path.Combine(database.Directory, "publish"));
            if ((await File.ReadAllTextAsync(Path.Combine(published, "wwwroot", "index.html"))).Contains("#[.{fingerprint}]", StringComparison.Ordinal))
            {
                Console.Error.WriteLine($"{published}/wwwroot/index.html still has its #[.{{fingerprint}}] placeholder: the console cannot start (see FillConsoleFingerprint in the host's project).");
                return 1;
            }
            builds.Add(("dotnet publish (trimmed, brotli)", Path.Combine(published, "Guance.Billing.Host.dll"), ""));
        }

        await using var browser = await ConsoleBrowser.LaunchAsync();
        Console.WriteLine();
        Console.WriteLine($"first load, {loads} visits each with an empty cache (median; bytes on the wire incl. headers, from CDP Network events), aim: first page with data < {FirstPageAimMs:N0} ms");
        for (var b = 0; b < builds.Count; b++)
        {
            var (name, dll, setting) = builds[b];
            var consoleUrl = new Uri($"http://127.0.0.1:{BenchmarkHost.FreePort()}/");
            var host = await BenchmarkHost.StartAsync(dll, database, [$"--Guance:Console:Url={consoleUrl.ToString().TrimEnd('/')}", .. setting.Length > 0 ? [setting] : Array.Empty<string>()]);
            try
            {
                await FirstLoadsAsync(browser, consoleUrl, seed, name, loads);
                if (b == builds.Count - 1)
                {
                    await DataCallsAsync(browser, host, consoleUrl, seed, rounds, seconds, collectors);
                }
            }
            finally
            {
                await host.DisposeAsync();
            }
        }
        Console.WriteLine($"load average {ReadsBenchmark.LoadAverage()}");
        return 0;
    }

    private static async Task FirstLoadsAsync(ConsoleBrowser browser, Uri consoleUrl, ConsoleSeed seed, string name, int loads)
    {
        // One visit first, not counted: the host's own first requests (JIT, file metadata) are not the browser's cost.
        await using (var warmUp = await browser.NewContextAsync(consoleUrl))
        {
            await ConsoleBrowser.VisitAsync(warmUp, seed);
        }
        var cold = new List<ConsoleBrowser.Visit>();
        var warm = new List<ConsoleBrowser.Visit>();
        for (var i = 0; i < loads; i++)
        {
            await using var context = await browser.NewContextAsync(consoleUrl);
            cold.Add(await ConsoleBrowser.VisitAsync(context, seed));
            warm.Add(await ConsoleBrowser.VisitAsync(context, seed));
        }
        Console.WriteLine($"  {name}");
        foreach (var (label, visits) in new[] { ("cold", cold), ("warm", warm) })
        {
            var first = visits[0];
            Console.WriteLine($"    {label}: to the sign-in form {Median(visits, v => v.ToSignIn),6:N0} ms ({first.AtSignIn.Requests} requests, {Mb(first.AtSignIn.Transferred)} on the wire, {Mb(first.AtSignIn.Decoded)} decoded, {first.AtSignIn.FromCache} from the cache)");
            Console.WriteLine($"          sign-in submit to the overview's figures {Median(visits, v => v.ToOverview),6:N0} ms, to the usage statistics {Median(visits, v => v.ToUsage),6:N0} ms; in all {first.Total.Requests} requests, {Mb(first.Total.Transferred)} on the wire, {Mb(first.Total.Decoded)} decoded");
        }
        Console.WriteLine($"    largest on the wire (cold): {string.Join(", ", cold[0].Total.Largest.Select(l => $"{Path.GetFileName(l.Url)} {Mb(l.Bytes)}"))}");
        Console.WriteLine($"    cold/warm ratio, sign-in form: {Median(cold, v => v.ToSignIn) / Median(warm, v => v.ToSignIn):0.0}; load average {ReadsBenchmark.LoadAverage()}");
    }

    private static async Task DataCallsAsync(ConsoleBrowser browser, BenchmarkHost host, Uri consoleUrl, ConsoleSeed seed, int rounds, int seconds, int collectors)
    {
        await using var context = await browser.NewContextAsync(consoleUrl);
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(120_000);
        var tour = new ConsoleTour(page, seed);
        await tour.SignInAsync();
        var steps = tour.Steps();
        var reads = steps.Select(s => s.Step).ToArray();
        // Warm-up tours (the host's JIT, the app's first renders), not counted.
        for (var i = 0; i < 2; i++)
        {
            foreach (var read in reads)
            {
                await read();
            }
        }

        // Idle: the same loop as under load, with no collectors.
        var idleCalls = tour.Calls = [];
        var quiet = new IngestionLoad(host, seed.CollectorToken, 0);
        var idle = await quiet.RunAsync(reads, TimeSpan.Zero, recordsPerSecond: null, rounds);
        var load = new IngestionLoad(host, seed.CollectorToken, collectors);
        var fullCalls = tour.Calls = [];
        var full = await load.RunAsync(reads, TimeSpan.FromSeconds(seconds), recordsPerSecond: null);
        var halfCalls = tour.Calls = [];
        var half = await load.RunAsync(reads, TimeSpan.Zero, full.RecordsPerSecond / 2, rounds);

        Console.WriteLine();
        Console.WriteLine($"data calls per RPC (gRPC-Web, browser Resource Timing), p50 / p95 ms, aim p95 < {CallAimMs:N0}; load: full {full.RecordsPerSecond:N0} records/s acked ({collectors} collectors flat out, {seconds} s), half {half.RecordsPerSecond:N0} records/s; {rounds} tours idle and at half");
        foreach (var rpc in idleCalls.Keys.Union(halfCalls.Keys).Order(StringComparer.Ordinal))
        {
            var i = Sorted(idleCalls, rpc);
            var h = Sorted(halfCalls, rpc);
            var f = Sorted(fullCalls, rpc);
            Console.WriteLine($"  {rpc,-52} idle {ReadsBenchmark.P(i, 0.5),6:0.0} / {ReadsBenchmark.P(i, 0.95),6:0.0}   half {ReadsBenchmark.P(h, 0.5),6:0.0} / {ReadsBenchmark.P(h, 0.95),6:0.0}   p95 half/idle {ReadsBenchmark.P(h, 0.95) / ReadsBenchmark.P(i, 0.95),4:0.0}x   full {ReadsBenchmark.P(f, 0.5),6:0.0} / {ReadsBenchmark.P(f, 0.95),6:0.0}   ({i.Count}/{h.Count}/{f.Count} calls)");
        }
        Console.WriteLine("pages, navigation to data shown, p50 / p95 ms");
        for (var s = 0; s < steps.Count; s++)
        {
            var (i, h) = (idle.Latencies[s], half.Latencies[s]);
            Console.WriteLine($"  {steps[s].Page,-36} idle {ReadsBenchmark.P(i, 0.5),6:0} / {ReadsBenchmark.P(i, 0.95),6:0}   half {ReadsBenchmark.P(h, 0.5),6:0} / {ReadsBenchmark.P(h, 0.95),6:0}   p95 half/idle {ReadsBenchmark.P(h, 0.95) / ReadsBenchmark.P(i, 0.95),4:0.0}x");
        }
    }

    private static async Task<string> PublishAsync(string directory)
    {
        var project = Path.Combine(BenchmarkHost.RepositoryRoot(), "src", "Guance.Billing.Host");
        Console.WriteLine($"dotnet publish {project} -c Release -o {directory} (minutes: the console is trimmed and compressed)");
        var started = Stopwatch.StartNew();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[] { "publish", project, "-c", "Release", "-o", directory, "-v", "quiet", "-nologo" })
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start dotnet publish.");
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException("dotnet publish failed:\n" + output);
        }
        Console.WriteLine($"published in {started.Elapsed.TotalSeconds:0} s");
        return directory;
    }

    private static List<double> Sorted(Dictionary<string, List<double>> calls, string rpc) =>
        calls.TryGetValue(rpc, out var list) ? [.. list.Order()] : [];

    private static double Median(List<ConsoleBrowser.Visit> visits, Func<ConsoleBrowser.Visit, double> time) =>
        ReadsBenchmark.P([.. visits.Select(time).Order()], 0.5);

    private static string Mb(long bytes) => bytes >= 1_000_000
        ? (bytes / 1_000_000.0).ToString("0.00 MB", CultureInfo.InvariantCulture)
        : (bytes / 1_000.0).ToString("0 kB", CultureInfo.InvariantCulture);
}
