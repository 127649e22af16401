using System.Diagnostics;
using Grpc.Core;
using Grpc.Net.Client;
using Guance.Billing.V1;

namespace Guance.Billing.Benchmarks;

/// <summary>
/// How long a restarted host takes to serve: the Release host process is started <c>--runs</c> times
/// against a database that a first start already migrated, and each start is timed from process start
/// to the first <c>grpc.health.v1.Health/Check</c> that answers SERVING (the readiness probe), then to
/// the first answered RPC; with the host's CPU time until SERVING. The baseline, timed in the same run:
/// a trivial .NET program (this benchmark program printing its usage) from start to exit.
/// Options: --runs N (10), --host-dll PATH (another build of the host, e.g. a ReadyToRun publish),
/// --baseline-host-dll PATH (a build to compare with, e.g. the commit before a change: both are started
/// in turns in the same run and the ratios printed), --postgres as in the other benchmarks.
/// </summary>
public static class StartupBenchmark
{
    public const string Description = "a restarted host's time from process start to health SERVING, p50/max, beside a trivial dotnet program (SQLite or --postgres)";

    private static readonly Method<byte[], byte[]> HealthCheck = new(MethodType.Unary, "grpc.health.v1.Health", "Check",
        Marshallers.Create(b => b, b => b), Marshallers.Create(b => b, b => b));

    // HealthCheckResponse { status: SERVING (1) }: field 1, varint 1.
    private static readonly byte[] Serving = [0x08, 0x01];

    public static async Task<int> RunAsync(string[] args)
    {
        var runs = Math.Max(1, Option(args, "--runs", 10));
        var hostDll = OptionText(args, "--host-dll") is { } given ? Path.GetFullPath(given) : BenchmarkHost.HostAssembly();
        var baselineDll = OptionText(args, "--baseline-host-dll") is { } old ? Path.GetFullPath(old) : null;
        await using var database = await BenchmarkDatabase.CreateAsync(BenchmarkDatabase.PostgresOption(args));
        Console.WriteLine($"startup: {runs} starts of {hostDll}{(baselineDll is null ? "" : $" and of the baseline {baselineDll}, taking turns,")} on an existing {database.Engine} database; load average {LoadAverage()}");
        await using (await BenchmarkHost.StartAsync(database))
        {
            // The first start creates the schema; the timed ones find it current.
        }

        var trivial = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            trivial.Add(await TrivialProgramAsync());
        }
        var host = new Starts();
        var baseline = new Starts();
        for (var i = 0; i < runs; i++)
        {
            // Taking turns, so that both builds see the same load on a shared machine.
            if (baselineDll is not null)
            {
                baseline.Add(await HostStartAsync(baselineDll, database));
            }
            host.Add(await HostStartAsync(hostDll, database));
        }
        Console.WriteLine($"  trivial dotnet program, start to exit:    p50 {Median(trivial):F0} ms, max {trivial.Max():F0} ms");
        if (baselineDll is not null)
        {
            baseline.Print("baseline host", Median(trivial));
        }
        host.Print("host", Median(trivial));
        if (baselineDll is not null)
        {
            Console.WriteLine($"  host / baseline host (p50): SERVING {Median(host.Serving) / Median(baseline.Serving):F2}, CPU until SERVING {Median(host.Cpu) / Median(baseline.Cpu):F2}");
        }
        Console.WriteLine($"  load average after {LoadAverage()}");
        return 0;
    }

    private sealed class Starts
    {
        public List<double> Serving { get; } = [];
        public List<double> FirstRpc { get; } = [];
        public List<double> Cpu { get; } = [];

        public void Add((double Serving, double FirstRpc, double CpuToServing) start)
        {
            Serving.Add(start.Serving);
            FirstRpc.Add(start.FirstRpc);
            Cpu.Add(start.CpuToServing);
        }

        public void Print(string name, double trivial)
        {
            Console.WriteLine($"  {name}, start to health SERVING: p50 {Median(Serving):F0} ms, max {Serving.Max():F0} ms; host CPU until SERVING p50 {Median(Cpu):F0} ms, max {Cpu.Max():F0} ms");
            Console.WriteLine($"  {name}, start to the first answered RPC: p50 {Median(FirstRpc):F0} ms, max {FirstRpc.Max():F0} ms");
            Console.WriteLine($"  {name}: SERVING / trivial program = {Median(Serving) / trivial:F1} (p50)");
        }
    }

    private static async Task<double> TrivialProgramAsync()
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(typeof(StartupBenchmark).Assembly.Location);
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start dotnet.");
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return watch.Elapsed.TotalMilliseconds;
    }

    private static async Task<(double Serving, double FirstRpc, double CpuToServing)> HostStartAsync(string hostDll, BenchmarkDatabase database)
    {
        var address = new Uri($"http://127.0.0.1:{BenchmarkHost.FreePort()}");
        var start = BenchmarkHost.StartInfo(hostDll, address, database);
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the host.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { Length: > 0 } line) Console.Error.WriteLine("host: " + line); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            // Polled every 5 ms: without these, the client backs off 1 s, then 1.6 s, after each refused
            // connection, and the figure would be its back-off, not the host's start.
            using var channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions
            {
                InitialReconnectBackoff = TimeSpan.FromMilliseconds(5),
                MaxReconnectBackoff = TimeSpan.FromMilliseconds(5),
            });
            var invoker = channel.CreateCallInvoker();
            while (true)
            {
                if (process.HasExited || watch.Elapsed > TimeSpan.FromSeconds(120))
                {
                    throw new InvalidOperationException("The host did not become SERVING.");
                }
                try
                {
                    var answer = await invoker.AsyncUnaryCall(HealthCheck, null, new CallOptions(deadline: DateTime.UtcNow.AddSeconds(5)), []);
                    if (answer.AsSpan().SequenceEqual(Serving))
                    {
                        break;
                    }
                }
                catch (RpcException)
                {
                }
                await Task.Delay(5);
            }
            var serving = watch.Elapsed.TotalMilliseconds;
            process.Refresh();
            var cpu = process.TotalProcessorTime.TotalMilliseconds;
            await new UsageService.UsageServiceClient(channel).ListBillingItemsAsync(new ListBillingItemsRequest());
            return (serving, watch.Elapsed.TotalMilliseconds, cpu);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    private static string? OptionText(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }

    private static int Option(string[] args, string name, int fallback) =>
        int.TryParse(OptionText(args, name), System.Globalization.CultureInfo.InvariantCulture, out var value) ? value : fallback;
}
