using Guance.Billing.Data;
using Guance.Billing.Notifications;
using Microsoft.EntityFrameworkCore;

namespace Guance.Billing.Tickets;

/// <summary>
/// The notices of ticket changes (docs/domain.md §9), added to the caller's unit of work so that they
/// commit with the change: support's reply and the close go to the billing account's address, or for
/// a workspace's ticket to the member who submitted it.
/// </summary>
public sealed class TicketNotices(BillingDbContext db, NotificationOutbox outbox)
{
    public async Task RepliedAsync(Ticket ticket, string messageId, DateTimeOffset now, CancellationToken cancellationToken) =>
        await AddAsync(ticket, NotificationKind.TicketReplied, $"ticket_replied:{messageId}",
            $"Support replied to your ticket \"{ticket.Title}\"",
            $"Support replied to ticket {ticket.Id} \"{ticket.Title}\" at {NotificationTexts.Time(now)}. "
            + $"Answer within {TicketRules.AutoCloseAfter.TotalDays:0} days, or the ticket closes by itself.", now, cancellationToken);

    public async Task ClosedAsync(Ticket ticket, bool automatically, DateTimeOffset now, CancellationToken cancellationToken) =>
        await AddAsync(ticket, NotificationKind.TicketClosed, $"ticket_closed:{ticket.Id}",
            $"Your ticket \"{ticket.Title}\" is closed",
            automatically
                ? $"Ticket {ticket.Id} \"{ticket.Title}\" was closed at {NotificationTexts.Time(now)}, {TicketRules.AutoCloseAfter.TotalDays:0} days after support's last reply without an answer. You can rate it."
                : $"Ticket {ticket.Id} \"{ticket.Title}\" was closed at {NotificationTexts.Time(now)}. You can rate it.",
            now, cancellationToken);

    private async Task AddAsync(Ticket ticket, NotificationKind kind, string dedupeKey, string subject, string body, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var recipient = ticket.BillingAccountId is { } accountId
            ? await db.BillingAccounts.AsNoTracking().Where(a => a.Id == accountId).Select(a => a.Email).FirstOrDefaultAsync(cancellationToken)
            : await db.Users.AsNoTracking().Where(u => u.Id == ticket.CreatedByUserId).Select(u => u.Email).FirstOrDefaultAsync(cancellationToken);
        if (recipient is null)
        {
            return; // the submitting user's account is gone: nobody to tell
        }
        outbox.Add(new NotificationDraft(kind, ticket.BillingAccountId, recipient, subject, body, ticket.Id, dedupeKey), now);
    }
}
