using Google.Protobuf.WellKnownTypes;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.V1;

namespace Guance.Billing.IntegrationTests.Tickets;

/// <summary>
/// The automatic close of docs/domain.md §8: 7 days after support's feedback with no answer, the
/// ticket closes (with a notice); a submitter's answer in between resets the count; runs at once
/// close each ticket once. Driven by RunTicketAutoClose on the test clock, and by the scheduler on
/// a simulated clock.
/// </summary>
public sealed class TicketAutoCloseTests
{
    private static async Task<int> RunAsync(BillingHost host) =>
        (await host.Operator.Tickets.RunTicketAutoCloseAsync(new RunTicketAutoCloseRequest())).Closed;

    // A workspace's ticket: a console session outlives the days these tests move the clock (a billing-center session lasts 12 hours).
    private static async Task<Ticket> WithFeedbackAsync(BillingHost host, TestUser member, string workspaceId)
    {
        var ticket = await member.Api.CreateAsync(TicketKit.WorkspaceTicket(workspaceId));
        await host.AcceptAsync(ticket.TicketId);
        return await host.Operator.ReplyAsync(ticket.TicketId, "Does this answer it?");
    }

    [Fact]
    public async Task Feedback_unanswered_for_7_days_closes_the_ticket_once_and_not_a_minute_earlier()
    {
        using var host = new BillingHost();
        var workspace = await host.CreateWorkspaceAsync();
        var member = workspace.Owner;
        var start = host.Clock.GetUtcNow();
        var ticket = await WithFeedbackAsync(host, member, workspace.Id);
        var untouched = await member.Api.CreateAsync(TicketKit.WorkspaceTicket(workspace.Id)); // never answered by support: never auto-closed

        host.MoveClockTo(start + TimeSpan.FromDays(6) + TimeSpan.FromHours(23));
        Assert.Equal(0, await RunAsync(host));
        Assert.Equal(TicketState.FeedbackProvided, (await member.Api.GetAsync(ticket.TicketId)).State);

        host.MoveClockTo(start + TimeSpan.FromDays(7));
        // Two runs at once (as on two hosts): the ticket closes once, with one notice.
        var runs = await Task.WhenAll(RunAsync(host), RunAsync(host), RunAsync(host));
        Assert.Equal(1, runs.Sum());
        var closed = await member.Api.GetAsync(ticket.TicketId);
        Assert.Equal((TicketState.Closed, true), (closed.State, closed.ClosedAutomatically));
        Assert.Equal(0, await RunAsync(host));
        var notice = Assert.Single(await host.TicketNoticesAsync(NotificationKind.TicketClosed));
        Assert.Equal(ticket.TicketId, notice.Reference);
        Assert.Contains("7 天", notice.Body, StringComparison.Ordinal); // a China site's workspace: Simplified Chinese
        Assert.Equal(TicketState.WaitingForAssignment, (await member.Api.GetAsync(untouched.TicketId)).State);

        // Closed automatically, it is rated like any closed ticket.
        await member.Api.Tickets.RateTicketAsync(new RateTicketRequest { TicketId = ticket.TicketId, Stars = 3 });
    }

    [Fact]
    public async Task A_submitter_answer_in_between_resets_the_count_to_the_next_feedback()
    {
        using var host = new BillingHost();
        var workspace = await host.CreateWorkspaceAsync();
        var member = workspace.Standard;
        var start = host.Clock.GetUtcNow();
        var ticket = await WithFeedbackAsync(host, member, workspace.Id);

        host.MoveClockTo(start + TimeSpan.FromDays(3));
        await member.Api.ReplyAsync(ticket.TicketId, "Not quite.");
        host.MoveClockTo(start + TimeSpan.FromDays(7));
        Assert.Equal(0, await RunAsync(host));
        Assert.Equal(TicketState.WaitingForFeedback, (await member.Api.GetAsync(ticket.TicketId)).State);

        await host.Operator.ReplyAsync(ticket.TicketId, "Now?"); // feedback at day 7
        host.MoveClockTo(start + TimeSpan.FromDays(13) + TimeSpan.FromHours(23));
        Assert.Equal(0, await RunAsync(host));
        host.MoveClockTo(start + TimeSpan.FromDays(14));
        Assert.Equal(1, await RunAsync(host));
        Assert.Equal(TicketState.Closed, (await member.Api.GetAsync(ticket.TicketId)).State);
    }

    [Fact]
    public async Task The_scheduler_closes_the_ticket_when_a_simulated_clock_passes_its_due_instant()
    {
        var start = new DateTimeOffset(2026, 11, 2, 1, 30, 0, TimeSpan.Zero);
        using var host = new BillingHost { SimulatedClockStart = start };
        var workspace = await host.CreateWorkspaceAsync();
        var member = workspace.ReadOnly;
        var ticket = await WithFeedbackAsync(host, member, workspace.Id);

        await host.Operator.Settlement.AdvanceClockAsync(new AdvanceClockRequest { Duration = Duration.FromTimeSpan(TimeSpan.FromDays(7) - TimeSpan.FromSeconds(1)) });
        Assert.Equal(TicketState.FeedbackProvided, (await member.Api.GetAsync(ticket.TicketId)).State);
        await host.Operator.Settlement.AdvanceClockAsync(new AdvanceClockRequest { Duration = Duration.FromTimeSpan(TimeSpan.FromSeconds(1)) });
        var closed = await member.Api.GetAsync(ticket.TicketId);
        Assert.Equal((TicketState.Closed, true), (closed.State, closed.ClosedAutomatically));
        Assert.Equal(ticket.FeedbackTime.ToDateTimeOffset() + TimeSpan.FromDays(7), closed.CloseTime.ToDateTimeOffset());
    }

    [Fact]
    public async Task Only_the_operator_runs_the_auto_close()
    {
        using var host = new BillingHost();
        var account = await host.RegisterBillingAccountAsync();
        var (console, collector) = await host.ConsoleAndCollectorAsync();
        foreach (var caller in new[] { account.Api, console, collector })
        {
            await RpcAssert.Fails(Grpc.Core.StatusCode.PermissionDenied, () => caller.Tickets.RunTicketAutoCloseAsync(new RunTicketAutoCloseRequest()),
                "OPERATOR_REQUIRED");
        }
        await RpcAssert.Fails(Grpc.Core.StatusCode.Unauthenticated, () => host.Api().Tickets.RunTicketAutoCloseAsync(new RunTicketAutoCloseRequest()), "TOKEN_MISSING");
    }
}
