using System.Diagnostics;
using System.Globalization;
using Grpc.Core;
using Grpc.Net.Client;
using Guance.Billing.V1;

namespace Guance.Billing.Benchmarks;

/// <summary>The host as a separate process on a loopback port (so that its memory can be read), built by this project's reference.</summary>
public sealed class BenchmarkHost : IAsyncDisposable
{
    private readonly Process _process;

    private BenchmarkHost(Process process, string address, string dataDirectory)
    {
        _process = process;
        Address = address;
        DataDirectory = dataDirectory;
    }

    public string Address { get; }
    public string DataDirectory { get; }
    public string DatabaseFile => Path.Combine(DataDirectory, "guance-billing.db");
    public int ProcessId => _process.Id;

    public static async Task<BenchmarkHost> StartAsync(int port, string dataDirectory, IEnumerable<string> extraArguments)
    {
        var dll = HostAssembly();
        var address = $"http://127.0.0.1:{port}";
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { dll, "--urls", address, $"--Guance:DataDirectory={dataDirectory}", "--Logging:LogLevel:Default=Warning" }.Concat(extraArguments))
        {
            start.ArgumentList.Add(argument);
        }
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is { Length: > 0 } line && line.Contains("fail", StringComparison.Ordinal)) Console.Error.WriteLine("host: " + line); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { Length: > 0 } line) Console.Error.WriteLine("host: " + line); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var host = new BenchmarkHost(process, address, dataDirectory);
        using var channel = GrpcChannel.ForAddress(address);
        var client = new UsageService.UsageServiceClient(channel);
        var waited = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await client.ListBillingItemsAsync(new ListBillingItemsRequest(), deadline: DateTime.UtcNow.AddSeconds(2));
                return host;
            }
            catch (RpcException) when (waited.Elapsed < TimeSpan.FromSeconds(90) && !process.HasExited)
            {
                await Task.Delay(100);
            }
        }
    }

    /// <summary>Peak resident memory of the host (VmHWM), in bytes.</summary>
    public long PeakMemoryBytes()
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
            }
        }
        return 0;
    }

    /// <summary>CPU time the host has used so far.</summary>
    public TimeSpan CpuTime()
    {
        _process.Refresh();
        return _process.TotalProcessorTime;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    private static string HostAssembly()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        var configuration = directory.FullName.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}") ? "Debug" : "Release";
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Guance.Grpc.sln")))
        {
            directory = directory.Parent;
        }
        var dll = directory is null ? "" : Path.Combine(directory.FullName, "src", "Guance.Billing.Host", "bin", configuration, "net10.0", "Guance.Billing.Host.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"The host is not built at '{dll}'; build the solution in {configuration} first.");
    }
}
