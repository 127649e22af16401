using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Guance.Billing.Client.Usage;
using Guance.Billing.V1;
using Microsoft.Data.Sqlite;

namespace Guance.Billing.IntegrationTests.Usage;

/// <summary>
/// Exactly-once across host crashes: the host runs as a process and is killed with SIGKILL several
/// times while two collectors stream; each time it restarts on the same data, the collectors resume
/// from its marks, and in the end the totals equal exactly what was generated.
/// </summary>
public sealed class UsageCrashTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public async Task Totals_are_exact_after_the_host_is_killed_several_times_mid_stream()
    {
        var t0 = Stopwatch.GetTimestamp();
        await using var host = new CrashTestHost();
        await host.StartAsync();
        output.WriteLine($"started {Stopwatch.GetElapsedTime(t0)}");
        using var channel = GrpcChannel.ForAddress(host.Address);
        var (workspaceId, collector) = await host.CommercialWorkspaceAsync(channel);

        var uploaders = Enumerable.Range(1, 2).Select(n => new UsageUploader(collector, new UsageUploaderOptions
        {
            CollectorId = $"crash-{n}",
            SpoolDirectory = Path.Combine(host.DataDirectory, $"spool-{n}"),
            MaxRecordsPerBatch = 2_000,
            FlushInterval = TimeSpan.FromMilliseconds(50),
            MinBackoff = TimeSpan.FromMilliseconds(50),
            MaxBackoff = TimeSpan.FromMilliseconds(400),
        })).ToList();

        const int recordsPerCollector = 100_000;
        long expectedLogs = 0, expectedTraces = 0;
        for (int i = 0; i < recordsPerCollector; i++)
        {
            if (i % 4 == 3)
            {
                expectedTraces += 1 + i % 5;
            }
            else
            {
                expectedLogs += 1 + i % 5;
            }
        }
        expectedLogs *= uploaders.Count;
        expectedTraces *= uploaders.Count;

        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var pumps = uploaders.Select(u => u.RunAsync(stop.Token)).ToList();
        var producers = uploaders.Select(u => Task.Run(async () =>
        {
            var observedAt = DateTimeOffset.UtcNow;
            for (int i = 0; i < recordsPerCollector; i++)
            {
                await u.AddAsync(i % 4 == 3 ? BillingItem.ApmTrace : BillingItem.Logs, 1 + i % 5, observedAt, stop.Token);
            }
            await u.FlushAsync(stop.Token);
        })).ToList();

        // Kill the host three times, each when a random share of the records has been acknowledged.
        var random = new Random();
        var total = recordsPerCollector * uploaders.Count;
        var kills = 0;
        foreach (var share in new[] { 0.10 + random.NextDouble() * 0.15, 0.35 + random.NextDouble() * 0.15, 0.60 + random.NextDouble() * 0.15 })
        {
            while (uploaders.Sum(u => u.Statistics.RecordsAcknowledged) < share * total && !stop.IsCancellationRequested)
            {
                await Task.Delay(random.Next(1, 10));
            }
            host.Kill();
            kills++;
            await Task.Delay(random.Next(50, 300));
            await host.StartAsync();
            output.WriteLine($"restarted {Stopwatch.GetElapsedTime(t0)}");
        }
        await Task.WhenAll(producers);
        await Task.WhenAll(uploaders.Select(u => u.DrainAsync(stop.Token)));
        await stop.CancelAsync();
        await Task.WhenAll(pumps);
        output.WriteLine($"drained {Stopwatch.GetElapsedTime(t0)}");

        Assert.Equal(3, kills);
        Assert.All(uploaders, u => Assert.True(u.Statistics.Reconnects >= 3, $"{u.Statistics.Reconnects} reconnects"));
        Assert.Equal(total, uploaders.Sum(u => u.Statistics.RecordsAcknowledged));
        Assert.Equal(expectedLogs, await host.SumAsync(workspaceId, (int)BillingItem.Logs));
        Assert.Equal(expectedTraces, await host.SumAsync(workspaceId, (int)BillingItem.ApmTrace));
        Assert.All(uploaders, u => Assert.Equal(0, u.PendingBatches));
    }
}

/// <summary>A graceful stop (SIGTERM) ends the agents' streams with UNAVAILABLE HOST_STOPPING after answering what it took; nothing is lost.</summary>
public sealed class UsageGracefulStopTests
{
    [Fact]
    public async Task A_stopping_host_ends_streams_with_HOST_STOPPING_and_loses_nothing()
    {
        await using var host = new CrashTestHost();
        await host.StartAsync();
        using var channel = GrpcChannel.ForAddress(host.Address);
        var (workspaceId, collector) = await host.CommercialWorkspaceAsync(channel);
        var uploader = new UsageUploader(collector, new UsageUploaderOptions
        {
            CollectorId = "graceful-1",
            MaxRecordsPerBatch = 1_000,
            FlushInterval = TimeSpan.FromMilliseconds(50),
            MinBackoff = TimeSpan.FromMilliseconds(50),
            MaxBackoff = TimeSpan.FromMilliseconds(200),
        });
        var reasons = new List<string>();
        uploader.Disconnected += lost =>
        {
            if (lost.Error is RpcException rpc)
            {
                lock (reasons)
                {
                    reasons.Add($"{rpc.StatusCode} {rpc.GetRpcStatus()?.GetDetail<Google.Rpc.ErrorInfo>()?.Reason}");
                }
            }
        };
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var run = uploader.RunAsync(stop.Token);
        long expected = 0;
        var observedAt = DateTimeOffset.UtcNow;
        var produced = 0;
        for (; uploader.Statistics.RecordsAcknowledged < 20_000; produced++)
        {
            await uploader.AddAsync(BillingItem.Logs, 1 + produced % 7, observedAt, stop.Token);
            expected += 1 + produced % 7;
            if (produced % 1_000 == 999)
            {
                await Task.Delay(5);
            }
        }
        await host.TerminateAsync();
        for (int i = 0; i < 5_000; i++, produced++)
        {
            await uploader.AddAsync(BillingItem.Logs, 1 + produced % 7, observedAt, stop.Token);
            expected += 1 + produced % 7;
        }
        await host.StartAsync();
        await uploader.DrainAsync(stop.Token);
        await stop.CancelAsync();
        await run;

        lock (reasons)
        {
            Assert.Contains("Unavailable HOST_STOPPING", reasons);
        }
        Assert.Equal(expected, await host.SumAsync(workspaceId, (int)BillingItem.Logs));
    }
}

/// <summary>
/// The host as a separate process on a loopback port and its own data directory, started again on
/// the same port and data after <see cref="Kill"/> (SIGKILL). Minimal on purpose; a shared
/// HostProcess helper can replace it.
/// </summary>
public sealed class CrashTestHost : IAsyncDisposable
{
    private Process? _process;

    public CrashTestHost()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
    }

    public int Port { get; }
    public string Address => $"http://127.0.0.1:{Port}";
    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "guance-billing-tests", "crash-" + Guid.NewGuid().ToString("N"));
    private string DatabaseFile => Path.Combine(DataDirectory, "guance-billing.db");

    public async Task StartAsync()
    {
        Directory.CreateDirectory(DataDirectory);
        var dll = HostAssembly();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { dll, "--urls", Address, $"--Guance:DataDirectory={DataDirectory}", "--Guance:OperatorToken=gco_crash_test_operator_token_000001", "--Logging:LogLevel:Default=Warning" })
        {
            start.ArgumentList.Add(argument);
        }
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        using var channel = GrpcChannel.ForAddress(Address);
        var client = new UsageService.UsageServiceClient(channel);
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await client.ListBillingItemsAsync(new ListBillingItemsRequest(), deadline: DateTime.UtcNow.AddSeconds(2));
                return;
            }
            catch (RpcException) when (deadline.Elapsed < TimeSpan.FromSeconds(60) && !_process.HasExited)
            {
                await Task.Delay(100);
            }
        }
    }

    /// <summary>SIGKILL: no shutdown, no flush; whatever the host had not committed is gone.</summary>
    public void Kill()
    {
        _process?.Kill();
        _process?.WaitForExit();
        _process?.Dispose();
        _process = null;
    }

    /// <summary>SIGTERM: the host stops gracefully; waits until it has exited.</summary>
    public async Task TerminateAsync()
    {
        using (var kill = Process.Start("kill", ["-TERM", _process!.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }
        await _process.WaitForExitAsync();
        _process.Dispose();
        _process = null;
    }

    /// <summary>A user, a workspace made commercial (so that no experience quota stops a flood) and calls with its collector token.</summary>
    public async Task<(string WorkspaceId, CallInvoker Collector)> CommercialWorkspaceAsync(GrpcChannel channel)
    {
        var signUp = await new IdentityService.IdentityServiceClient(channel).SignUpAsync(new SignUpRequest
        {
            Email = $"crash.{Guid.NewGuid():N}@example.com", Password = "correct horse battery", DisplayName = "Crash",
        });
        var owner = new WorkspaceService.WorkspaceServiceClient(channel.CreateCallInvoker().Intercept(m => { m.Add("authorization", "Bearer " + signUp.Token); return m; }));
        var workspace = (await owner.CreateWorkspaceAsync(new CreateWorkspaceRequest
        {
            Name = "Crash", SiteCode = "cn1", ActivationChannel = ActivationChannel.OfficialWebsite,
        })).Workspace;
        var token = (await owner.CreateCollectorTokenAsync(new CreateCollectorTokenRequest { WorkspaceId = workspace.WorkspaceId, DisplayName = "agents" })).Token;
        // The upgrade RPC belongs to a later issue: set it in the database.
        await UpgradeAsync(workspace.WorkspaceId, DateTimeOffset.UtcNow.AddDays(-1));
        return (workspace.WorkspaceId, channel.CreateCallInvoker().Intercept(m => { m.Add("authorization", "Bearer " + token); return m; }));
    }

    public async Task UpgradeAsync(string workspaceId, DateTimeOffset at)
    {
        await using var connection = new SqliteConnection($"Data Source={DatabaseFile};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE workspaces SET plan = 2, upgraded_at = $at, version = version + 1 WHERE id = $id";
        command.Parameters.AddWithValue("$at", (at - DateTimeOffset.UnixEpoch).Ticks / 10);
        command.Parameters.AddWithValue("$id", workspaceId);
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }

    public async Task<long> SumAsync(string workspaceId, int item)
    {
        await using var connection = new SqliteConnection($"Data Source={DatabaseFile};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COALESCE(SUM(quantity), 0) FROM usage_points WHERE workspace_id = $id AND item = $item";
        command.Parameters.AddWithValue("$id", workspaceId);
        command.Parameters.AddWithValue("$item", item);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
        return ValueTask.CompletedTask;
    }

    /// <summary>The host built beside this test assembly's configuration (the test project references it).</summary>
    private static string HostAssembly()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        var configuration = directory.FullName.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Guance.Grpc.sln")))
        {
            directory = directory.Parent;
        }
        Assert.NotNull(directory);
        var dll = Path.Combine(directory.FullName, "src", "Guance.Billing.Host", "bin", configuration, "net10.0", "Guance.Billing.Host.dll");
        Assert.True(File.Exists(dll), $"The host is not built at {dll}.");
        return dll;
    }
}
