using Guance.Billing.Common;
using Guance.Billing.Data;
using Guance.Billing.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query;

namespace Guance.Billing.Tickets;

/// <summary>
/// The state changes of docs/domain.md §8 other than replies: accept (support), close, cancel,
/// restart, rate (the submitter's side), and the automatic close. Each is one conditional update of
/// the ticket's row (<c>WHERE state IN (...)</c>), so that of two concurrent callers or hosts only one
/// moves it; a refused change is FAILED_PRECONDITION WRONG_TICKET_STATE naming the current state.
/// </summary>
public sealed class TicketTransitions(BillingDbContext db, TicketAccess access, TicketNotices notices, TimeProvider clock)
{
    public Task<Ticket> AcceptAsync(Caller caller, string? ticketId, CancellationToken cancellationToken) =>
        MoveAsync(caller, ticketId, TicketAction.Support, "accept", [TicketState.WaitingForAssignment],
            (s, _) => s.SetProperty(t => t.State, TicketState.WaitingForFeedback),
            (ticket, now) => notices.AcceptedAsync(ticket, now, cancellationToken), cancellationToken);

    public Task<Ticket> CancelAsync(Caller caller, string? ticketId, CancellationToken cancellationToken) =>
        MoveAsync(caller, ticketId, TicketAction.Submit, "cancel", [TicketState.WaitingForAssignment],
            (s, _) => s.SetProperty(t => t.State, TicketState.Cancelled), null, cancellationToken);

    public Task<Ticket> RestartAsync(Caller caller, string? ticketId, CancellationToken cancellationToken) =>
        MoveAsync(caller, ticketId, TicketAction.Submit, "restart", [TicketState.Cancelled],
            (s, _) => s.SetProperty(t => t.State, TicketState.WaitingForAssignment), null, cancellationToken);

    /// <summary>The submitter closes it at any time; a closed ticket never reopens.</summary>
    public Task<Ticket> CloseAsync(Caller caller, string? ticketId, CancellationToken cancellationToken) =>
        MoveAsync(caller, ticketId, TicketAction.Submit, "close",
            [TicketState.WaitingForAssignment, TicketState.WaitingForFeedback, TicketState.FeedbackProvided, TicketState.Cancelled],
            (s, now) => s.SetProperty(t => t.State, TicketState.Closed).SetProperty(t => t.ClosedAt, now).SetProperty(t => t.ClosedAutomatically, false),
            (ticket, now) => notices.ClosedAsync(ticket, automatically: false, now, cancellationToken), cancellationToken);

    /// <summary>Rates a closed ticket, once.</summary>
    public async Task<Ticket> RateAsync(Caller caller, string? ticketId, int stars, string? comment, CancellationToken cancellationToken)
    {
        var validator = new RequestValidator()
            .Check(stars is >= 1 and <= 5, "stars", "must be 1 to 5")
            .MultiLineText(comment, "comment", TicketRules.MaxCommentLength, required: false);
        var ticket = await access.AuthorizeAsync(caller, ticketId, TicketAction.Submit, cancellationToken, validator);
        var now = clock.GetUtcNow();
        var text = string.IsNullOrWhiteSpace(comment) ? "" : comment.Trim();
        var rated = await db.Tickets.Where(t => t.Id == ticket.Id && t.State == TicketState.Closed && t.RatingStars == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RatingStars, stars).SetProperty(t => t.RatingComment, text)
                .SetProperty(t => t.RatedAt, now).SetProperty(t => t.UpdatedAt, now), cancellationToken);
        var after = await db.Tickets.AsNoTracking().FirstAsync(t => t.Id == ticket.Id, cancellationToken);
        if (rated == 0)
        {
            throw after.State != TicketState.Closed
                ? WrongState(ticket.Id, after.State, "rate")
                : Errors.Precondition(ErrorReasons.TicketAlreadyRated, $"ticket {ticket.Id}", "The ticket was rated already; a ticket is rated once.")
                    .With("ticket_id", ticket.Id);
        }
        return after;
    }

    /// <summary>
    /// Closes every ticket whose feedback has had no answer for <see cref="TicketRules.AutoCloseAfter"/>
    /// at <paramref name="now"/>, each with its notice in one transaction; a ticket another run closed
    /// first is skipped. Returns how many this run closed.
    /// </summary>
    public async Task<int> AutoCloseDueAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var cutoff = now - TicketRules.AutoCloseAfter;
        var due = await db.Tickets.AsNoTracking()
            .Where(t => t.State == TicketState.FeedbackProvided && t.FeedbackAt <= cutoff)
            .OrderBy(t => t.Id).ToListAsync(cancellationToken);
        var closed = 0;
        foreach (var ticket in due)
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var moved = await db.Tickets
                .Where(t => t.Id == ticket.Id && t.State == TicketState.FeedbackProvided && t.FeedbackAt <= cutoff)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.State, TicketState.Closed).SetProperty(t => t.ClosedAt, now)
                    .SetProperty(t => t.ClosedAutomatically, true).SetProperty(t => t.UpdatedAt, now), cancellationToken);
            if (moved == 0)
            {
                continue; // answered, closed or auto-closed by another run meanwhile
            }
            await notices.ClosedAsync(ticket, automatically: true, now, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            db.ChangeTracker.Clear();
            closed++;
        }
        return closed;
    }

    /// <summary>The operator's RunTicketAutoClose.</summary>
    public Task<int> RunAutoCloseAsync(Caller caller, CancellationToken cancellationToken)
    {
        caller.RequireOperator();
        return AutoCloseDueAsync(clock.GetUtcNow(), cancellationToken);
    }

    /// <summary>When the next open feedback falls due for the automatic close, after <paramref name="after"/>.</summary>
    public async Task<DateTimeOffset?> NextAutoCloseAsync(DateTimeOffset after, CancellationToken cancellationToken)
    {
        var cutoff = after - TicketRules.AutoCloseAfter;
        var next = await db.Tickets.AsNoTracking()
            .Where(t => t.State == TicketState.FeedbackProvided && t.FeedbackAt > cutoff)
            .MinAsync(t => t.FeedbackAt, cancellationToken);
        return next + TicketRules.AutoCloseAfter;
    }

    public static BillingException WrongState(string ticketId, TicketState state, string what)
    {
        var name = StateName(state);
        return Errors.Precondition(ErrorReasons.WrongTicketState, $"ticket {ticketId}", $"The ticket is {name}: {what} is not allowed in this state.")
            .With("ticket_id", ticketId)
            .With("state", name);
    }

    /// <summary>The state as the contract spells it, for example WAITING_FOR_ASSIGNMENT.</summary>
    public static string StateName(TicketState state) => state switch
    {
        TicketState.WaitingForAssignment => "WAITING_FOR_ASSIGNMENT",
        TicketState.WaitingForFeedback => "WAITING_FOR_FEEDBACK",
        TicketState.FeedbackProvided => "FEEDBACK_PROVIDED",
        TicketState.Closed => "CLOSED",
        TicketState.Cancelled => "CANCELLED",
        _ => state.ToString(),
    };

    private async Task<Ticket> MoveAsync(Caller caller, string? ticketId, TicketAction action, string what, TicketState[] from,
        Action<UpdateSettersBuilder<Ticket>, DateTimeOffset> set, Func<Ticket, DateTimeOffset, Task>? notify, CancellationToken cancellationToken)
    {
        var ticket = await access.AuthorizeAsync(caller, ticketId, action, cancellationToken);
        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var moved = await db.Tickets.Where(t => t.Id == ticket.Id && from.Contains(t.State))
            .ExecuteUpdateAsync(s =>
            {
                set(s, now);
                s.SetProperty(t => t.UpdatedAt, now);
            }, cancellationToken);
        if (moved == 0)
        {
            var state = await db.Tickets.AsNoTracking().Where(t => t.Id == ticket.Id).Select(t => t.State).FirstAsync(cancellationToken);
            throw WrongState(ticket.Id, state, what);
        }
        if (notify is not null)
        {
            await notify(ticket, now);
            await db.SaveChangesAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return await db.Tickets.AsNoTracking().FirstAsync(t => t.Id == ticket.Id, cancellationToken);
    }
}
