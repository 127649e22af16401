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
/// --postgres as in the other benchmarks.
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
        await using var database = await BenchmarkDatabase.CreateAsync(BenchmarkDatabase.PostgresOption(args));
        Console.WriteLine($"startup: {runs} starts of {hostDll} on an existing {database.Engine} database; load average {LoadAverage()}");
        await using (await BenchmarkHost.StartAsync(database))
        {
            // The first start creates the schema; the timed ones find it current.
        }

        var trivial = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            trivial.Add(await TrivialProgramAsync());
        }
        var serving = new List<double>();
        var firstRpc = new List<double>();
        var cpu = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var (toServing, toRpc, cpuToServing) = await HostStartAsync(hostDll, database);
            serving.Add(toServing);
            firstRpc.Add(toRpc);
            cpu.Add(cpuToServing);
        }
        Console.WriteLine($"  trivial dotnet program, start to exit:    p50 {Median(trivial):F0} ms, max {trivial.Max():F0} ms");
        Console.WriteLine($"  host, start to health SERVING:           p50 {Median(serving):F0} ms, max {serving.Max():F0} ms (host CPU p50 {Median(cpu):F0} ms)");
        Console.WriteLine($"  host, start to the first answered RPC:   p50 {Median(firstRpc):F0} ms, max {firstRpc.Max():F0} ms");
        Console.WriteLine($"  ratio: host SERVING / trivial program = {Median(serving) / Median(trivial):F1} (p50); load average after {LoadAverage()}");
        return 0;
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
            using var channel = GrpcChannel.ForAddress(address);
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
