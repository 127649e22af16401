using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Grpc.Core;
using Guance.Billing.Client;
using Guance.Billing.V1;

namespace Guance.Billing.IntegrationTests.Infrastructure;

/// <summary>
/// The built host run as a process (<c>dotnet Guance.Billing.Host.dll</c>) on a free loopback port,
/// with its own data directory and operator token, for tests where the process boundary matters
/// (the CLI). Minimal on purpose: a shared HostProcess helper can replace it with no change to the
/// tests beyond the type name.
/// </summary>
public sealed class LoopbackHostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private LoopbackHostProcess(Process process, Uri address, string dataDirectory, string operatorToken)
    {
        _process = process;
        Address = address;
        DataDirectory = dataDirectory;
        OperatorToken = operatorToken;
    }

    public Uri Address { get; }

    public string DataDirectory { get; }

    public string OperatorToken { get; }

    /// <summary>What the host wrote to standard output and error so far, for failure messages.</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    public static async Task<LoopbackHostProcess> StartAsync()
    {
        var port = FreePort();
        var address = new Uri($"http://127.0.0.1:{port}");
        var dataDirectory = Path.Combine(Path.GetTempPath(), "guance-billing-tests", "process-" + Guid.NewGuid().ToString("N"));
        var operatorToken = "gco_process_tests_" + Guid.NewGuid().ToString("N");
        var hostDirectory = AppContext.BaseDirectory;
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = hostDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
                 {
                     Path.Combine(hostDirectory, "Guance.Billing.Host.dll"),
                     "--urls", address.ToString().TrimEnd('/'),
                     "--Guance:DataDirectory=" + dataDirectory,
                     "--Guance:OperatorToken=" + operatorToken,
                     "--Guance:Security:PasswordHashIterations=1000",
                     "--Logging:LogLevel:Default=Warning",
                 })
        {
            start.ArgumentList.Add(argument);
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var host = new LoopbackHostProcess(process, address, dataDirectory, operatorToken);
        process.OutputDataReceived += (_, e) => host.Append(e.Data);
        process.ErrorDataReceived += (_, e) => host.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await host.WaitUntilServingAsync();
        return host;
    }

    private async Task WaitUntilServingAsync()
    {
        using var client = new GuanceBillingClient(new GuanceBillingClientOptions { Address = Address, Retry = null, DefaultDeadline = TimeSpan.FromSeconds(2) });
        var giveUp = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The host exited with code {_process.ExitCode} before serving:\n{Log}");
            }
            try
            {
                await client.Workspaces.ListSitesAsync(new ListSitesRequest());
                return;
            }
            catch (RpcException) when (DateTime.UtcNow < giveUp)
            {
                await Task.Delay(100);
            }
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_log)
        {
            _log.AppendLine(line);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
        await _process.WaitForExitAsync();
        _process.Dispose();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
