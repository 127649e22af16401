using Guance.Billing.Common;
using Guance.Billing.Data;
using Guance.Billing.Identity;
using Guance.Billing.Notifications;
using Microsoft.EntityFrameworkCore;

namespace Guance.Billing.Invoices;

/// <summary>One change of an invoice's state: where it may start, what it sets, and the notice it writes.</summary>
/// <param name="To">The state it leads to.</param>
/// <param name="From">The states it may start from; any other is FAILED_PRECONDITION <c>INVOICE_STATE_CONFLICT</c>.</param>
/// <param name="Rule">Why, for the message: for example "only a requested invoice can be cancelled".</param>
/// <param name="Check">A further precondition on the invoice (for example, paper only); throws when broken.</param>
/// <param name="Notice">The notice to the account, or null for none.</param>
/// <param name="NoticeToInvoiceEmail">Whether the notice also goes to the invoice's own e-mail address (an electronic invoice issued or reversed).</param>
public sealed record InvoiceTransition(
    InvoiceState To, InvoiceState[] From, string Rule, string Fingerprint, Action<Invoice, DateTimeOffset> Apply,
    Action<Invoice>? Check = null, Func<Invoice, (NotificationKind Kind, NoticeValues Values)>? Notice = null,
    Func<Invoice, bool>? NoticeToInvoiceEmail = null);

/// <summary>
/// Runs the state changes after a request (docs/domain.md §8), each one transaction under the
/// account's lock with its event and notice. A retry with the same request id finds the event and
/// returns the invoice as it is now, whatever happened to it since; the same request id with other
/// parameters is REQUEST_ID_REUSED.
/// </summary>
public sealed class InvoiceTransitions(BillingDbContext db, InvoiceWrites writes, NotificationOutbox outbox)
{
    public async Task<InvoiceView> RunAsync(Caller caller, string invoiceId, string requestId, InvoiceTransition transition, CancellationToken cancellationToken)
    {
        var found = await db.Invoices.AsNoTracking().Where(i => i.Id == invoiceId).Select(i => i.BillingAccountId).FirstOrDefaultAsync(cancellationToken);
        if (found is null || !InvoiceProfileManager.Sees(caller, found))
        {
            throw Errors.NotFound(ResourceTypes.Invoice, invoiceId);
        }
        return await writes.RunAsync(found, async now =>
        {
            var earlier = await db.InvoiceEvents.AsNoTracking().FirstOrDefaultAsync(e => e.InvoiceId == invoiceId && e.RequestId == requestId, cancellationToken);
            if (earlier is not null)
            {
                return earlier.Fingerprint == transition.Fingerprint
                    ? await ViewAsync(db, invoiceId, cancellationToken)
                    : throw Errors.Precondition(ErrorReasons.RequestIdReused, $"request_id {requestId}",
                        $"request_id {Errors.Echo(requestId)} was already used for a different change of this invoice; use a new one.");
            }
            var invoice = await db.Invoices.FirstAsync(i => i.Id == invoiceId, cancellationToken);
            if (!transition.From.Contains(invoice.State))
            {
                throw StateConflict(invoice, transition.Rule);
            }
            transition.Check?.Invoke(invoice);
            transition.Apply(invoice, now);
            invoice.State = transition.To;
            invoice.UpdatedAt = now;
            db.InvoiceEvents.Add(new InvoiceEvent { InvoiceId = invoiceId, RequestId = requestId, State = transition.To, Fingerprint = transition.Fingerprint, CreatedAt = now });
            if (transition.Notice is not null)
            {
                var (kind, values) = transition.Notice(invoice);
                var email = await db.BillingAccounts.AsNoTracking().Where(a => a.Id == invoice.BillingAccountId).Select(a => a.Email).FirstAsync(cancellationToken);
                var key = $"{kind.ToString().ToLowerInvariant()}:{invoice.Id}";
                outbox.Add(new NotificationDraft(kind, invoice.BillingAccountId, email, values, invoice.Id, key), now);
                if (transition.NoticeToInvoiceEmail?.Invoke(invoice) == true && !string.Equals(invoice.Email, email, StringComparison.OrdinalIgnoreCase))
                {
                    // The copy for the address the invoice was requested to; the account's webhooks got the first.
                    outbox.Add(new NotificationDraft(kind, invoice.BillingAccountId, invoice.Email, values, invoice.Id, key + ":invoice_email", ToWebhooks: false), now);
                }
            }
            await db.SaveChangesAsync(cancellationToken);
            return await ViewAsync(db, invoiceId, cancellationToken);
        }, cancellationToken);
    }

    public static BillingException StateConflict(Invoice invoice, string rule) =>
        Errors.Precondition(ErrorReasons.InvoiceStateConflict, $"invoices/{invoice.Id}", $"Invoice {invoice.Id} is {invoice.State.Name()}; {rule}.")
            .With("state", invoice.State.Name());

    internal static async Task<InvoiceView> ViewAsync(BillingDbContext db, string invoiceId, CancellationToken cancellationToken)
    {
        var invoice = await db.Invoices.AsNoTracking().FirstAsync(i => i.Id == invoiceId, cancellationToken);
        var lines = await db.InvoiceLines.AsNoTracking().Where(l => l.InvoiceId == invoiceId).OrderBy(l => l.SourceId).ToListAsync(cancellationToken);
        return new InvoiceView(invoice, lines);
    }
}
