using Guance.Billing.Data;
using Guance.Billing.Notifications;
using Microsoft.EntityFrameworkCore;

namespace Guance.Billing.Tickets;

/// <summary>
/// The notices of ticket changes (docs/domain.md §9), added to the caller's unit of work so that they
/// commit with the change: support's acceptance and reply and the close go to the billing account's address, or for
/// a workspace's ticket to the member who submitted it while still a member.
/// </summary>
public sealed class TicketNotices(BillingDbContext db, NotificationOutbox outbox)
{
    public async Task AcceptedAsync(Ticket ticket, DateTimeOffset now, CancellationToken cancellationToken) =>
        await AddAsync(ticket, NotificationKind.TicketAccepted, $"ticket_accepted:{ticket.Id}", Values(ticket).Time("accepted_at", now), now, cancellationToken);

    public async Task RepliedAsync(Ticket ticket, string messageId, DateTimeOffset now, CancellationToken cancellationToken) =>
        await AddAsync(ticket, NotificationKind.TicketReplied, $"ticket_replied:{messageId}",
            Values(ticket).Time("replied_at", now), now, cancellationToken);

    public async Task ClosedAsync(Ticket ticket, bool automatically, DateTimeOffset now, CancellationToken cancellationToken) =>
        await AddAsync(ticket, NotificationKind.TicketClosed, $"ticket_closed:{ticket.Id}",
            Values(ticket).Time("closed_at", now).Flag("automatically", automatically), now, cancellationToken);

    private static NoticeValues Values(Ticket ticket) => new NoticeValues()
        .Text("ticket", ticket.Id).Text("title", ticket.Title).Number("days", (long)TicketRules.AutoCloseAfter.TotalDays);

    private async Task AddAsync(Ticket ticket, NotificationKind kind, string dedupeKey, NoticeValues values, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var recipient = ticket.BillingAccountId is { } accountId
            ? await db.BillingAccounts.AsNoTracking().Where(a => a.Id == accountId).Select(a => a.Email).FirstOrDefaultAsync(cancellationToken)
            : await db.Users.AsNoTracking()
                .Where(u => u.Id == ticket.CreatedByUserId && db.WorkspaceMembers.Any(m => m.WorkspaceId == ticket.WorkspaceId && m.UserId == u.Id))
                .Select(u => u.Email).FirstOrDefaultAsync(cancellationToken);
        if (recipient is null)
        {
            return; // the submitter left the workspace, or its account is gone: nobody to tell about a ticket they no longer see
        }
        outbox.Add(new NotificationDraft(kind, ticket.BillingAccountId, recipient, values, ticket.Id, dedupeKey, ticket.WorkspaceId), now);
    }
}
