using Google.Rpc;
using Grpc.Core;
using Guance.Billing.Data;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.V1;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Guance.Billing.IntegrationTests.Usage.UsageTestKit;
using BillingItem = Guance.Billing.V1.BillingItem;

namespace Guance.Billing.IntegrationTests.Usage;

/// <summary>
/// A stream reads its token and workspace once, at the open; the usage writer admits every batch again in its
/// transaction (docs/ingestion.md). The changes here are made in the database directly, as another host
/// would make them, with nothing in this host's memory to tell it: the next batch must still see them.
/// </summary>
public sealed class UsageBatchAdmissionTests(BillingHost host) : IClassFixture<BillingHost>
{
    private DateTimeOffset Now => host.Clock.GetUtcNow();

    [Fact]
    public async Task A_lock_set_between_two_batches_of_a_stream_refuses_the_second_and_its_end_lets_the_third_in()
    {
        var workspace = await host.CreateWorkspaceAsync();
        await host.UpgradeAsync(workspace);
        var collector = await host.CollectorAsync(workspace);
        var (stream, _) = await UsageStream.OpenAsync(collector, "web-1");
        await using (stream)
        {
            await stream.SendAsync(1, Record(BillingItem.Logs, 1, Now));
            Assert.Equal(1, (await stream.AckAsync()).Sequence);

            await SetLockAsync(workspace.Id, Now);
            await stream.SendAsync(2, Record(BillingItem.Logs, 20, Now));
            var rejected = await stream.RejectedAsync();
            Assert.Equal((2L, (int)StatusCode.FailedPrecondition, "WORKSPACE_LOCKED"), (rejected.Sequence, rejected.Status.Code, rejected.Status.GetDetail<ErrorInfo>().Reason));

            await SetLockAsync(workspace.Id, null);
            await stream.SendAsync(3, Record(BillingItem.Logs, 300, Now));
            Assert.Equal(3, (await stream.AckAsync()).Sequence);
        }
        Assert.Equal(301, (await workspace.StatisticsAsync())[BillingItem.Logs].Today);
    }

    [Fact]
    public async Task A_locked_workspace_is_refused_as_locked_even_when_its_records_are_wrong_too()
    {
        var workspace = await host.CreateWorkspaceAsync();
        await host.UpgradeAsync(workspace);
        var collector = await host.CollectorAsync(workspace);
        var (stream, _) = await UsageStream.OpenAsync(collector, "web-1");
        await using (stream)
        {
            await SetLockAsync(workspace.Id, Now);
            await stream.SendAsync(1, Record(BillingItem.Logs, -1, Now));
            Assert.Equal("WORKSPACE_LOCKED", (await stream.RejectedAsync()).Status.GetDetail<ErrorInfo>().Reason);
            await SetLockAsync(workspace.Id, null);
            await stream.SendAsync(2, Record(BillingItem.Logs, -1, Now));
            Assert.Equal("NEGATIVE_QUANTITY", (await stream.RejectedAsync()).Status.GetDetail<ErrorInfo>().Reason);
        }
    }

    [Fact]
    public async Task A_token_revoked_between_two_batches_ends_the_stream_at_the_second_and_applies_nothing_of_it()
    {
        var workspace = await host.CreateWorkspaceAsync();
        var (collector, tokenId) = await host.CollectorWithIdAsync(workspace);
        var (stream, _) = await UsageStream.OpenAsync(collector, "web-1");
        await using (stream)
        {
            await stream.SendAsync(1, Record(BillingItem.Logs, 4, Now));
            await stream.AckAsync();
            await RevokeAsync(tokenId);
            await stream.SendAsync(2, Record(BillingItem.Logs, 8, Now));
            await stream.EndsWithAsync(StatusCode.Unauthenticated, "TOKEN_REVOKED");
        }
        Assert.Equal(4, (await workspace.StatisticsAsync())[BillingItem.Logs].Today);
    }

    [Fact]
    public async Task A_revoked_token_ends_the_stream_also_at_a_batch_answered_without_the_writer()
    {
        var workspace = await host.CreateWorkspaceAsync();
        var (collector, tokenId) = await host.CollectorWithIdAsync(workspace);
        var (stream, _) = await UsageStream.OpenAsync(collector, "web-1");
        await using (stream)
        {
            await stream.SendAsync(5, Record(BillingItem.Logs, 4, Now));
            await stream.AckAsync();
            await RevokeAsync(tokenId);
            // A sequence that does not rise would be refused by the stream itself: the token comes first, as it did
            // when it was read before every batch.
            await stream.SendAsync(5, Record(BillingItem.Logs, 8, Now));
            await stream.EndsWithAsync(StatusCode.Unauthenticated, "TOKEN_REVOKED");
        }
    }

    [Fact]
    public async Task An_upgrade_while_a_stream_is_open_ends_it_unapplied_and_the_resent_batch_counts_as_commercial()
    {
        var workspace = await host.CreateWorkspaceAsync();
        var collector = await host.CollectorAsync(workspace);
        var (stream, _) = await UsageStream.OpenAsync(collector, "web-1");
        await using (stream)
        {
            await stream.SendAsync(1, Record(BillingItem.Logs, 4, Now.AddMinutes(-1)));
            await stream.AckAsync();
            await host.UpgradeAsync(workspace);
            // Aggregated with the plan read at the open, the batch's records would land in the experience period.
            await stream.SendAsync(2, Record(BillingItem.Logs, 8, Now));
            var ended = await stream.EndsWithAsync(StatusCode.Unavailable, "WORKSPACE_PLAN_CHANGED");
            Assert.Equal(workspace.Id, ended.GetRpcStatus()!.GetDetail<ErrorInfo>()!.Metadata["workspace_id"]);
        }
        Assert.Equal(0, (await workspace.StatisticsAsync())[BillingItem.Logs].Today);

        var (again, opened) = await UsageStream.OpenAsync(collector, "web-1");
        await using (again)
        {
            Assert.Equal(1, opened.LastCommittedSequence);
            await again.SendAsync(2, Record(BillingItem.Logs, 8, Now));
            Assert.False((await again.AckAsync()).Duplicate);
        }
        Assert.Equal(8, (await workspace.StatisticsAsync())[BillingItem.Logs].Today);
    }

    private async Task SetLockAsync(string workspaceId, DateTimeOffset? lockAt)
    {
        await using var db = host.Database.NewContext();
        Assert.Equal(1, await db.WorkspaceSettlements.Where(s => s.WorkspaceId == workspaceId).ExecuteUpdateAsync(s => s.SetProperty(w => w.LockAt, lockAt)));
    }

    private async Task RevokeAsync(string tokenId)
    {
        await using var db = host.Database.NewContext();
        var now = Now;
        Assert.Equal(1, await db.AccessTokens.Where(t => t.Id == tokenId).ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, now)));
    }
}
