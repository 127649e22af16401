using Google.Rpc;
using Grpc.Core;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.V1;
using static Guance.Billing.IntegrationTests.Usage.UsageTestKit;

namespace Guance.Billing.IntegrationTests.Usage;

/// <summary>The StreamUsage protocol: open, resume, acks after commit, duplicates, gaps, the window, fatal ends.</summary>
public sealed class UsageStreamTests(BillingHost host) : IClassFixture<BillingHost>
{
    private DateTimeOffset Now => host.Clock.GetUtcNow();

    [Fact]
    public async Task A_stream_opens_with_the_mark_and_window_and_acks_batches_in_order()
    {
        var workspace = await host.CreateWorkspaceAsync();
        var collector = await host.CollectorAsync(workspace);
        var (stream, opened) = await UsageStream.OpenAsync(collector, "host-1");
        await using (stream)
        {
            Assert.Equal(workspace.Id, opened.WorkspaceId);
            Assert.Equal("host-1", opened.CollectorId);
            Assert.Equal(0, opened.LastCommittedSequence);
            Assert.Equal(16, opened.MaxBatchesInFlight);
            Assert.Equal(10_000, opened.MaxRecordsPerBatch);

            for (long sequence = 1; sequence <= 3; sequence++)
            {
                await stream.SendAsync(sequence, Record(BillingItem.Logs, 100, Now), Record(BillingItem.Logs, 5, Now));
            }
            for (long sequence = 1; sequence <= 3; sequence++)
            {
                var ack = await stream.AckAsync();
                Assert.Equal(sequence, ack.Sequence);
                Assert.False(ack.Duplicate);
            }
        }
        Assert.Equal(315, (await workspace.StatisticsAsync())[BillingItem.Logs].Today);
    }

    [Theory]
    [InlineData(true, "open")]
    [InlineData(false, "batch")]
    public async Task A_message_after_the_open_that_is_not_a_batch_ends_the_stream_naming_what_is_wrong(bool secondOpen, string field)
    {
        var workspace = await host.CreateWorkspaceAsync();
        var collector = await host.CollectorAsync(workspace);
        var (stream, _) = await UsageStream.OpenAsync(collector, "host-1");
        await using (stream)
        {
            await stream.WriteAsync(secondOpen ? new StreamUsageRequest { Open = new UsageStreamOpen { CollectorId = "host-1" } } : new StreamUsageRequest());
            var error = await stream.EndsWithAsync(StatusCode.InvalidArgument, "INVALID_ARGUMENT");
            Assert.Equal(field, Assert.Single(error.GetRpcStatus()!.GetDetail<BadRequest>().FieldViolations).Field);
        }
    }

    [Fact]
    public async Task A_reconnect_resumes_after_the_last_committed_sequence_and_duplicates_are_not_applied_again()
    {
        var workspace = await host.CreateWorkspaceAsync();
        var collector = await host.CollectorAsync(workspace);
        var (first, _) = await UsageStream.OpenAsync(collector, "host-1");
        await using (first)
        {
            await first.SendAsync(1, Record(BillingItem.Logs, 10, Now));
            await first.SendAsync(2, Record(BillingItem.Logs, 20, Now));
            await first.AckAsync();
            await first.AckAsync();
        }

        var (second, opened) = await UsageStream.OpenAsync(collector, "host-1");
        await using (second)
        {
            Assert.Equal(2, opened.LastCommittedSequence);
            await second.SendAsync(2, Record(BillingItem.Logs, 20, Now));
            var duplicate = await second.AckAsync();
            Assert.Equal(2, duplicate.Sequence);
            Assert.True(duplicate.Duplicate);
            await second.SendAsync(3, Record(BillingItem.Logs, 30, Now));
            Assert.False((await second.AckAsync()).Duplicate);
        }
        Assert.Equal(60, (await workspace.StatisticsAsync())[BillingItem.Logs].Today);
    }

    [Fact]
    public async Task Gaps_are_allowed_and_a_sequence_that_does_not_rise_within_a_stream_is_rejected()
    {
        var workspace = await host.CreateWorkspaceAsync();
        var collector = await host.CollectorAsync(workspace);
        var (stream, _) = await UsageStream.OpenAsync(collector, "host-1");
        await using (stream)
        {
            await stream.SendAsync(10, Record(BillingItem.Logs, 1, Now));
            await stream.SendAsync(1000, Record(BillingItem.Logs, 2, Now));
            await stream.SendAsync(500, Record(BillingItem.Logs, 4, Now));
            Assert.Equal(10, (await stream.AckAsync()).Sequence);
            Assert.Equal(1000, (await stream.AckAsync()).Sequence);
            var rejected = await stream.RejectedAsync();
            Assert.Equal(500, rejected.Sequence);
            Assert.Equal((int)StatusCode.InvalidArgument, rejected.Status.Code);
            Assert.Equal("SEQUENCE_NOT_RISING", rejected.Status.GetDetail<ErrorInfo>().Reason);
            Assert.Equal(["sequence"], rejected.Status.GetDetail<BadRequest>().FieldViolations.Select(v => v.Field));

            // The stream goes on after a rejection.
            await stream.SendAsync(1001, Record(BillingItem.Logs, 8, Now));
            Assert.Equal(1001, (await stream.AckAsync()).Sequence);
        }
        Assert.Equal(11, (await workspace.StatisticsAsync())[BillingItem.Logs].Today);
    }

    [Fact]
    public async Task A_record_from_an_unset_clock_refuses_its_batch_and_the_stream_takes_the_next_one()
    {
        var workspace = await host.CreateWorkspaceAsync("us1");
        var collector = await host.CollectorAsync(workspace);
        var (stream, _) = await UsageStream.OpenAsync(collector, "host-1");
        await using (stream)
        {
            await stream.SendAsync(1, Record(BillingItem.Logs, 3, Now), Record(BillingItem.Logs, 1, DateTimeOffset.MinValue));
            var rejected = await stream.RejectedAsync();
            Assert.Equal(1, rejected.Sequence);
            Assert.Equal((int)StatusCode.InvalidArgument, rejected.Status.Code);
            Assert.Equal("OBSERVED_TOO_OLD", rejected.Status.GetDetail<ErrorInfo>().Reason);
            Assert.Equal(["records[1].observed_at"], rejected.Status.GetDetail<BadRequest>().FieldViolations.Select(v => v.Field));

            await stream.SendAsync(2, Record(BillingItem.Logs, 5, Now));
            Assert.False((await stream.AckAsync()).Duplicate);
        }
        Assert.Equal(5, (await workspace.StatisticsAsync())[BillingItem.Logs].Today);
    }

    [Fact]
    public async Task An_ack_is_sent_only_after_the_batch_is_committed()
    {
        var workspace = await host.CreateWorkspaceAsync();
        var collector = await host.CollectorAsync(workspace);
        var (stream, _) = await UsageStream.OpenAsync(collector, "host-1");
        await using (stream)
        {
            Task<StreamUsageResponse> answer;
            await using (await host.HoldWriteLockAsync())
            {
                await stream.SendAsync(1, Record(BillingItem.Logs, 7, Now));
                answer = stream.NextAsync();
                Assert.NotSame(answer, await Task.WhenAny(answer, Task.Delay(700)));
                Assert.Equal(0, (await workspace.StatisticsAsync())[BillingItem.Logs].Today);
            }
            var ack = await answer;
            Assert.Equal(1, ack.Ack.Sequence);
            Assert.Equal(7, (await workspace.StatisticsAsync())[BillingItem.Logs].Today);
        }
    }

    [Fact]
    public async Task A_failed_commit_ends_the_stream_and_the_batch_is_resent_on_the_next_one()
    {
        using var busy = new BillingHost();
        // A held write lock fails the writer's commit after a second.
        busy.WithOneSecondDatabaseTimeout();
        var workspace = await busy.CreateWorkspaceAsync();
        var collector = await busy.CollectorAsync(workspace);
        var now = busy.Clock.GetUtcNow();
        var (stream, _) = await UsageStream.OpenAsync(collector, "host-1");
        await using (stream)
        {
            await stream.SendAsync(1, Record(BillingItem.Logs, 10, now));
            await stream.AckAsync();
            await using (await busy.HoldWriteLockAsync())
            {
                await stream.SendAsync(2, Record(BillingItem.Logs, 20, now));
                await stream.EndsWithAsync(StatusCode.Unavailable, "STORAGE_UNAVAILABLE");
            }
        }
        Assert.Equal(10, (await workspace.StatisticsAsync())[BillingItem.Logs].Today);

        var (again, opened) = await UsageStream.OpenAsync(collector, "host-1");
        await using (again)
        {
            Assert.Equal(1, opened.LastCommittedSequence);
            await again.SendAsync(2, Record(BillingItem.Logs, 20, now));
            Assert.False((await again.AckAsync()).Duplicate);
        }
        Assert.Equal(30, (await workspace.StatisticsAsync())[BillingItem.Logs].Today);
    }
}
