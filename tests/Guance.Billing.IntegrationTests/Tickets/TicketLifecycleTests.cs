using Grpc.Core;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.V1;

namespace Guance.Billing.IntegrationTests.Tickets;

/// <summary>
/// The states of docs/domain.md §8: waiting for assignment → (accept) waiting for feedback → (support
/// reply) feedback provided → (submitter reply) waiting for feedback → closed by the submitter;
/// cancel only while waiting for assignment, then restart; a closed ticket takes no reply, never
/// reopens, and is rated once. Every refusal is WRONG_TICKET_STATE naming the current state.
/// </summary>
public sealed class TicketLifecycleTests
{
    private static async Task RefusedIn(string state, Func<Task> call)
    {
        var error = await RpcAssert.Fails(StatusCode.FailedPrecondition, call, "WRONG_TICKET_STATE");
        Assert.Contains(state, error.Status.Detail, StringComparison.Ordinal);
        var info = error.GetRpcStatus()!.GetDetail<Google.Rpc.ErrorInfo>();
        Assert.Equal(state, info.Metadata["state"]);
    }

    [Fact]
    public async Task A_ticket_goes_through_every_state_and_each_step_is_refused_where_the_rules_say()
    {
        using var host = new BillingHost();
        var account = await host.RegisterBillingAccountAsync();
        var me = account.Api.Tickets;
        var ticket = await account.Api.CreateAsync(TicketKit.AccountTicket(account.Id));
        Assert.Equal((TicketState.WaitingForAssignment, account.Id, "", 1), (ticket.State, ticket.BillingAccountId, ticket.WorkspaceId, ticket.MessageCount));
        var id = ticket.TicketId;

        // Waiting for assignment: support cannot reply before accepting; the submitter may add detail; no rating.
        await RefusedIn("WAITING_FOR_ASSIGNMENT", async () => await host.Operator.Tickets.ReplyToTicketAsync(TicketKit.Reply(id)));
        Assert.Equal(TicketState.WaitingForAssignment, (await account.Api.ReplyAsync(id)).State);
        await RefusedIn("WAITING_FOR_ASSIGNMENT", async () => await me.RestartTicketAsync(new RestartTicketRequest { TicketId = id }));
        await RefusedIn("WAITING_FOR_ASSIGNMENT", async () => await me.RateTicketAsync(new RateTicketRequest { TicketId = id, Stars = 5 }));

        // Cancel, then everything but restart and close is refused; restart waits for assignment again.
        Assert.Equal(TicketState.Cancelled, (await me.CancelTicketAsync(new CancelTicketRequest { TicketId = id })).Ticket.State);
        await RefusedIn("CANCELLED", async () => await me.CancelTicketAsync(new CancelTicketRequest { TicketId = id }));
        await RefusedIn("CANCELLED", async () => await host.Operator.Tickets.AcceptTicketAsync(new AcceptTicketRequest { TicketId = id }));
        await RefusedIn("CANCELLED", async () => await me.ReplyToTicketAsync(TicketKit.Reply(id)));
        await RefusedIn("CANCELLED", async () => await host.Operator.Tickets.ReplyToTicketAsync(TicketKit.Reply(id)));
        Assert.Equal(TicketState.WaitingForAssignment, (await me.RestartTicketAsync(new RestartTicketRequest { TicketId = id })).Ticket.State);

        // Accept: waiting for feedback; a second accept and a cancel are refused.
        Assert.Equal(TicketState.WaitingForFeedback, (await host.AcceptAsync(id)).State);
        await RefusedIn("WAITING_FOR_FEEDBACK", async () => await host.Operator.Tickets.AcceptTicketAsync(new AcceptTicketRequest { TicketId = id }));
        await RefusedIn("WAITING_FOR_FEEDBACK", async () => await me.CancelTicketAsync(new CancelTicketRequest { TicketId = id }));
        Assert.Equal(TicketState.WaitingForFeedback, (await account.Api.ReplyAsync(id)).State);

        // Support replies: feedback provided (and a notice); the submitter's answer moves it back.
        host.Clock.Advance(TimeSpan.FromMinutes(5));
        var feedback = await host.Operator.ReplyAsync(id, "Please send the bill's CSV.");
        Assert.Equal(TicketState.FeedbackProvided, feedback.State);
        Assert.Equal(host.Clock.GetUtcNow().ToUnixTimeSeconds(), feedback.FeedbackTime.Seconds);
        Assert.Equal(TicketState.FeedbackProvided, (await host.Operator.ReplyAsync(id, "And the workspace id.")).State);
        await RefusedIn("FEEDBACK_PROVIDED", async () => await me.CancelTicketAsync(new CancelTicketRequest { TicketId = id }));
        Assert.Equal(TicketState.WaitingForFeedback, (await account.Api.ReplyAsync(id, "Here it is.")).State);
        Assert.Equal(TicketState.FeedbackProvided, (await host.Operator.ReplyAsync(id, "Fixed.")).State);
        var replied = await host.TicketNoticesAsync(NotificationKind.TicketReplied);
        Assert.Equal(3, replied.Count(n => n.Reference == id));
        Assert.All(replied, n => Assert.Equal((account.Id, account.Account.Email), (n.BillingAccountId, n.Recipient)));

        // Close; then nothing moves it, nobody replies, and it is rated once.
        var closed = (await me.CloseTicketAsync(new CloseTicketRequest { TicketId = id })).Ticket;
        Assert.Equal((TicketState.Closed, false), (closed.State, closed.ClosedAutomatically));
        Assert.NotNull(closed.CloseTime);
        await RefusedIn("CLOSED", async () => await me.CloseTicketAsync(new CloseTicketRequest { TicketId = id }));
        await RefusedIn("CLOSED", async () => await me.ReplyToTicketAsync(TicketKit.Reply(id)));
        await RefusedIn("CLOSED", async () => await host.Operator.Tickets.ReplyToTicketAsync(TicketKit.Reply(id)));
        await RefusedIn("CLOSED", async () => await me.RestartTicketAsync(new RestartTicketRequest { TicketId = id }));
        await RefusedIn("CLOSED", async () => await me.CancelTicketAsync(new CancelTicketRequest { TicketId = id }));
        await RefusedIn("CLOSED", async () => await host.Operator.Tickets.AcceptTicketAsync(new AcceptTicketRequest { TicketId = id }));
        var rated = (await me.RateTicketAsync(new RateTicketRequest { TicketId = id, Stars = 4, Comment = "Quick." })).Ticket;
        Assert.Equal((4, "Quick."), (rated.Rating.Stars, rated.Rating.Comment));
        await RpcAssert.Precondition(() => me.RateTicketAsync(new RateTicketRequest { TicketId = id, Stars = 1 }), "TICKET_ALREADY_RATED");
        Assert.Equal(4, (await account.Api.GetAsync(id)).Rating.Stars);
        var closeNotice = Assert.Single(await host.TicketNoticesAsync(NotificationKind.TicketClosed), n => n.Reference == id);
        Assert.Equal(account.Account.Email, closeNotice.Recipient);

        // The thread: the description first, then every message in order, with its author.
        var thread = await me.GetTicketAsync(new GetTicketRequest { TicketId = id });
        Assert.Equal(
            [TicketAuthor.Submitter, TicketAuthor.Submitter, TicketAuthor.Submitter, TicketAuthor.Support, TicketAuthor.Support, TicketAuthor.Submitter, TicketAuthor.Support],
            thread.Messages.Select(m => m.Author));
        Assert.Equal("The bill of 2026-11-02\nis 10 CNY too high.", thread.Messages[0].Text);
        Assert.Equal(7, thread.Ticket.MessageCount);
    }

    [Fact]
    public async Task A_waiting_ticket_can_be_closed_and_a_cancelled_one_too_and_neither_reopens()
    {
        using var host = new BillingHost();
        var account = await host.RegisterBillingAccountAsync();
        var waiting = await account.Api.CreateAsync(TicketKit.AccountTicket(account.Id));
        var cancelled = await account.Api.CreateAsync(TicketKit.AccountTicket(account.Id));
        await account.Api.Tickets.CancelTicketAsync(new CancelTicketRequest { TicketId = cancelled.TicketId });

        foreach (var ticket in new[] { waiting, cancelled })
        {
            Assert.Equal(TicketState.Closed, (await account.Api.Tickets.CloseTicketAsync(new CloseTicketRequest { TicketId = ticket.TicketId })).Ticket.State);
            await RefusedIn("CLOSED", async () => await account.Api.Tickets.RestartTicketAsync(new RestartTicketRequest { TicketId = ticket.TicketId }));
        }
    }

    [Fact]
    public async Task Workspace_members_of_any_role_share_the_workspaces_tickets_only_the_submitter_closes_it_and_is_notified()
    {
        using var host = new BillingHost();
        var workspace = await host.CreateWorkspaceAsync();
        var ticket = await workspace.ReadOnly.Api.CreateAsync(TicketKit.WorkspaceTicket(workspace.Id));
        Assert.Equal((workspace.Id, "", workspace.ReadOnly.Id), (ticket.WorkspaceId, ticket.BillingAccountId, ticket.CreatedByUserId));

        await host.AcceptAsync(ticket.TicketId);
        await host.Operator.ReplyAsync(ticket.TicketId, "Which day?");
        var answer = (await workspace.Standard.Api.Tickets.ReplyToTicketAsync(TicketKit.Reply(ticket.TicketId, "2026-11-01"))).Message;
        Assert.Equal((TicketAuthor.Submitter, workspace.Standard.Id), (answer.Author, answer.AuthorUserId));
        // Closing is the submitter's: not the Owner's, though the Owner sees the ticket and may reply.
        await RpcAssert.Fails(StatusCode.PermissionDenied,
            () => workspace.Owner.Api.Tickets.CloseTicketAsync(new CloseTicketRequest { TicketId = ticket.TicketId }), "TICKET_SUBMITTER_REQUIRED");
        await RpcAssert.Fails(StatusCode.PermissionDenied,
            () => workspace.Standard.Api.Tickets.RateTicketAsync(new RateTicketRequest { TicketId = ticket.TicketId, Stars = 5 }), "TICKET_SUBMITTER_REQUIRED");
        Assert.Equal(TicketState.WaitingForFeedback, (await workspace.Owner.Api.Tickets.GetTicketAsync(new GetTicketRequest { TicketId = ticket.TicketId })).Ticket.State);
        await workspace.ReadOnly.Api.Tickets.CloseTicketAsync(new CloseTicketRequest { TicketId = ticket.TicketId });

        // The submitter is told that support accepted it, replied, and that it closed.
        var accepted = Assert.Single(await host.TicketNoticesAsync(NotificationKind.TicketAccepted), n => n.Reference == ticket.TicketId);
        Assert.Equal((workspace.ReadOnly.Email, ""), (accepted.Recipient, accepted.BillingAccountId));
        var replied = Assert.Single(await host.TicketNoticesAsync(NotificationKind.TicketReplied), n => n.Reference == ticket.TicketId);
        Assert.Equal((workspace.ReadOnly.Email, ""), (replied.Recipient, replied.BillingAccountId));
        Assert.Equal(workspace.ReadOnly.Email, Assert.Single(await host.TicketNoticesAsync(NotificationKind.TicketClosed), n => n.Reference == ticket.TicketId).Recipient);
        Assert.Equal(3, (await workspace.Administrator.Api.Tickets.GetTicketAsync(new GetTicketRequest { TicketId = ticket.TicketId })).Messages.Count);
    }

    [Fact]
    public async Task Once_its_submitter_has_left_the_workspace_the_Owner_closes_a_ticket_and_the_former_member_is_told_nothing()
    {
        using var host = new BillingHost();
        var workspace = await host.CreateWorkspaceAsync();
        var ticket = await workspace.Standard.Api.CreateAsync(TicketKit.WorkspaceTicket(workspace.Id));
        var cancel = new CancelTicketRequest { TicketId = ticket.TicketId };
        await RpcAssert.Fails(StatusCode.PermissionDenied, () => workspace.Owner.Api.Tickets.CancelTicketAsync(cancel), "TICKET_SUBMITTER_REQUIRED");

        await workspace.Owner.Api.Workspaces.RemoveMemberAsync(new RemoveMemberRequest { WorkspaceId = workspace.Id, UserId = workspace.Standard.Id });
        await host.AcceptAsync(ticket.TicketId);

        Assert.DoesNotContain(await host.TicketNoticesAsync(NotificationKind.TicketAccepted), n => n.Reference == ticket.TicketId);
        await RpcAssert.Fails(StatusCode.PermissionDenied,
            () => workspace.Administrator.Api.Tickets.CloseTicketAsync(new CloseTicketRequest { TicketId = ticket.TicketId }), "TICKET_SUBMITTER_REQUIRED");
        Assert.Equal(TicketState.Closed, (await workspace.Owner.Api.Tickets.CloseTicketAsync(new CloseTicketRequest { TicketId = ticket.TicketId })).Ticket.State);
        Assert.DoesNotContain(await host.TicketNoticesAsync(NotificationKind.TicketClosed), n => n.Reference == ticket.TicketId);
    }

    [Fact]
    public async Task A_workspace_tickets_notices_are_written_in_the_language_of_the_account_that_pays_for_the_workspace()
    {
        using var host = new BillingHost();
        var workspace = await host.CreateWorkspaceAsync("cn1");
        var ticket = await workspace.Owner.Api.CreateAsync(TicketKit.WorkspaceTicket(workspace.Id, "Usage missing"));
        await host.AcceptAsync(ticket.TicketId);
        await host.Operator.ReplyAsync(ticket.TicketId, "Which day?");
        // A China site without a paying account: Simplified Chinese.
        Assert.DoesNotContain("Support replied", Assert.Single(await host.TicketNoticesAsync(NotificationKind.TicketReplied)).Subject, StringComparison.Ordinal);

        var account = await host.UpgradeAsync(workspace);
        await account.Client.UpdateBillingAccountAsync(new UpdateBillingAccountRequest
        {
            BillingAccountId = account.Id, BillingAccount = new BillingAccount { Language = "en" }, UpdateMask = new Google.Protobuf.WellKnownTypes.FieldMask { Paths = { "language" } },
        });
        await workspace.Owner.Api.ReplyAsync(ticket.TicketId, "2026-11-01");
        host.Clock.Advance(TimeSpan.FromMinutes(1));
        await host.Operator.ReplyAsync(ticket.TicketId, "Found it.");
        var replies = (await host.TicketNoticesAsync(NotificationKind.TicketReplied)).OrderBy(n => n.CreateTime.ToDateTimeOffset()).ToList();
        Assert.Equal("Support replied to your ticket \"Usage missing\"", replies[^1].Subject);
    }
}
