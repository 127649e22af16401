using Guance.Billing.Common;
using Guance.Billing.Data;
using Guance.Billing.Identity;
using Guance.Billing.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace Guance.Billing.Tickets;

/// <summary>What a call does with a ticket; <see cref="TicketAccess"/> says who may.</summary>
public enum TicketAction
{
    /// <summary>Read it and its attachments, reply: whoever sees it (support included).</summary>
    View,

    /// <summary>Close, cancel, restart, rate: the submitter's side only (of a workspace's ticket, the member who submitted it).</summary>
    Submit,

    /// <summary>Accept: support (the operator) only.</summary>
    Support,
}

/// <summary>
/// The one gate of every request about a ticket (docs/domain.md §8): a billing account sees its own
/// tickets, a console user those of the workspaces it is a member of (any role), the operator all;
/// a ticket the caller cannot see is NOT_FOUND, so ids of other tenants tell nothing.
/// </summary>
public sealed class TicketAccess(BillingDbContext db)
{
    /// <summary>Authenticates and checks the caller's kind for the action, before the request is validated.</summary>
    public static void RequireCallerKind(Caller caller, TicketAction action)
    {
        caller.RequireAuthenticated();
        if (action == TicketAction.Support)
        {
            caller.RequireOperator();
            return;
        }
        if (caller.Kind is not (CallerKind.BillingAccount or CallerKind.User or CallerKind.Operator))
        {
            throw Errors.PermissionDenied(ErrorReasons.TicketCallerRequired, "Tickets need a billing-center session, a console user token or the operator token.");
        }
        if (action == TicketAction.Submit && caller.IsOperator)
        {
            throw Errors.PermissionDenied(ErrorReasons.TicketSubmitterRequired,
                "Only the submitter's side (the billing account, or a member of the workspace) may do this; support answers with ReplyToTicket.");
        }
    }

    /// <summary>Checks the caller, validates the id (plus whatever <paramref name="request"/> collected), then finds a ticket the caller sees.</summary>
    public async Task<Ticket> AuthorizeAsync(Caller caller, string? ticketId, TicketAction action, CancellationToken cancellationToken,
        RequestValidator? request = null)
    {
        RequireCallerKind(caller, action);
        (request ?? new RequestValidator()).Id(ticketId, "ticket_id", "tk").ThrowIfInvalid();
        var ticket = await Visible(caller).AsNoTracking().FirstOrDefaultAsync(t => t.Id == ticketId, cancellationToken)
            ?? throw Errors.NotFound(ResourceTypes.Ticket, ticketId!);
        // Every member sees a workspace's tickets and may reply; only the one who submitted a ticket closes, cancels, restarts
        // or rates it, or the Owner once the submitter has left the workspace (else nobody could close it).
        if (action == TicketAction.Submit && caller.Kind == CallerKind.User && ticket.CreatedByUserId != caller.SubjectId
            && !await OwnerOfAbandonedAsync(ticket, caller.SubjectId!, cancellationToken))
        {
            throw Errors.PermissionDenied(ErrorReasons.TicketSubmitterRequired,
                $"Only the member who submitted ticket {ticket.Id} (or the Owner, once that member has left the workspace) may close, cancel, restart or rate it; other members may reply.");
        }
        return ticket;
    }

    private Task<bool> OwnerOfAbandonedAsync(Ticket ticket, string userId, CancellationToken cancellationToken) =>
        db.WorkspaceMembers.AnyAsync(m => m.WorkspaceId == ticket.WorkspaceId && m.UserId == userId && m.Role == WorkspaceRole.Owner
            && !db.WorkspaceMembers.Any(s => s.WorkspaceId == ticket.WorkspaceId && s.UserId == ticket.CreatedByUserId), cancellationToken);

    /// <summary>The tickets the caller may see.</summary>
    public IQueryable<Ticket> Visible(Caller caller) => caller.Kind switch
    {
        CallerKind.Operator => db.Tickets,
        CallerKind.BillingAccount => db.Tickets.Where(t => t.BillingAccountId == caller.SubjectId),
        CallerKind.User => db.Tickets.Where(t => t.WorkspaceId != null
            && db.WorkspaceMembers.Any(m => m.WorkspaceId == t.WorkspaceId && m.UserId == caller.SubjectId)),
        _ => db.Tickets.Where(t => false),
    };
}
