using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Guance.Billing.Client.Usage;
using Guance.Billing.V1;
using Guance.Billing.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

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
        await using var host = new RestartableHost();
        await host.StartAsync();
        output.WriteLine($"started {Stopwatch.GetElapsedTime(t0)}");
        using var channel = GrpcChannel.ForAddress(host.Address);
        var (workspaceId, collector) = await RestartableHost.CommercialWorkspaceAsync(channel);

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
            await host.KillAsync();
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
        await using var host = new RestartableHost();
        await host.StartAsync();
        using var channel = GrpcChannel.ForAddress(host.Address);
        var (workspaceId, collector) = await RestartableHost.CommercialWorkspaceAsync(channel);
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
            Assert.True(reasons.Contains("Unavailable HOST_STOPPING"), "The stream ended with: " + string.Join("; ", reasons));
        }
        Assert.Equal(expected, await host.SumAsync(workspaceId, (int)BillingItem.Logs));
    }
}

/// <summary>
/// The host as a process (the shared <see cref="HostProcess"/>) on a fixed loopback port and one test
/// database of this run's engine, so that it can be killed and started again where agents reconnect.
/// </summary>
public sealed class RestartableHost : IAsyncDisposable
{
    private HostProcess? _process;

    public RestartableHost()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
    }

    public TestDatabase Database { get; } = TestDatabase.Create();
    public int Port { get; }
    public string Address => $"http://127.0.0.1:{Port}";
    public string DataDirectory => Database.DataDirectory;

    public async Task StartAsync() =>
        _process = await HostProcess.StartAsync(new HostProcessOptions { Database = Database, Port = Port });

    /// <summary>SIGKILL: no shutdown, no flush; whatever the host had not committed is gone.</summary>
    public async Task KillAsync()
    {
        await _process!.KillAsync();
        await _process.DisposeAsync();
        _process = null;
    }

    /// <summary>SIGTERM: the host stops gracefully; returns when it has exited.</summary>
    public async Task TerminateAsync()
    {
        await _process!.StopAsync();
        await _process.DisposeAsync();
        _process = null;
    }

    /// <summary>A user, a workspace made commercial (so that no experience quota stops a flood) and calls with its collector token.</summary>
    public static async Task<(string WorkspaceId, CallInvoker Collector)> CommercialWorkspaceAsync(GrpcChannel channel)
    {
        var signUp = await new IdentityService.IdentityServiceClient(channel).SignUpAsync(new SignUpRequest
        {
            Email = $"crash.{Guid.NewGuid():N}@example.com", Password = "correct horse battery", DisplayName = "Crash",
        });
        var ownerCalls = channel.CreateCallInvoker().Intercept(m => { m.Add("authorization", "Bearer " + signUp.Token); return m; });
        var owner = new WorkspaceService.WorkspaceServiceClient(ownerCalls);
        var workspace = (await owner.CreateWorkspaceAsync(new CreateWorkspaceRequest
        {
            Name = "Crash", SiteCode = "cn1", ActivationChannel = ActivationChannel.OfficialWebsite,
        })).Workspace;
        var token = (await owner.CreateCollectorTokenAsync(new CreateCollectorTokenRequest { WorkspaceId = workspace.WorkspaceId, DisplayName = "agents" })).Token;
        // Upgraded through the API, as an Owner does: the records of the tests are observed after this instant.
        var payer = await new BillingAccountService.BillingAccountServiceClient(channel).RegisterBillingAccountAsync(new RegisterBillingAccountRequest
        {
            Username = $"crash-{Guid.NewGuid():N}"[..24], Password = "correct horse battery", Email = $"crash.{Guid.NewGuid():N}@example.com",
        });
        var session = new BillingAccountService.BillingAccountServiceClient(channel.CreateCallInvoker().Intercept(m => { m.Add("authorization", "Bearer " + payer.Token); return m; }));
        var code = (await session.CreateBindingCodeAsync(new CreateBindingCodeRequest { BillingAccountId = payer.BillingAccount.BillingAccountId })).BindingCode;
        await new SettlementService.SettlementServiceClient(ownerCalls).UpgradeToCommercialAsync(new UpgradeToCommercialRequest { WorkspaceId = workspace.WorkspaceId, BindingCode = code });
        return (workspace.WorkspaceId, channel.CreateCallInvoker().Intercept(m => { m.Add("authorization", "Bearer " + token); return m; }));
    }

    public async Task<long> SumAsync(string workspaceId, int item)
    {
        await using var db = Database.NewContext();
        return await db.UsagePoints.Where(p => p.WorkspaceId == workspaceId && p.Item == (Guance.Billing.Usage.BillingItem)item).SumAsync(p => p.Quantity);
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }
        Database.Dispose();
    }
}
