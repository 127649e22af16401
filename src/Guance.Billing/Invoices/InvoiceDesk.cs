using System.Globalization;
using System.Security.Cryptography;
using Guance.Billing.Common;
using Guance.Billing.Data;
using Guance.Billing.Identity;
using Guance.Billing.Notifications;
using Guance.Billing.Wallets;
using Guance.Billing.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace Guance.Billing.Invoices;

/// <summary>
/// The operator's side of invoices (docs/domain.md §8): issue (number, date and, for an electronic
/// invoice, its PDF), reject with a reason, mark a paper invoice mailed, reverse an issued one with a
/// red-letter invoice. Each is one transaction with its notice; rejecting and reversing return the
/// amount to the sources.
/// </summary>
public sealed class InvoiceDesk(BillingDbContext db, InvoiceTransitions transitions, TimeProvider clock)
{
    public const int MaxDocumentBytes = 10 * 1024 * 1024;
    public const int MaxNumber = 64;
    public const int MaxReason = 500;
    public const int MaxCarrier = 64;
    private static readonly byte[] PdfMagic = "%PDF-"u8.ToArray();

    public async Task<InvoiceView> IssueAsync(
        Caller caller, string invoiceId, string requestId, string invoiceNumber, DateOnly? issueDate, bool issueDateGiven, ReadOnlyMemory<byte> document,
        CancellationToken cancellationToken)
    {
        caller.RequireOperator();
        var validator = Common(invoiceId, requestId);
        Number(validator, invoiceNumber, "invoice_number");
        validator.Check(issueDate is not null, "issue_date", issueDateGiven ? BillingDays.Rule : "is required: the day the invoice was issued")
            .Check(document.Length <= MaxDocumentBytes, "document", $"must be at most {MaxDocumentBytes / (1024 * 1024)} MB")
            .Check(document.Length == 0 || document.Span.StartsWith(PdfMagic), "document", "must be a PDF document (starting with %PDF-)")
            .ThrowIfInvalid();
        var number = Canonical(invoiceNumber);
        var fingerprint = RequestFingerprint.Of("issue", invoiceId, number, issueDate!.Value.DayNumber, Convert.ToHexStringLower(SHA256.HashData(document.Span)));
        return await transitions.RunAsync(caller, invoiceId, requestId, new InvoiceTransition(
            InvoiceState.Issued, [InvoiceState.Requested], "only a requested invoice can be issued", fingerprint,
            (invoice, now) =>
            {
                invoice.InvoiceNumber = number;
                db.TakenInvoiceNumbers.Add(new TakenInvoiceNumber { Number = number, InvoiceId = invoice.Id });
                invoice.IssueDate = issueDate;
                invoice.IssuedAt = now;
                if (document.Length > 0)
                {
                    invoice.DocumentSize = document.Length;
                    db.InvoiceDocuments.Add(new InvoiceDocument { InvoiceId = invoice.Id, Content = document.ToArray(), CreatedAt = now });
                }
            },
            invoice =>
            {
                var (earliest, latest) = IssueDays(invoice);
                new RequestValidator()
                    .Check(issueDate >= earliest && issueDate <= latest, "issue_date", string.Create(CultureInfo.InvariantCulture,
                        $"must be a day from {earliest:yyyy-MM-dd} to {latest:yyyy-MM-dd} (from the invoice's request to today, on any time zone's calendar), not {issueDate:yyyy-MM-dd}"))
                    .Check(invoice.Type.IsPaper() || document.Length > 0, "document", "is required: an electronic invoice is issued with its PDF")
                    .Check(!invoice.Type.IsPaper() || document.Length == 0, "document", "must be empty: a paper invoice has no document here")
                    .ThrowIfInvalid();
                RequireUnused(number);
            },
            invoice => (NotificationKind.InvoiceIssued, new NoticeValues()
                .Text("invoice_number", invoice.InvoiceNumber ?? "").Money("amount", invoice.Amount).Text("title", invoice.Title)
                .Day("issue_day", invoice.IssueDate!.Value).Flag("paper", invoice.Type.IsPaper()).Text("recipient", invoice.Recipient ?? "")),
            NoticeToInvoiceEmail: invoice => !invoice.Type.IsPaper()), cancellationToken);
    }

    public async Task<InvoiceView> RejectAsync(Caller caller, string invoiceId, string requestId, string reason, CancellationToken cancellationToken)
    {
        caller.RequireOperator();
        Common(invoiceId, requestId).Text(reason?.Trim(), "reason", MaxReason).ThrowIfInvalid();
        var text = reason!.Trim();
        return await transitions.RunAsync(caller, invoiceId, requestId, new InvoiceTransition(
            InvoiceState.Rejected, [InvoiceState.Requested], "only a requested invoice can be rejected", RequestFingerprint.Of("reject", invoiceId, text),
            (invoice, now) => { invoice.RejectReason = text; invoice.ClosedAt = now; },
            Notice: invoice => (NotificationKind.InvoiceRejected, new NoticeValues()
                .Text("invoice", invoice.Id).Money("amount", invoice.Amount).Text("reason", text)
                .Time("requested_at", invoice.RequestedAt).Text("title", invoice.Title))), cancellationToken);
    }

    public async Task<InvoiceView> MarkMailedAsync(Caller caller, string invoiceId, string requestId, string carrier, string trackingNumber, CancellationToken cancellationToken)
    {
        caller.RequireOperator();
        Common(invoiceId, requestId).Text(carrier?.Trim(), "carrier", MaxCarrier).Text(trackingNumber?.Trim(), "tracking_number", MaxNumber).ThrowIfInvalid();
        var (via, tracking) = (carrier!.Trim(), trackingNumber!.Trim());
        return await transitions.RunAsync(caller, invoiceId, requestId, new InvoiceTransition(
            InvoiceState.Mailed, [InvoiceState.Issued], "only an issued invoice can be mailed", RequestFingerprint.Of("mail", invoiceId, via, tracking),
            (invoice, now) => { invoice.Carrier = via; invoice.TrackingNumber = tracking; invoice.MailedAt = now; },
            invoice =>
            {
                if (!invoice.Type.IsPaper())
                {
                    throw Errors.Precondition(ErrorReasons.InvoiceNotPaper, $"invoices/{invoice.Id}", $"Invoice {invoice.Id} is electronic: it is e-mailed, not mailed.");
                }
            },
            invoice => (NotificationKind.InvoiceMailed, new NoticeValues()
                .Text("invoice_number", invoice.InvoiceNumber ?? "").Text("recipient", invoice.Recipient ?? "").Text("carrier", via).Text("tracking_number", tracking))), cancellationToken);
    }

    public async Task<InvoiceView> ReverseAsync(Caller caller, string invoiceId, string requestId, string redLetterNumber, string reason, CancellationToken cancellationToken)
    {
        caller.RequireOperator();
        var validator = Common(invoiceId, requestId);
        Number(validator, redLetterNumber, "red_letter_number");
        validator.Text(reason?.Trim(), "reason", MaxReason).ThrowIfInvalid();
        var (number, text) = (Canonical(redLetterNumber), reason!.Trim());
        return await transitions.RunAsync(caller, invoiceId, requestId, new InvoiceTransition(
            InvoiceState.Reversed, [InvoiceState.Issued, InvoiceState.Mailed], "only an issued (or mailed) invoice can be reversed",
            RequestFingerprint.Of("reverse", invoiceId, number, text),
            (invoice, now) =>
            {
                invoice.RedLetterNumber = number;
                db.TakenInvoiceNumbers.Add(new TakenInvoiceNumber { Number = number, InvoiceId = invoice.Id, RedLetter = true });
                invoice.ReverseReason = text;
                invoice.ClosedAt = now;
            },
            invoice => RequireUnused(number),
            invoice => (NotificationKind.InvoiceReversed, new NoticeValues()
                .Text("invoice_number", invoice.InvoiceNumber ?? "").Money("amount", invoice.Amount).Text("red_letter_number", number).Text("reason", text)),
            // Whoever received the electronic invoice hears that it no longer holds.
            NoticeToInvoiceEmail: invoice => !invoice.Type.IsPaper()), cancellationToken);
    }

    /// <summary>
    /// An invoice number and a red-letter number are numbers of documents of one series: each is used once, by one
    /// invoice or one red-letter invoice (<see cref="TakenInvoiceNumber"/>). Two writes that take one number at the
    /// same instant both pass this look; the second's insert of the number then fails, and its retry finds it here.
    /// </summary>
    private void RequireUnused(string number)
    {
        if (db.TakenInvoiceNumbers.AsNoTracking().Any(n => n.Number == number))
        {
            throw Errors.AlreadyExists(ErrorReasons.InvoiceNumberTaken, ResourceTypes.Invoice, number,
                $"The number {Errors.Echo(number)} is already another invoice's number or a red-letter number; each number is used once.");
        }
    }

    /// <summary>
    /// The days an invoice may be dated: no earlier than it was requested and no later than today, on the calendar of
    /// any time zone (so from the request's day at UTC−12 to today's at UTC+14): a typo of a year is refused, a local
    /// date never.
    /// </summary>
    private (DateOnly Earliest, DateOnly Latest) IssueDays(Invoice invoice) => (
        DateOnly.FromDateTime(invoice.RequestedAt.ToOffset(TimeSpan.FromHours(-12)).DateTime),
        DateOnly.FromDateTime(clock.GetUtcNow().ToOffset(TimeSpan.FromHours(14)).DateTime));

    /// <summary>Numbers are letters, digits and '-', kept in upper case: E-0001 and e-0001 are one number.</summary>
    private static string Canonical(string number) => number.Trim().ToUpperInvariant();

    private static RequestValidator Common(string invoiceId, string requestId) =>
        new RequestValidator().Id(invoiceId, "invoice_id", "inv").RequestKey(requestId, "request_id");

    private static void Number(RequestValidator validator, string? number, string field)
    {
        validator.Text(number?.Trim(), field, MaxNumber)
            .Check(string.IsNullOrWhiteSpace(number) || number.Trim().All(c => char.IsAsciiLetterOrDigit(c) || c == '-'), field, "must be letters, digits or '-'");
    }
}
