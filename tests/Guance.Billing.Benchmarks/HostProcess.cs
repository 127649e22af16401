using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Grpc.Net.Client;
using Guance.Billing.V1;

namespace Guance.Billing.Benchmarks;

/// <summary>
/// The billing host as a child process on a free loopback port (plaintext HTTP/2), with its own
/// SQLite data directory, so that benchmarks measure real gRPC calls end to end.
/// </summary>
public sealed class HostProcess : IAsyncDisposable
{
    public const string OperatorToken = "gco_benchmark_operator_token_000000000001";

    private readonly Process _process;
    private readonly string _dataDirectory;

    private HostProcess(Process process, string dataDirectory, Uri address)
    {
        _process = process;
        _dataDirectory = dataDirectory;
        Address = address;
    }

    public Uri Address { get; }

    /// <summary>CPU time the host has used so far.</summary>
    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    /// <summary>Starts the Release build of the host (built with this program) and waits until it answers.</summary>
    public static async Task<HostProcess> StartAsync(params string[] settings)
    {
        var hostDll = FindHost();
        var dataDirectory = Path.Combine(Path.GetTempPath(), "guance-billing-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDirectory);
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            // The content root, where appsettings.json (HTTP/2-only endpoints) lives.
            WorkingDirectory = Path.GetDirectoryName(hostDll)!,
        };
        foreach (var argument in new[]
        {
            hostDll, "--urls", $"http://127.0.0.1:{port}",
            $"--Guance:DataDirectory={dataDirectory}", $"--Guance:OperatorToken={OperatorToken}",
            "--Guance:Security:PasswordHashIterations=1000", "--Logging:LogLevel:Default=Warning",
        }.Concat(settings))
        {
            start.ArgumentList.Add(argument);
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the host.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                Console.Error.WriteLine("host: " + e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var host = new HostProcess(process, dataDirectory, new Uri($"http://127.0.0.1:{port}"));
        using var channel = host.Channel();
        var client = new WorkspaceService.WorkspaceServiceClient(channel);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await client.ListSitesAsync(new ListSitesRequest());
                return host;
            }
            catch (Grpc.Core.RpcException) when (attempt < 300 && !process.HasExited)
            {
                await Task.Delay(100);
            }
        }
    }

    public GrpcChannel Channel() => GrpcChannel.ForAddress(Address, new GrpcChannelOptions
    {
        HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true },
    });

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static string FindHost()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Guance.Grpc.sln")))
            {
                var dll = Path.Combine(directory.FullName, "src", "Guance.Billing.Host", "bin", "Release", "net10.0", "Guance.Billing.Host.dll");
                return File.Exists(dll)
                    ? dll
                    : throw new FileNotFoundException($"Build the host first: dotnet build -c Release src/Guance.Billing.Host ({dll} is missing).");
            }
        }
        throw new DirectoryNotFoundException("Run the benchmark from inside the repository.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
