using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Grpc.Core;
using Grpc.Net.Client;
using Guance.Billing.V1;

namespace Guance.Billing.Benchmarks;

/// <summary>
/// The Release build of the host (built with this project) as a child process on a free loopback port
/// (plaintext HTTP/2) on the run's <see cref="BenchmarkDatabase"/>, so that benchmarks measure real
/// gRPC calls end to end, and the host's CPU time and peak memory can be read.
/// </summary>
public sealed class BenchmarkHost : IAsyncDisposable
{
    public const string OperatorToken = "gco_benchmark_operator_token_000000000001";

    private readonly Process _process;

    private BenchmarkHost(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    public Uri Address { get; }

    public int ProcessId => _process.Id;

    /// <summary>CPU time the host has used so far.</summary>
    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    /// <summary>Starts a host on <paramref name="database"/> with more settings (<c>--key=value</c>) and waits until it answers.</summary>
    public static Task<BenchmarkHost> StartAsync(BenchmarkDatabase database, params string[] settings) => StartAsync(null, database, settings);

    /// <summary>
    /// The same with another build of the host (<paramref name="hostDll"/>, e.g. the commit before a change built in a
    /// scratch clone), so that the old and the new host are measured by one command; null is this repository's build.
    /// </summary>
    public static Task<BenchmarkHost> StartAsync(string? hostDll, BenchmarkDatabase database, params string[] settings) =>
        StartAsync(hostDll, database, new Dictionary<string, string>(), settings);

    /// <summary>The same with environment variables for the host process (runtime settings such as <c>DOTNET_GCgen0size</c>).</summary>
    public static async Task<BenchmarkHost> StartAsync(string? hostDll, BenchmarkDatabase database, IReadOnlyDictionary<string, string> environment, params string[] settings)
    {
        var address = new Uri($"http://127.0.0.1:{FreePort()}");
        var start = StartInfo(hostDll ?? HostAssembly(), address, database, settings);
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        return await LaunchAsync(start, address);
    }

    /// <summary>
    /// The fleet's floor (<see cref="FloorHost"/>, this program's <c>floor-host</c> verb) as a child process, with the
    /// host's runtime settings that matter to a stream's cost (its tier-up threshold, no spinning of idle workers).
    /// </summary>
    public static Task<BenchmarkHost> StartFloorAsync()
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { typeof(BenchmarkHost).Assembly.Location, "floor-host", "--port", port.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["DOTNET_TC_CallCountThreshold"] = "3E8"; // hexadecimal: 1,000, as the host's runtimeconfig
        start.Environment["DOTNET_ThreadPool_UnfairSemaphoreSpinLimit"] = "0";
        return LaunchAsync(start, new Uri($"http://127.0.0.1:{port}"));
    }

    private static async Task<BenchmarkHost> LaunchAsync(ProcessStartInfo start, Uri address)
    {
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the host.");
        // Errors only, and not EF Core's failed-command events: EF logs the failures it expects and handles
        // as errors too (the history table of a new PostgreSQL database, npgsql/efcore.pg#3407).
        // The indented lines after a printed error (its message and exception) are printed with it.
        var failing = false;
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not { Length: > 0 } line)
            {
                return;
            }
            if (!char.IsWhiteSpace(line[0]))
            {
                failing = line.StartsWith("fail:", StringComparison.Ordinal) && !line.Contains("Microsoft.EntityFrameworkCore.Database.", StringComparison.Ordinal);
            }
            if (failing)
            {
                Console.Error.WriteLine("host: " + line);
            }
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { Length: > 0 } line) Console.Error.WriteLine("host: " + line); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var host = new BenchmarkHost(process, address);
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
            catch (RpcException) when (waited.Elapsed < TimeSpan.FromSeconds(120) && !process.HasExited)
            {
                await Task.Delay(100);
            }
        }
    }

    /// <summary>How to start the host <paramref name="hostDll"/> on <paramref name="address"/> and <paramref name="database"/>, with more settings.</summary>
    public static ProcessStartInfo StartInfo(string hostDll, Uri address, BenchmarkDatabase database, params string[] settings)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            // The content root, where appsettings.json (HTTP/2-only endpoints) lives.
            WorkingDirectory = Path.GetDirectoryName(hostDll)!,
        };
        foreach (var argument in new[] { hostDll, "--urls", address.ToString().TrimEnd('/'), "--Guance:Console:Url=", $"--Guance:OperatorToken={OperatorToken}",
                     "--Guance:Security:PasswordHashIterations=1000", "--Logging:LogLevel:Default=Warning" }
                 .Concat(database.HostSettings()).Concat(settings))
        {
            start.ArgumentList.Add(argument);
        }
        return start;
    }

    /// <summary>A channel to the host; several HTTP/2 connections when many calls are in flight.</summary>
    public GrpcChannel Channel(int maxSendMessageSize = 64 * 1024 * 1024) => GrpcChannel.ForAddress(Address, new GrpcChannelOptions
    {
        HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true },
        MaxSendMessageSize = maxSendMessageSize,
    });

    /// <summary>CPU time the host has used so far in the kernel (system calls: sockets, fsync), a part of <see cref="CpuTime"/>.</summary>
    public TimeSpan KernelCpuTime
    {
        get
        {
            _process.Refresh();
            return _process.PrivilegedProcessorTime;
        }
    }

    /// <summary>Peak resident memory of the host (VmHWM), in bytes.</summary>
    public long PeakMemoryBytes() => StatusBytes("VmHWM:");

    /// <summary>Resident memory of the host now (VmRSS), in bytes.</summary>
    public long ResidentBytes() => StatusBytes("VmRSS:");

    private long StatusBytes(string field)
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
            }
        }
        return 0;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            try
            {
                _process.Kill(entireProcessTree: true);
            }
            catch (Exception e) when (e is IOException or System.ComponentModel.Win32Exception)
            {
                // Finding the children reads /proc, which a process holding thousands of sockets may have no descriptor left for.
            }
            if (!_process.HasExited)
            {
                _process.Kill();
            }
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    /// <summary>The directory that holds Guance.Grpc.sln.</summary>
    public static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Guance.Grpc.sln")))
            {
                return directory.FullName;
            }
        }
        throw new DirectoryNotFoundException("Run the benchmarks from inside the repository.");
    }

    public static string HostAssembly()
    {
        var dll = Path.Combine(RepositoryRoot(), "src", "Guance.Billing.Host", "bin", "Release", "net10.0", "Guance.Billing.Host.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"Build the solution in Release first: dotnet build -c Release Guance.Grpc.sln ({dll} is missing).");
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
