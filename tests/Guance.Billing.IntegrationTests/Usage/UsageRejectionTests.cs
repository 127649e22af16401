using Google.Rpc;
using Grpc.Core;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.Usage;
using Guance.Billing.V1;
using Microsoft.Extensions.DependencyInjection;
using static Guance.Billing.IntegrationTests.Usage.UsageTestKit;
using BillingItem = Guance.Billing.V1.BillingItem;
using UsageRecord = Guance.Billing.V1.UsageRecord;

namespace Guance.Billing.IntegrationTests.Usage;

/// <summary>Every refusal of a batch or a stream, with the reason an agent acts on; nothing of a refused batch is applied.</summary>
public sealed class UsageRejectionTests(BillingHost host) : IClassFixture<BillingHost>
{
    private DateTimeOffset Now => host.Clock.GetUtcNow();

    [Fact]
    public async Task Invalid_records_are_named_field_by_field_and_nothing_of_the_batch_is_applied()
    {
        var workspace = await host.CreateWorkspaceAsync();
        var collector = await host.CollectorAsync(workspace);
        var request = new ReportUsageRequest { CollectorId = "host-1", Sequence = 1 };
        request.Records.Add(Record(BillingItem.Logs, 5, Now));
        request.Records.Add(Record((BillingItem)99, 1, Now));
        request.Records.Add(Record(BillingItem.Logs, -1, Now));
        request.Records.Add(new UsageRecord { Item = BillingItem.Logs, Quantity = 1 });
        request.Records.Add(Record(BillingItem.Logs, 1, Now.AddMinutes(6)));
        request.Records.Add(Record(BillingItem.Logs, 1_000_000_000_001, Now));
        request.Records.Add(Record(BillingItem.Unspecified, 1, Now));

        var error = await RpcAssert.Fails(StatusCode.InvalidArgument, () => collector.Usage.ReportUsageAsync(request), "UNKNOWN_BILLING_ITEM");
        var fields = error.GetRpcStatus()!.GetDetail<BadRequest>().FieldViolations.Select(v => v.Field);
        Assert.Equal(["records[1].item", "records[2].quantity", "records[3].observed_at", "records[4].observed_at", "records[5].quantity", "records[6].item"], fields);
        // The message names them too, for clients that show only the message.
        Assert.StartsWith("The batch has invalid fields in 6 of its 7 records; nothing of it was applied: records[1].item ", error.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("records[6].item", error.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(0, (await workspace.StatisticsAsync())[BillingItem.Logs].Today);

        // Each reason on its own.
        await RpcAssert.Fails(StatusCode.InvalidArgument, () => collector.Usage.ReportUsageAsync(Single(Record(BillingItem.Logs, -3, Now))), "NEGATIVE_QUANTITY");
        await RpcAssert.Fails(StatusCode.InvalidArgument, () => collector.Usage.ReportUsageAsync(Single(Record(BillingItem.Logs, 1, Now.AddMinutes(5).AddSeconds(1)))), "OBSERVED_IN_FUTURE");
        await collector.Usage.ReportUsageAsync(Single(Record(BillingItem.Logs, 1, Now.AddMinutes(5))));
    }

    [Theory]
    [InlineData("cn1")]
    [InlineData("us1")]
    public async Task An_observed_at_from_an_unset_clock_is_refused_with_a_reason_not_an_internal_error(string site)
    {
        var workspace = await host.CreateWorkspaceAsync(site);
        var collector = await host.CollectorAsync(workspace);
        foreach (var unset in new[] { DateTimeOffset.MinValue, DateTimeOffset.UnixEpoch, new DateTimeOffset(1999, 12, 31, 23, 59, 59, TimeSpan.Zero) })
        {
            var error = await RpcAssert.Fails(StatusCode.InvalidArgument,
                () => collector.Usage.ReportUsageAsync(Single(Record(BillingItem.Logs, 1, Now), Record(BillingItem.Logs, 1, unset))), "OBSERVED_TOO_OLD");
            Assert.Equal(["records[1].observed_at"], error.GetRpcStatus()!.GetDetail<BadRequest>().FieldViolations.Select(v => v.Field));
        }
        Assert.Equal(0, (await workspace.StatisticsAsync())[BillingItem.Logs].Today);
    }

    [Fact]
    public async Task The_request_shape_is_validated()
    {
        var workspace = await host.CreateWorkspaceAsync();
        var collector = await host.CollectorAsync(workspace);
        await RpcAssert.InvalidFields(() => collector.Usage.ReportUsageAsync(new ReportUsageRequest { CollectorId = "ok" }), "sequence", "records");
        await RpcAssert.InvalidFields(() => collector.Usage.ReportUsageAsync(new ReportUsageRequest { CollectorId = "has space", Sequence = 1 }), "collector_id");
        await RpcAssert.InvalidFields(() => collector.Usage.ReportUsageAsync(new ReportUsageRequest { CollectorId = new string('a', 129), Sequence = 1 }), "collector_id");

        var tooMany = new ReportUsageRequest { CollectorId = "host-1", Sequence = 1 };
        tooMany.Records.Add(Enumerable.Range(0, 10_001).Select(_ => Record(BillingItem.Logs, 1, Now)));
        var error = await RpcAssert.Fails(StatusCode.InvalidArgument, () => collector.Usage.ReportUsageAsync(tooMany), "TOO_MANY_RECORDS");
        Assert.Equal(["records"], error.GetRpcStatus()!.GetDetail<BadRequest>().FieldViolations.Select(v => v.Field));
    }

    [Fact]
    public async Task A_record_of_a_closed_day_is_refused_with_the_day()
    {
        var workspace = await host.CreateWorkspaceAsync();
        var collector = await host.CollectorAsync(workspace);
        var twoDaysAgo = Now.AddDays(-2);
        var error = await RpcAssert.Fails(StatusCode.FailedPrecondition,
            () => collector.Usage.ReportUsageAsync(Single(Record(BillingItem.Logs, 1, Now), Record(BillingItem.Logs, 1, twoDaysAgo))), "DAY_CLOSED");
        var info = error.GetRpcStatus()!.GetDetail<ErrorInfo>();
        Assert.Equal("2026-10-31", info.Metadata["billing_day"]);
        Assert.Contains(error.GetRpcStatus()!.GetDetail<PreconditionFailure>().Violations, v => v.Type == "DAY_CLOSED");
        Assert.Equal(0, (await workspace.StatisticsAsync())[BillingItem.Logs].Today);
    }

    [Theory]
    [InlineData("cn1", BillingItem.BackupLogs)]
    [InlineData("cn1", BillingItem.Sms)]
    [InlineData("cn1", BillingItem.NetworkHosts)]
    [InlineData("us1", BillingItem.SyntheticTests)]
    [InlineData("eu1", BillingItem.SyntheticTests)]
    public async Task Experience_workspaces_may_not_report_items_without_a_free_quota(string site, BillingItem item)
    {
        var workspace = await host.CreateWorkspaceAsync(site);
        var collector = await host.CollectorAsync(workspace);
        var error = await RpcAssert.Fails(StatusCode.FailedPrecondition,
            () => collector.Usage.ReportUsageAsync(Single(Record(BillingItem.Logs, 1, Now), Record(item, 1, Now))), "ITEM_NOT_AVAILABLE_ON_EXPERIENCE");
        Assert.Equal(item.ToContractName(), error.GetRpcStatus()!.GetDetail<ErrorInfo>().Metadata["billing_item"]);
    }

    [Fact]
    public async Task Synthetic_tests_are_free_on_China_sites_and_commercial_workspaces_report_every_item_their_price_list_offers()
    {
        var china = await host.CreateWorkspaceAsync("cn2");
        await (await host.CollectorAsync(china)).Usage.ReportUsageAsync(Single(Record(BillingItem.SyntheticTests, 10, Now)));
        Assert.Equal(10, (await china.StatisticsAsync())[BillingItem.SyntheticTests].Today);

        var commercial = await host.CreateWorkspaceAsync("us1");
        await host.UpgradeAsync(commercial);
        var collector = await host.CollectorAsync(commercial);
        await collector.Usage.ReportUsageAsync(Single(
            Record(BillingItem.BackupLogs, 5_000_000, Now),
            Record(BillingItem.NetworkHosts, 4, Now), Record(BillingItem.SyntheticTests, 300_000, Now)));
        var statistics = await commercial.StatisticsAsync();
        Assert.Equal(5_000_000, statistics[BillingItem.BackupLogs].Today);
        Assert.Equal(300_000, statistics[BillingItem.SyntheticTests].Today);
        Assert.False(statistics[BillingItem.SyntheticTests].HasQuota);

        // SMS is on the CN price list only (docs/domain.md §4): a us1 batch with it is refused whole.
        var error = await RpcAssert.Fails(StatusCode.FailedPrecondition,
            () => collector.Usage.ReportUsageAsync(new ReportUsageRequest { CollectorId = "agent-2", Sequence = 1, Records = { Record(BillingItem.Logs, 7, Now), Record(BillingItem.Sms, 3, Now) } }),
            "ITEM_NOT_OFFERED_ON_SITE");
        Assert.Equal("us1", error.GetRpcStatus()!.GetDetail<ErrorInfo>().Metadata["site_code"]);
        Assert.Equal(0, (await commercial.StatisticsAsync())[BillingItem.Logs].Today);
    }

    [Fact]
    public async Task The_retired_DataKit_item_is_refused_unless_enabled()
    {
        var workspace = await host.CreateWorkspaceAsync();
        await host.UpgradeAsync(workspace);
        var collector = await host.CollectorAsync(workspace);
        await RpcAssert.Fails(StatusCode.FailedPrecondition,
            () => collector.Usage.ReportUsageAsync(Single(Record(BillingItem.Datakit, 1, Now))), "ITEM_NOT_ENABLED");

        using var enabled = new BillingHost();
        enabled.Settings["Guance:Usage:DataKitItemEnabled"] = "true";
        var other = await enabled.CreateWorkspaceAsync();
        await enabled.UpgradeAsync(other);
        await (await enabled.CollectorAsync(other)).Usage.ReportUsageAsync(Single(Record(BillingItem.Datakit, 2, enabled.Clock.GetUtcNow())));
        Assert.Equal(2, (await other.StatisticsAsync())[BillingItem.Datakit].Today);
        Assert.True((await enabled.Api().Usage.ListBillingItemsAsync(new ListBillingItemsRequest())).BillingItems.Single(i => i.Item == BillingItem.Datakit).Enabled);
    }

    [Fact]
    public async Task A_locked_workspace_is_refused_through_the_lock_hook()
    {
        var locks = new LockedSet();
        using var locking = new BillingHost { ConfigureServices = services => services.AddSingleton<IWorkspaceLockOracle>(locks) };
        var workspace = await locking.CreateWorkspaceAsync();
        var collector = await locking.CollectorAsync(workspace);
        var now = locking.Clock.GetUtcNow();
        await collector.Usage.ReportUsageAsync(Single(Record(BillingItem.Logs, 1, now)));

        locks.Locked.Add(workspace.Id);
        var (stream, _) = await UsageStream.OpenAsync(collector, "host-2");
        await using (stream)
        {
            await stream.SendAsync(1, Record(BillingItem.Logs, 1, now));
            var rejected = await stream.RejectedAsync();
            Assert.Equal((int)StatusCode.FailedPrecondition, rejected.Status.Code);
            Assert.Equal("WORKSPACE_LOCKED", rejected.Status.GetDetail<ErrorInfo>().Reason);
            locks.Locked.Clear();
            await stream.SendAsync(2, Record(BillingItem.Logs, 1, now));
            Assert.Equal(2, (await stream.AckAsync()).Sequence);
        }
        Assert.Equal(2, (await workspace.StatisticsAsync())[BillingItem.Logs].Today);
    }

    [Fact]
    public async Task Only_collector_tokens_report_usage()
    {
        var workspace = await host.CreateWorkspaceAsync();
        await RpcAssert.Fails(StatusCode.Unauthenticated, () => host.Api().Usage.ReportUsageAsync(Single(Record(BillingItem.Logs, 1, Now))), "TOKEN_MISSING");
        await RpcAssert.Fails(StatusCode.PermissionDenied, () => workspace.Owner.Api.Usage.ReportUsageAsync(Single(Record(BillingItem.Logs, 1, Now))), "COLLECTOR_TOKEN_REQUIRED");
        await RpcAssert.Fails(StatusCode.PermissionDenied, () => host.Operator.Usage.ReportUsageAsync(Single(Record(BillingItem.Logs, 1, Now))), "COLLECTOR_TOKEN_REQUIRED");
        await RpcAssert.Fails(StatusCode.Unauthenticated, () => host.Api("gct_notatoken").Usage.ReportUsageAsync(Single(Record(BillingItem.Logs, 1, Now))), "TOKEN_INVALID");

        // A stream is refused at its start, before its open (see UsageStreamAdmissionTests).
        using var call = workspace.Owner.Api.Usage.StreamUsage();
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext());
        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);

        var anonymous = new UsageStream(host.Api());
        await using (anonymous)
        {
            await anonymous.EndsWithAsync(StatusCode.Unauthenticated, "TOKEN_MISSING");
        }
    }

    [Fact]
    public async Task A_revoked_token_ends_the_stream_at_its_next_batch()
    {
        var workspace = await host.CreateWorkspaceAsync();
        var (collector, tokenId) = await host.CollectorWithIdAsync(workspace);
        var (stream, _) = await UsageStream.OpenAsync(collector, "host-1");
        await using (stream)
        {
            await stream.SendAsync(1, Record(BillingItem.Logs, 4, Now));
            await stream.AckAsync();
            await workspace.Owner.Api.Workspaces.RevokeCollectorTokenAsync(new RevokeCollectorTokenRequest { WorkspaceId = workspace.Id, CollectorTokenId = tokenId });
            await stream.SendAsync(2, Record(BillingItem.Logs, 8, Now));
            await stream.EndsWithAsync(StatusCode.Unauthenticated, "TOKEN_REVOKED");
        }
        Assert.Equal(4, (await workspace.StatisticsAsync())[BillingItem.Logs].Today);
        await RpcAssert.Fails(StatusCode.Unauthenticated, () => collector.Usage.ReportUsageAsync(Single(Record(BillingItem.Logs, 1, Now))), "TOKEN_REVOKED");
    }

    [Fact]
    public async Task A_dissolved_workspace_ends_its_streams()
    {
        var workspace = await host.CreateWorkspaceAsync();
        var collector = await host.CollectorAsync(workspace);
        var (stream, _) = await UsageStream.OpenAsync(collector, "host-1");
        await using (stream)
        {
            await stream.SendAsync(1, Record(BillingItem.Logs, 4, Now));
            await stream.AckAsync();
            await workspace.Owner.Api.Workspaces.DissolveWorkspaceAsync(new DissolveWorkspaceRequest { WorkspaceId = workspace.Id });
            await stream.SendAsync(2, Record(BillingItem.Logs, 8, Now));
            var error = await stream.EndsWithAsync(StatusCode.FailedPrecondition, "WORKSPACE_DISSOLVED");
            Assert.NotNull(error.GetRpcStatus()!.GetDetail<PreconditionFailure>());
        }
    }

    [Fact]
    public async Task A_stream_must_open_first_and_only_once()
    {
        var workspace = await host.CreateWorkspaceAsync();
        var collector = await host.CollectorAsync(workspace);
        var batchFirst = new UsageStream(collector);
        await using (batchFirst)
        {
            await batchFirst.SendAsync(1, Record(BillingItem.Logs, 1, Now));
            await batchFirst.EndsWithAsync(StatusCode.InvalidArgument, "INVALID_ARGUMENT");
        }
        var badId = new UsageStream(collector);
        await using (badId)
        {
            await badId.WriteAsync(new StreamUsageRequest { Open = new UsageStreamOpen { CollectorId = "" } });
            var error = await badId.EndsWithAsync(StatusCode.InvalidArgument, "INVALID_ARGUMENT");
            Assert.Equal(["open.collector_id"], error.GetRpcStatus()!.GetDetail<BadRequest>().FieldViolations.Select(v => v.Field));
        }
        var (twice, _) = await UsageStream.OpenAsync(collector, "host-1");
        await using (twice)
        {
            await twice.WriteAsync(new StreamUsageRequest { Open = new UsageStreamOpen { CollectorId = "host-1" } });
            await twice.EndsWithAsync(StatusCode.InvalidArgument, "INVALID_ARGUMENT");
        }
    }

    [Fact]
    public async Task A_collector_has_a_limited_number_of_streams()
    {
        var workspace = await host.CreateWorkspaceAsync();
        var collector = await host.CollectorAsync(workspace);
        var (first, _) = await UsageStream.OpenAsync(collector, "host-1");
        var (second, _) = await UsageStream.OpenAsync(collector, "host-1");
        var third = new UsageStream(collector);
        await third.WriteAsync(new StreamUsageRequest { Open = new UsageStreamOpen { CollectorId = "host-1" } });
        await third.EndsWithAsync(StatusCode.ResourceExhausted, "TOO_MANY_STREAMS");
        await third.DisposeAsync();

        // Another collector of the workspace is not affected; a closed stream frees its place.
        var (other, _) = await UsageStream.OpenAsync(collector, "host-2");
        await other.DisposeAsync();
        await first.CompleteAsync();
        Assert.False(await first.TryNextAsync());
        await first.DisposeAsync();
        var (again, _) = await UsageStream.OpenAsync(collector, "host-1");
        await again.DisposeAsync();
        await second.DisposeAsync();
    }

    [Fact]
    public async Task Sending_more_than_the_window_ends_the_stream()
    {
        using var small = new BillingHost();
        small.Settings["Guance:Usage:MaxBatchesInFlight"] = "1";
        var workspace = await small.CreateWorkspaceAsync();
        var collector = await small.CollectorAsync(workspace);
        var now = small.Clock.GetUtcNow();
        var (stream, opened) = await UsageStream.OpenAsync(collector, "host-1");
        await using (stream)
        {
            Assert.Equal(1, opened.MaxBatchesInFlight);
            await using (await small.HoldWriteLockAsync())
            {
                await stream.SendAsync(1, Record(BillingItem.Logs, 1, now));
                await stream.SendAsync(2, Record(BillingItem.Logs, 1, now));
                await Task.Delay(300);
            }
            // The batch taken before the violation is still answered, then the stream ends.
            Assert.Equal(1, (await stream.AckAsync()).Sequence);
            await stream.EndsWithAsync(StatusCode.ResourceExhausted, "TOO_MANY_BATCHES_IN_FLIGHT");
        }
    }

    [Fact]
    public async Task A_message_larger_than_the_limit_is_refused()
    {
        using var small = new BillingHost();
        small.Settings["Guance:Usage:MaxMessageBytes"] = "2048";
        var workspace = await small.CreateWorkspaceAsync();
        var collector = await small.CollectorAsync(workspace);
        var request = new ReportUsageRequest { CollectorId = "host-1", Sequence = 1 };
        request.Records.Add(Enumerable.Range(0, 200).Select(_ => Record(BillingItem.Logs, 1, small.Clock.GetUtcNow())));
        var error = await RpcAssert.Fails(StatusCode.ResourceExhausted, () => collector.Usage.ReportUsageAsync(request), "REQUEST_TOO_LARGE");
        Assert.Equal("2048", error.GetRpcStatus()!.GetDetail<Google.Rpc.ErrorInfo>().Metadata["max_bytes"]);
    }

    private static ReportUsageRequest Single(params UsageRecord[] records)
    {
        var request = new ReportUsageRequest { CollectorId = "host-1", Sequence = Interlocked.Increment(ref _sequence) };
        request.Records.Add(records);
        return request;
    }

    private static long _sequence;

    private sealed class LockedSet : IWorkspaceLockOracle
    {
        public HashSet<string> Locked { get; } = new();

        public bool IsLocked(string workspaceId, long? lockAt) => Locked.Contains(workspaceId);
    }
}
