using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Health.V1;
using Grpc.Net.Client;

namespace Guance.Billing.IntegrationTests.Infrastructure;

/// <summary>
/// The built host run as its own process (<c>dotnet Guance.Billing.Host.dll</c>) on a loopback port,
/// for what only a process boundary shows: real HTTP/2 for reflection clients, restarts on the same
/// data, signals (SIGTERM for a graceful stop, SIGKILL for a crash). Everything the host writes to
/// stdout and stderr is kept for assertions and for the message of a failure.
/// </summary>
public sealed partial class HostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly TemporaryDirectory? _ownedDataDirectory;
    private readonly List<string> _output = new();
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Found)> _waiters = new();
    private readonly List<GrpcChannel> _channels = new();
    private readonly TaskCompletionSource _outputClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _openStreams = 2;

    private HostProcess(HostProcessOptions options)
    {
        if (options.DataDirectory is null && options.Database is null)
        {
            _ownedDataDirectory = new TemporaryDirectory("host-data");
        }
        DataDirectory = options.Database?.DataDirectory ?? options.DataDirectory ?? _ownedDataDirectory!.Path;
        Directory.CreateDirectory(DataDirectory);
        OperatorToken = options.OperatorToken;

        var start = new ProcessStartInfo(Repository.Dotnet)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = DataDirectory,
        };
        start.ArgumentList.Add(Repository.HostAssembly);
        start.ArgumentList.Add($"--urls=http://127.0.0.1:{options.Port}");
        start.ArgumentList.Add($"--Guance:DataDirectory={DataDirectory}");
        if (options.OperatorToken is not null)
        {
            start.ArgumentList.Add($"--Guance:OperatorToken={options.OperatorToken}");
        }
        // No ops endpoint unless a test asks for one: many hosts run at once and 8080 is one port.
        start.ArgumentList.Add("--Guance:Console:Url=");
        // The helper learns the port from the "Now listening on" line, whatever else a test sets.
        start.ArgumentList.Add("--Logging:LogLevel:Microsoft.Hosting.Lifetime=Information");
        // The tests' webhook receivers listen on loopback.
        start.ArgumentList.Add("--Guance:Notifications:WebhookLoopback=true");
        foreach (var (key, value) in options.Database?.Settings ?? new Dictionary<string, string?>())
        {
            if (value is not null && key != "Guance:DataDirectory")
            {
                start.ArgumentList.Add($"--{key}={value}");
            }
        }
        foreach (var (key, value) in options.Settings)
        {
            start.ArgumentList.Add($"--{key}={value}");
        }

        // Nothing of the test run's own configuration leaks into the host.
        foreach (var name in start.Environment.Keys.ToList())
        {
            if (name.StartsWith("Guance__", StringComparison.OrdinalIgnoreCase)
                || name is "ASPNETCORE_URLS" or "DOTNET_URLS" or "ASPNETCORE_ENVIRONMENT" or "DOTNET_ENVIRONMENT")
            {
                start.Environment.Remove(name);
            }
        }
        foreach (var (name, value) in options.Environment)
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) => OnOutput(e.Data);
        _process.ErrorDataReceived += (_, e) => OnOutput(e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>The data directory the host runs on.</summary>
    public string DataDirectory { get; }

    /// <summary>The operator token it was configured with; null when it generated its own.</summary>
    public string? OperatorToken { get; }

    /// <summary>Where it listens, for example <c>http://127.0.0.1:41235</c> (known once it serves).</summary>
    public Uri Address { get; private set; } = new("http://127.0.0.1");

    /// <summary>Every address the host listens on (the gRPC endpoint first, then the ops endpoint if on).</summary>
    public IReadOnlyList<Uri> ListeningAddresses =>
        OutputLines.Select(line => ListeningLine().Match(line)).Where(m => m.Success).Select(m => new Uri(m.Groups["address"].Value)).ToList();

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Every line written so far, stdout and stderr interleaved as they arrived.</summary>
    public IReadOnlyList<string> OutputLines
    {
        get
        {
            lock (_output)
            {
                return _output.ToList();
            }
        }
    }

    public string Output => string.Join('\n', OutputLines);

    /// <summary>Starts the host and waits until its gRPC health check says SERVING.</summary>
    public static async Task<HostProcess> StartAsync(HostProcessOptions? options = null)
    {
        options ??= new HostProcessOptions();
        var host = new HostProcess(options);
        try
        {
            await host.WaitUntilServingAsync(options.StartTimeout);
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    /// <summary>Clients of every service over a real HTTP/2 connection, calling with the token (none for anonymous).</summary>
    public Api Api(string? token = null)
    {
        CallInvoker invoker = Channel().CreateCallInvoker();
        if (token is not null)
        {
            invoker = invoker.Intercept(metadata =>
            {
                metadata.Add("authorization", "Bearer " + token);
                return metadata;
            });
        }
        return new Api(invoker);
    }

    /// <summary>Clients that call as the configured operator.</summary>
    public Api Operator => Api(OperatorToken ?? throw new InvalidOperationException("This host generated its own operator token."));

    public Health.HealthClient Health() => new(Channel());

    /// <summary>The first line (already written or still to come) that matches; fails if the host exits first.</summary>
    public async Task<string> WaitForOutputAsync(Func<string, bool> match, TimeSpan timeout)
    {
        var found = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_output)
        {
            var line = _output.FirstOrDefault(match);
            if (line is not null)
            {
                return line;
            }
            if (_openStreams == 0)
            {
                throw new InvalidOperationException($"The host exited before writing the expected line.\n{Output}");
            }
            _waiters.Add((match, found));
        }
        try
        {
            return await found.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"The host did not write the expected line within {timeout}.\n{Output}");
        }
    }

    /// <summary>Waits for the listening address, then polls grpc.health.v1.Health/Check until SERVING.</summary>
    public async Task WaitUntilServingAsync(TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        var listening = await WaitForOutputAsync(line => ListeningLine().IsMatch(line), timeout);
        Address = new Uri(ListeningLine().Match(listening).Groups["address"].Value);

        var health = Health();
        while (true)
        {
            if (HasExited)
            {
                throw new InvalidOperationException($"The host exited with code {ExitCode} before it served.\n{Output}");
            }
            try
            {
                var reply = await health.CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(5));
                if (reply.Status == HealthCheckResponse.Types.ServingStatus.Serving)
                {
                    return;
                }
            }
            catch (RpcException) when (deadline.Elapsed < timeout)
            {
            }
            if (deadline.Elapsed >= timeout)
            {
                throw new TimeoutException($"The host did not say SERVING within {timeout}.\n{Output}");
            }
            await Task.Delay(100);
        }
    }

    /// <summary>
    /// Sends SIGTERM (a graceful stop: in-flight calls finish) and waits for the exit; returns the exit code. A host
    /// that was sent SIGTERM already is not sent another: arriving late in its shutdown, after the host has
    /// unregistered its handler, a second one would end it with the signal's default action (exit code 143).
    /// </summary>
    public async Task<int> StopAsync(TimeSpan? timeout = null)
    {
        if (!HasExited && Volatile.Read(ref _terminating) == 0)
        {
            Signal(Sigterm);
        }
        return await WaitForExitAsync(timeout ?? TimeSpan.FromSeconds(60));
    }

    /// <summary>Sends SIGKILL: the host dies at once, as in a crash.</summary>
    public async Task KillAsync()
    {
        if (!HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
        await WaitForExitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>Sends a POSIX signal to the host (SIGTERM is 15, SIGKILL 9, SIGINT 2).</summary>
    public void Signal(int signal)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("Signals need Linux or macOS.");
        }
        if (signal == Sigterm)
        {
            Volatile.Write(ref _terminating, 1);
        }
        if (SendSignal(_process.Id, signal) != 0)
        {
            throw new InvalidOperationException($"kill({_process.Id}, {signal}) failed with errno {Marshal.GetLastPInvokeError()}.");
        }
    }

    // Whether SIGTERM was sent (1) or not (0).
    private int _terminating;

    public const int Sigterm = 15;

    public async ValueTask DisposeAsync()
    {
        if (!HasExited)
        {
            await KillAsync();
        }
        lock (_channels)
        {
            _channels.ForEach(c => c.Dispose());
        }
        _process.Dispose();
        _ownedDataDirectory?.Dispose();
    }

    private async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
            await _outputClosed.Task.WaitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The host did not exit within {timeout}; it was killed.\n{Output}");
        }
        return _process.ExitCode;
    }

    private GrpcChannel Channel()
    {
        var channel = GrpcChannel.ForAddress(Address);
        lock (_channels)
        {
            _channels.Add(channel);
        }
        return channel;
    }

    private void OnOutput(string? line)
    {
        List<TaskCompletionSource<string>> found = new();
        List<TaskCompletionSource<string>> orphaned = new();
        lock (_output)
        {
            if (line is null)
            {
                if (--_openStreams == 0)
                {
                    orphaned.AddRange(_waiters.Select(w => w.Found));
                    _waiters.Clear();
                }
            }
            else
            {
                _output.Add(line);
                foreach (var waiter in _waiters.Where(w => w.Match(line)).ToList())
                {
                    _waiters.Remove(waiter);
                    found.Add(waiter.Found);
                }
            }
        }
        found.ForEach(f => f.TrySetResult(line!));
        if (orphaned.Count > 0 || (line is null && Volatile.Read(ref _openStreams) == 0))
        {
            var exited = new InvalidOperationException($"The host exited before writing the expected line.\n{Output}");
            orphaned.ForEach(o => o.TrySetException(exited));
            _outputClosed.TrySetResult();
        }
    }

    [GeneratedRegex(@"Now listening on: (?<address>http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningLine();

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);
}
