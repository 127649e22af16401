using Google.Rpc;
using Grpc.Core;
using Guance.Billing.Data;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.V1;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Guance.Billing.IntegrationTests.Usage.UsageTestKit;

namespace Guance.Billing.IntegrationTests.Usage;

/// <summary>
/// A collector's sequences: one implausibly far ahead is refused instead of becoming the mark, both
/// ways of numbering work, and the operator's audited reset of a wrong mark.
/// </summary>
public sealed class CollectorSequenceTests(BillingHost host) : IClassFixture<BillingHost>
{
    private const long Day = 86_400_000_000;

    private DateTimeOffset Now => host.Clock.GetUtcNow();

    [Fact]
    public async Task A_sequence_implausibly_far_ahead_is_refused_and_changes_nothing()
    {
        var workspace = await host.CreateWorkspaceAsync();
        var collector = await host.CollectorAsync(workspace);
        var error = await RpcAssert.Fails(StatusCode.InvalidArgument,
            () => collector.Usage.ReportUsageAsync(Report("host-1", long.MaxValue, Record(BillingItem.Logs, 7, Now))), "SEQUENCE_TOO_FAR_AHEAD");
        Assert.Equal(["sequence"], error.GetRpcStatus()!.GetDetail<BadRequest>().FieldViolations.Select(v => v.Field));
        Assert.True(long.Parse(error.GetRpcStatus()!.GetDetail<ErrorInfo>().Metadata["max_sequence"], System.Globalization.CultureInfo.InvariantCulture) < long.MaxValue);

        // The mark did not move: the next batch is applied, not taken for a duplicate.
        Assert.False((await collector.ReportAsync("host-1", 1, Record(BillingItem.Logs, 1, Now))).Duplicate);

        var (stream, opened) = await UsageStream.OpenAsync(collector, "host-1");
        await using (stream)
        {
            Assert.Equal(1, opened.LastCommittedSequence);
            await stream.SendAsync(long.MaxValue, Record(BillingItem.Logs, 7, Now));
            var rejected = await stream.RejectedAsync();
            Assert.Equal((int)StatusCode.InvalidArgument, rejected.Status.Code);
            Assert.Equal("SEQUENCE_TOO_FAR_AHEAD", rejected.Status.GetDetail<ErrorInfo>().Reason);
            await stream.SendAsync(2, Record(BillingItem.Logs, 2, Now));
            Assert.False((await stream.AckAsync()).Duplicate);
        }
        Assert.Equal(3, (await workspace.StatisticsAsync())[BillingItem.Logs].Today);
    }

    [Fact]
    public async Task Sequences_numbered_by_counting_or_by_the_clock_in_microseconds_work()
    {
        var workspace = await host.CreateWorkspaceAsync();
        var collector = await host.CollectorAsync(workspace);
        foreach (var sequence in new long[] { 1, 2, 1_000 })
        {
            Assert.False((await collector.ReportAsync("counting", sequence, Record(BillingItem.Logs, 1, Now))).Duplicate);
        }
        var micros = UnixMicrosecondsConverter.ToMicroseconds(Now);
        Assert.False((await collector.ReportAsync("clocked", micros, Record(BillingItem.Logs, 10, Now))).Duplicate);
        Assert.False((await collector.ReportAsync("clocked", micros + 1, Record(BillingItem.Logs, 10, Now))).Duplicate);
        Assert.Equal(23, (await workspace.StatisticsAsync())[BillingItem.Logs].Today);
    }

    [Fact]
    public async Task A_mark_far_ahead_of_the_clock_lets_the_collector_go_on_by_at_most_the_jump()
    {
        var workspace = await host.CreateWorkspaceAsync();
        var collector = await host.CollectorAsync(workspace);
        await collector.ReportAsync("ahead", 1, Record(BillingItem.Logs, 1, Now));
        // Far beyond any clock, so that the mark alone sets the limit: a mark stored before the rule existed (no RPC sets it now).
        const long mark = 4_000_000_000_000_000_000;
        await using (var db = host.Database.NewContext())
        {
            Assert.Equal(1, await db.UsageCollectors.Where(c => c.WorkspaceId == workspace.Id && c.CollectorId == "ahead")
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.LastSequence, mark)));
        }

        await RpcAssert.Fails(StatusCode.InvalidArgument,
            () => collector.Usage.ReportUsageAsync(Report("ahead", mark + Day + 1, Record(BillingItem.Logs, 1, Now))), "SEQUENCE_TOO_FAR_AHEAD");
        Assert.False((await collector.ReportAsync("ahead", mark + Day, Record(BillingItem.Logs, 1, Now))).Duplicate);
    }

    [Fact]
    public async Task Only_the_operator_resets_a_mark_and_bad_input_is_named()
    {
        var workspace = await host.CreateWorkspaceAsync();
        var collector = await host.CollectorAsync(workspace);
        await collector.ReportAsync("host-1", 5, Record(BillingItem.Logs, 1, Now));
        var request = new ResetCollectorSequenceRequest
        {
            WorkspaceId = workspace.Id, CollectorId = "host-1", LastSequence = 0, Reason = "test", RequestId = Guid.NewGuid().ToString(),
        };

        await RpcAssert.Fails(StatusCode.Unauthenticated, () => host.Api().Usage.ResetCollectorSequenceAsync(request), "TOKEN_MISSING");
        await RpcAssert.Fails(StatusCode.PermissionDenied, () => workspace.Owner.Api.Usage.ResetCollectorSequenceAsync(request), "OPERATOR_REQUIRED");
        await RpcAssert.Fails(StatusCode.PermissionDenied, () => collector.Usage.ResetCollectorSequenceAsync(request), "OPERATOR_REQUIRED");

        await RpcAssert.InvalidFields(() => host.Operator.Usage.ResetCollectorSequenceAsync(new ResetCollectorSequenceRequest { LastSequence = -1, Reason = " " }),
            "workspace_id", "collector_id", "last_sequence", "reason", "request_id");
        await RpcAssert.InvalidFields(() => host.Operator.Usage.ResetCollectorSequenceAsync(new ResetCollectorSequenceRequest(request) { CollectorId = "has space", Reason = new string('r', 501) }),
            "collector_id", "reason");
        // The mark that would make every later batch a duplicate is refused as a batch's sequence is.
        await RpcAssert.InvalidFields(() => host.Operator.Usage.ResetCollectorSequenceAsync(new ResetCollectorSequenceRequest(request) { LastSequence = long.MaxValue }),
            "last_sequence");
        await RpcAssert.NotFound(() => host.Operator.Usage.ResetCollectorSequenceAsync(new ResetCollectorSequenceRequest(request) { CollectorId = "never-reported" }));

        // Nothing changed: 5 is still the mark, and nothing was audited.
        Assert.True((await collector.ReportAsync("host-1", 5, Record(BillingItem.Logs, 1, Now))).Duplicate);
        Assert.Empty(await AuditAsync(workspace.Id));
    }

    [Fact]
    public async Task A_wrong_mark_is_reset_with_an_audit_record_and_the_collectors_batches_are_applied_again()
    {
        var workspace = await host.CreateWorkspaceAsync();
        var collector = await host.CollectorAsync(workspace);
        await collector.ReportAsync("host-1", 5, Record(BillingItem.Logs, 1, Now));
        // A mark that an absurd sequence left before sequences were bounded: every later batch is a "duplicate".
        await SetMarkAsync(workspace.Id, "host-1", long.MaxValue);
        Assert.True((await collector.ReportAsync("host-1", 6, Record(BillingItem.Logs, 100, Now))).Duplicate);
        var (stream, opened) = await UsageStream.OpenAsync(collector, "host-1");
        await using (stream)
        {
            Assert.Equal(long.MaxValue, opened.LastCommittedSequence);

            var requestId = Guid.NewGuid().ToString();
            var reset = await ResetAsync(workspace.Id, "host-1", 5, requestId);
            Assert.Equal((workspace.Id, "host-1", long.MaxValue, 5L, false), (reset.WorkspaceId, reset.CollectorId, reset.PreviousSequence, reset.LastSequence, reset.Replayed));
            Assert.Equal(("operator", "agent numbered a batch 2^63-1"), (reset.ResetBy, reset.Reason));
            Assert.Equal(Now, reset.ResetTime.ToDateTimeOffset());

            // A retry answers the first reset and changes nothing; the same id for another reset is refused.
            var again = await ResetAsync(workspace.Id, "host-1", 5, requestId);
            Assert.Equal((long.MaxValue, 5L, true), (again.PreviousSequence, again.LastSequence, again.Replayed));
            await RpcAssert.Precondition(() => host.Operator.Usage.ResetCollectorSequenceAsync(new ResetCollectorSequenceRequest
            {
                WorkspaceId = workspace.Id, CollectorId = "host-1", LastSequence = 4, Reason = "other", RequestId = requestId,
            }), "REQUEST_ID_REUSED");

            // The stream opened before the reset goes on from the new mark.
            await stream.SendAsync(6, Record(BillingItem.Logs, 10, Now));
            Assert.False((await stream.AckAsync()).Duplicate);
        }
        Assert.False((await collector.ReportAsync("host-1", 7, Record(BillingItem.Logs, 20, Now))).Duplicate);
        Assert.True((await collector.ReportAsync("host-1", 5, Record(BillingItem.Logs, 1, Now))).Duplicate);
        Assert.Equal(31, (await workspace.StatisticsAsync())[BillingItem.Logs].Today);

        var audit = Assert.Single(await AuditAsync(workspace.Id));
        Assert.Equal(("host-1", long.MaxValue, 5L, "agent numbered a batch 2^63-1", "operator"),
            (audit.CollectorId, audit.PreviousSequence, audit.NewSequence, audit.Reason, audit.ResetBy));
    }

    private static ReportUsageRequest Report(string collectorId, long sequence, params UsageRecord[] records) =>
        new() { CollectorId = collectorId, Sequence = sequence, Records = { records } };

    private async Task<ResetCollectorSequenceResponse> ResetAsync(string workspaceId, string collectorId, long mark, string? requestId = null) =>
        await host.Operator.Usage.ResetCollectorSequenceAsync(new ResetCollectorSequenceRequest
        {
            WorkspaceId = workspaceId, CollectorId = collectorId, LastSequence = mark,
            Reason = "agent numbered a batch 2^63-1", RequestId = requestId ?? Guid.NewGuid().ToString(),
        });

    private async Task SetMarkAsync(string workspaceId, string collectorId, long mark)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BillingDbContext>();
        await db.UsageCollectors.Where(c => c.WorkspaceId == workspaceId && c.CollectorId == collectorId)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.LastSequence, mark));
    }

    private async Task<List<Guance.Billing.Usage.CollectorSequenceReset>> AuditAsync(string workspaceId)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BillingDbContext>();
        return await db.CollectorSequenceResets.AsNoTracking().Where(r => r.WorkspaceId == workspaceId).ToListAsync();
    }
}
