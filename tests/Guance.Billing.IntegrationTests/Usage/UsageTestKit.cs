using System.Diagnostics.Metrics;
using Timestamp = Google.Protobuf.WellKnownTypes.Timestamp;
using Grpc.Core;
using Guance.Billing.Data;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.V1;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Guance.Billing.Common;
using Npgsql;

namespace Guance.Billing.IntegrationTests.Usage;

/// <summary>Helpers of the usage tests: collector tokens, records, streams, and direct database tweaks.</summary>
public static class UsageTestKit
{
    public static UsageRecord Record(BillingItem item, long quantity, DateTimeOffset observedAt) =>
        new() { Item = item, Quantity = quantity, ObservedAt = Timestamp.FromDateTimeOffset(observedAt) };

    /// <summary>A collector token of the workspace and clients that call with it.</summary>
    public static async Task<Api> CollectorAsync(this BillingHost host, TestWorkspace workspace, string name = "agents")
    {
        var created = await workspace.Owner.Api.Workspaces.CreateCollectorTokenAsync(new CreateCollectorTokenRequest { WorkspaceId = workspace.Id, DisplayName = name });
        return host.Api(created.Token);
    }

    public static async Task<(Api Api, string TokenId)> CollectorWithIdAsync(this BillingHost host, TestWorkspace workspace)
    {
        var created = await workspace.Owner.Api.Workspaces.CreateCollectorTokenAsync(new CreateCollectorTokenRequest { WorkspaceId = workspace.Id, DisplayName = "agents" });
        return (host.Api(created.Token), created.CollectorToken.CollectorTokenId);
    }

    public static Task<ReportUsageResponse> ReportAsync(this Api collector, string collectorId, long sequence, params UsageRecord[] records)
    {
        var request = new ReportUsageRequest { CollectorId = collectorId, Sequence = sequence };
        request.Records.Add(records);
        return collector.Usage.ReportUsageAsync(request).ResponseAsync;
    }

    public static async Task<Dictionary<BillingItem, ItemUsageStatistics>> StatisticsAsync(this TestWorkspace workspace)
    {
        var response = await workspace.Owner.Api.Usage.GetUsageStatisticsAsync(new GetUsageStatisticsRequest { WorkspaceId = workspace.Id });
        return response.Items.ToDictionary(i => i.Item);
    }

    public static async Task<List<UsagePoint>> PointsAsync(this TestWorkspace workspace, BillingItem item, UsagePointGranularity granularity, DateTimeOffset start, DateTimeOffset end)
    {
        var response = await workspace.Owner.Api.Usage.ListUsagePointsAsync(new ListUsagePointsRequest
        {
            WorkspaceId = workspace.Id, Item = item, Granularity = granularity,
            StartTime = Timestamp.FromDateTimeOffset(start), EndTime = Timestamp.FromDateTimeOffset(end), PageSize = 1000,
        });
        return response.Points.ToList();
    }

    /// <summary>Listens to this host's usage meter only: other test classes run hosts in the same process at the same time.</summary>
    public static (MeterListener Listener, List<(string Instrument, double Value, string? Tag)> Measurements) ListenToUsageMeter(this BillingHost host) =>
        host.ListenToMeter(Guance.Billing.Usage.UsageMetrics.MeterName);

    public static string DatabaseFile(this BillingHost host) => Path.Combine(host.DataDirectory, DatabaseSetup.SqliteFileName);

    /// <summary>Blocks the host's usage writer until released: SQLite's write lock, or on PostgreSQL a lock on the collectors' marks.</summary>
    public static async Task<IAsyncDisposable> HoldWriteLockAsync(this BillingHost host)
    {
        if (host.Database.Provider == DatabaseProvider.Postgres)
        {
            var postgres = new NpgsqlConnection(host.Database.ConnectionString);
            await postgres.OpenAsync();
            var locked = await postgres.BeginTransactionAsync();
            await using (var command = new NpgsqlCommand("LOCK TABLE usage_collectors IN EXCLUSIVE MODE", postgres, locked))
            {
                await command.ExecuteNonQueryAsync();
            }
            return new Releaser(async () =>
            {
                await locked.RollbackAsync();
                await postgres.DisposeAsync();
            });
        }
        var connection = new SqliteConnection($"Data Source={host.DatabaseFile()};Pooling=False");
        await connection.OpenAsync();
        var transaction = connection.BeginTransaction(deferred: false);
        await using (var touch = connection.CreateCommand())
        {
            touch.Transaction = transaction;
            touch.CommandText = "UPDATE usage_collectors SET last_committed_at = last_committed_at WHERE 0";
            await touch.ExecuteNonQueryAsync();
        }
        return new Releaser(async () =>
        {
            await transaction.RollbackAsync();
            await connection.DisposeAsync();
        });
    }

    /// <summary>Database commands of the host give up after a second (a lock held longer fails the writer's commit).</summary>
    public static void WithOneSecondDatabaseTimeout(this BillingHost host) =>
        host.Settings["Guance:Database:ConnectionString"] = host.Database.Provider == DatabaseProvider.Postgres
            ? new NpgsqlConnectionStringBuilder(host.Database.ConnectionString) { CommandTimeout = 1 }.ToString()
            : $"Data Source={host.DatabaseFile()};Default Timeout=1";

    private sealed class Releaser(Func<Task> release) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await release();
    }
}

/// <summary>A StreamUsage call driven by hand: open, send batches, read the answers.</summary>
public sealed class UsageStream : IAsyncDisposable
{
    private readonly AsyncDuplexStreamingCall<StreamUsageRequest, StreamUsageResponse> _call;

    public UsageStream(Api collector)
    {
        _call = collector.Usage.StreamUsage();
    }

    public static async Task<(UsageStream Stream, UsageStreamOpened Opened)> OpenAsync(Api collector, string collectorId)
    {
        var stream = new UsageStream(collector);
        await stream._call.RequestStream.WriteAsync(new StreamUsageRequest { Open = new UsageStreamOpen { CollectorId = collectorId } });
        var first = await stream.NextAsync();
        Assert.Equal(StreamUsageResponse.KindOneofCase.Opened, first.KindCase);
        return (stream, first.Opened);
    }

    public Task WriteAsync(StreamUsageRequest request) => _call.RequestStream.WriteAsync(request);

    public Task SendAsync(long sequence, params UsageRecord[] records)
    {
        var batch = new UsageBatch { Sequence = sequence };
        batch.Records.Add(records);
        return _call.RequestStream.WriteAsync(new StreamUsageRequest { Batch = batch });
    }

    /// <summary>The next answer; fails the test when none comes within the timeout.</summary>
    public async Task<StreamUsageResponse> NextAsync(int timeoutMs = 15_000)
    {
        using var timeout = new CancellationTokenSource(timeoutMs);
        Assert.True(await _call.ResponseStream.MoveNext(timeout.Token), "The stream ended instead of answering.");
        return _call.ResponseStream.Current;
    }

    public async Task<UsageBatchAck> AckAsync()
    {
        var next = await NextAsync();
        Assert.True(next.KindCase == StreamUsageResponse.KindOneofCase.Ack, $"Expected an ack but got {next}");
        return next.Ack;
    }

    public async Task<UsageBatchRejected> RejectedAsync()
    {
        var next = await NextAsync();
        Assert.True(next.KindCase == StreamUsageResponse.KindOneofCase.Rejected, $"Expected a rejection but got {next}");
        return next.Rejected;
    }

    /// <summary>Reads until the stream ends with an error, and returns it.</summary>
    public async Task<RpcException> EndsWithAsync(StatusCode code, string reason)
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            using var timeout = new CancellationTokenSource(15_000);
            while (await _call.ResponseStream.MoveNext(timeout.Token))
            {
            }
        });
        Assert.True(code == error.StatusCode, $"Expected {code} but got {error.StatusCode}: {error.Status.Detail}");
        Assert.Equal(reason, error.GetRpcStatus()!.GetDetail<Google.Rpc.ErrorInfo>()!.Reason);
        return error;
    }

    public Task CompleteAsync() => _call.RequestStream.CompleteAsync();

    /// <summary>Whether another answer comes before the stream ends normally.</summary>
    public async Task<bool> TryNextAsync()
    {
        using var timeout = new CancellationTokenSource(15_000);
        return await _call.ResponseStream.MoveNext(timeout.Token);
    }

    public ValueTask DisposeAsync()
    {
        _call.Dispose();
        return ValueTask.CompletedTask;
    }
}

/// <summary>Names of the contract.</summary>
public static class ContractNames
{
    /// <summary>The proto name of an item, for example BILLING_ITEM_LOGS.</summary>
    public static string ToContractName(this BillingItem item) =>
        UsageServiceReflection.Descriptor.EnumTypes.Single(e => e.Name == "BillingItem").FindValueByNumber((int)item).Name;
}
