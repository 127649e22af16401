using Guance.Billing.BillingAccounts;
using Guance.Billing.Common;
using Guance.Billing.Data;
using Guance.Billing.Identity;
using Guance.Billing.Wallets;
using Microsoft.EntityFrameworkCore;

namespace Guance.Billing.Invoices;

/// <summary>
/// A billing account's side of invoices (docs/domain.md §8): its invoiceable sources, requests,
/// cancellation while requested, lists and documents. Requests and cancellations are the account's
/// own session; reads are the account or the operator.
/// </summary>
public sealed class InvoiceManager(
    BillingDbContext db, BillingAccountAccess access, InvoiceWrites writes, InvoiceableSources sources, InvoiceTransitions transitions, TimeProvider clock)
{
    public const int MaxPending = 5;
    public const int MaxSourcesPerRequest = 50;
    public const int DocumentChunkBytes = 64 * 1024;
    private const string InvoiceList = "invoices";
    private const string SourceList = "invoice_sources";

    public async Task<(IReadOnlyList<InvoiceSourceBalance> Sources, string NextPageToken)> ListSourcesAsync(
        Caller caller, string billingAccountId, int pageSize, string? pageToken, CancellationToken cancellationToken)
    {
        var list = $"{SourceList}:{billingAccountId}";
        var validator = new RequestValidator().PageSize(pageSize).PageToken(pageToken, list, out var after);
        await access.AuthorizeAsync(caller, billingAccountId, BillingAccountPermission.View, cancellationToken, validator);
        var all = await sources.ListAsync(billingAccountId, cancellationToken);
        var start = after is null ? 0 : all.ToList().FindIndex(s => s.SourceId == after) + 1;
        return Paging.Page(all.Skip(start).Take(Paging.Size(pageSize) + 1).ToList(), Paging.Size(pageSize), list, s => s.SourceId);
    }

    /// <summary>
    /// Requests an invoice over <paramref name="picks"/>: each takes its given amount, or its whole
    /// remaining balance when no amount is given; the invoice's amount is their sum. Idempotent by
    /// <paramref name="requestId"/> (per account): a retry returns the first invoice.
    /// </summary>
    public async Task<InvoiceView> RequestAsync(
        Caller caller, string billingAccountId, string requestId, string invoiceInfoId, InvoiceDelivery delivery, IReadOnlyList<InvoiceSourcePick> picks,
        CancellationToken cancellationToken)
    {
        BillingAccountAccess.RequireCallerKind(caller, BillingAccountPermission.Consent);
        var validator = new RequestValidator().RequestKey(requestId, "request_id").Id(invoiceInfoId, "invoice_info_id", "ii");
        if (!string.IsNullOrEmpty(delivery.MailingAddressId))
        {
            validator.Id(delivery.MailingAddressId, "mailing_address_id", "ma");
        }
        if (!string.IsNullOrEmpty(delivery.Email))
        {
            validator.Email(delivery.Email, "email");
        }
        var amounts = new long?[picks.Count];
        if (validator.Size(picks.Count, "sources", MaxSourcesPerRequest, min: 1))
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < picks.Count; i++)
            {
                var id = picks[i].SourceId;
                var field = $"sources[{i}].source_id";
                validator.Check(!string.IsNullOrEmpty(id), field, "is required")
                    .Check(string.IsNullOrEmpty(id) || Ids.IsWellFormed(id, "mb") || Ids.IsWellFormed(id, "card"), field,
                        "must be a monthly bill (mb_...) or a prepaid card (card_...)")
                    .Check(string.IsNullOrEmpty(id) || seen.Add(id), field, "appears in an earlier source; give each source once");
                amounts[i] = picks[i].Amount is null ? null : validator.Money(picks[i].Amount, $"sources[{i}].amount");
            }
        }
        await access.AuthorizeAsync(caller, billingAccountId, BillingAccountPermission.Consent, cancellationToken, validator);

        var fingerprint = RequestFingerprint.Of(["invoice", billingAccountId, invoiceInfoId, delivery.MailingAddressId, delivery.Email,
            .. picks.SelectMany((p, i) => new object?[] { p.SourceId, amounts[i] })]);
        return await writes.RunAsync(billingAccountId, async now =>
        {
            var earlier = await db.Invoices.AsNoTracking().FirstOrDefaultAsync(i => i.BillingAccountId == billingAccountId && i.RequestId == requestId, cancellationToken);
            if (earlier is not null)
            {
                return earlier.Fingerprint == fingerprint
                    ? await InvoiceTransitions.ViewAsync(db, earlier.Id, cancellationToken)
                    : throw Errors.Precondition(ErrorReasons.RequestIdReused, $"request_id {requestId}",
                        $"request_id {Errors.Echo(requestId)} was already used for a different invoice request; use a new one.").With("invoice_id", earlier.Id);
            }
            var certification = await InvoiceProfileManager.RequireCertificationAsync(db, billingAccountId, cancellationToken);
            var info = await db.InvoiceInfos.AsNoTracking().FirstOrDefaultAsync(i => i.Id == invoiceInfoId && i.BillingAccountId == billingAccountId, cancellationToken)
                ?? throw Errors.NotFound(ResourceTypes.InvoiceInfo, invoiceInfoId);
            var (address, email) = await DeliveryAsync(billingAccountId, info.Type, delivery, cancellationToken);

            var pending = await db.Invoices.CountAsync(i => i.BillingAccountId == billingAccountId && i.State == InvoiceState.Requested, cancellationToken);
            if (pending >= MaxPending)
            {
                throw Errors.Precondition(ErrorReasons.TooManyPendingInvoices, $"billing_accounts/{billingAccountId}",
                    $"The account has {pending} invoice requests waiting for the operator, the most allowed; wait for them or cancel one.");
            }

            var balances = (await sources.ListAsync(billingAccountId, cancellationToken)).ToDictionary(s => s.SourceId, StringComparer.Ordinal);
            var invoiceId = Ids.New("inv", clock);
            var lines = new List<InvoiceLine>(picks.Count);
            for (var i = 0; i < picks.Count; i++)
            {
                var id = picks[i].SourceId!;
                var source = balances.GetValueOrDefault(id) ?? throw Errors.NotFound(ResourceTypes.InvoiceSource, id);
                var amount = amounts[i] ?? source.Remaining;
                if (amount == 0 || amount > source.Remaining)
                {
                    throw Errors.Precondition(ErrorReasons.InvoiceBalanceExceeded, $"invoice_sources/{id}",
                            source.Remaining == 0
                                ? $"{Named(source)} has nothing left to invoice."
                                : $"{Named(source)} has {Cny.Format(source.Remaining)} left to invoice; the request asks for {Cny.Format(amount)}.")
                        .With("source_id", id).With("remaining", source.Remaining.ToString(System.Globalization.CultureInfo.InvariantCulture));
                }
                lines.Add(new InvoiceLine { InvoiceId = invoiceId, SourceId = id, SourceKind = source.Kind, BillingAccountId = billingAccountId, Amount = amount });
            }

            db.Invoices.Add(new Invoice
            {
                Id = invoiceId,
                BillingAccountId = billingAccountId,
                RequestId = requestId,
                Fingerprint = fingerprint,
                State = InvoiceState.Requested,
                Type = info.Type,
                Amount = lines.Sum(l => l.Amount),
                Title = certification.EnterpriseName,
                TaxpayerId = certification.TaxpayerId,
                BankName = info.BankName,
                BankAccountNumber = info.BankAccountNumber,
                RegisteredAddress = info.RegisteredAddress,
                RegisteredPhone = info.RegisteredPhone,
                InvoiceInfoId = info.Id,
                MailingAddressId = address?.Id,
                Recipient = address?.Recipient ?? "",
                Phone = address?.Phone ?? "",
                Address = address?.Address ?? "",
                Email = email,
                RequestedAt = now,
                UpdatedAt = now,
            });
            db.InvoiceLines.AddRange(lines);
            await db.SaveChangesAsync(cancellationToken);
            return await InvoiceTransitions.ViewAsync(db, invoiceId, cancellationToken);
        }, cancellationToken);
    }

    /// <summary>Cancels a request while it is requested; its amount returns to its sources.</summary>
    public Task<InvoiceView> CancelAsync(Caller caller, string invoiceId, string requestId, CancellationToken cancellationToken)
    {
        BillingAccountAccess.RequireCallerKind(caller, BillingAccountPermission.Consent);
        new RequestValidator().Id(invoiceId, "invoice_id", "inv").RequestKey(requestId, "request_id").ThrowIfInvalid();
        return transitions.RunAsync(caller, invoiceId, requestId, new InvoiceTransition(
            InvoiceState.Cancelled, [InvoiceState.Requested], "only a requested invoice can be cancelled",
            RequestFingerprint.Of("cancel", invoiceId), (invoice, now) => invoice.ClosedAt = now), cancellationToken);
    }

    public async Task<(IReadOnlyList<Invoice> Invoices, string NextPageToken)> ListAsync(
        Caller caller, string billingAccountId, IReadOnlyCollection<InvoiceState> states, int pageSize, string? pageToken, CancellationToken cancellationToken)
    {
        var filter = states.Distinct().Order().ToList();
        var validator = new RequestValidator();
        validator.Check(filter.All(s => Enum.IsDefined(s)), "states", "must name defined invoice states");
        validator.Page(pageSize, pageToken, $"{InvoiceList}:{billingAccountId}:{string.Join('.', filter.Select(s => (int)s))}", out var page);
        await access.AuthorizeAsync(caller, billingAccountId, BillingAccountPermission.View, cancellationToken, validator);
        var query = db.Invoices.AsNoTracking().Where(i => i.BillingAccountId == billingAccountId);
        if (filter.Count > 0)
        {
            query = query.Where(i => filter.Contains(i.State));
        }
        return await page.FetchAsync(query, i => i.Id, cancellationToken);
    }

    public async Task<InvoiceView> GetAsync(Caller caller, string invoiceId, CancellationToken cancellationToken) =>
        await InvoiceTransitions.ViewAsync(db, (await AuthorizeAsync(caller, invoiceId, cancellationToken)).Id, cancellationToken);

    /// <summary>Checks the caller and the invoice first (errors before any data), then gives the document's chunks.</summary>
    public async Task<IEnumerable<ReadOnlyMemory<byte>>> DocumentAsync(Caller caller, string invoiceId, CancellationToken cancellationToken)
    {
        var invoice = await AuthorizeAsync(caller, invoiceId, cancellationToken);
        var document = await db.InvoiceDocuments.AsNoTracking().FirstOrDefaultAsync(d => d.InvoiceId == invoiceId, cancellationToken)
            ?? throw Errors.Precondition(ErrorReasons.InvoiceDocumentMissing, $"invoices/{invoiceId}",
                $"Invoice {invoiceId} is {invoice.State.Name()} and has no document: only an issued electronic invoice has one.");
        return document.Content.Chunk(DocumentChunkBytes).Select(c => new ReadOnlyMemory<byte>(c));
    }

    /// <summary>Authenticates, validates and finds the invoice the caller may see, in that order.</summary>
    private async Task<Invoice> AuthorizeAsync(Caller caller, string invoiceId, CancellationToken cancellationToken)
    {
        BillingAccountAccess.RequireCallerKind(caller, BillingAccountPermission.View);
        new RequestValidator().Id(invoiceId, "invoice_id", "inv").ThrowIfInvalid();
        var invoice = await db.Invoices.AsNoTracking().FirstOrDefaultAsync(i => i.Id == invoiceId, cancellationToken);
        return invoice is null || !InvoiceProfileManager.Sees(caller, invoice.BillingAccountId) ? throw Errors.NotFound(ResourceTypes.Invoice, invoiceId) : invoice;
    }

    /// <summary>A paper invoice goes to a mailing address of the account, an electronic one to an e-mail address (docs/domain.md §8).</summary>
    private async Task<(MailingAddress? Address, string Email)> DeliveryAsync(
        string billingAccountId, InvoiceType type, InvoiceDelivery delivery, CancellationToken cancellationToken)
    {
        if (!type.IsPaper())
        {
            new RequestValidator()
                .Check(!string.IsNullOrEmpty(delivery.Email), "email", "is required: an electronic invoice goes to an e-mail address")
                .Check(string.IsNullOrEmpty(delivery.MailingAddressId), "mailing_address_id", "must be empty: an electronic invoice is not mailed")
                .ThrowIfInvalid();
            return (null, delivery.Email!);
        }
        new RequestValidator()
            .Check(!string.IsNullOrEmpty(delivery.MailingAddressId), "mailing_address_id", "is required: a paper invoice is mailed")
            .Check(string.IsNullOrEmpty(delivery.Email), "email", "must be empty: a paper invoice goes to the mailing address (its e-mail address is used)")
            .ThrowIfInvalid();
        var address = await db.MailingAddresses.AsNoTracking()
            .FirstOrDefaultAsync(a => a.Id == delivery.MailingAddressId && a.BillingAccountId == billingAccountId, cancellationToken)
            ?? throw Errors.NotFound(ResourceTypes.MailingAddress, delivery.MailingAddressId!);
        return (address, address.Email);
    }

    /// <summary>A source as its owner knows it: "The monthly bill of 2026-11 (mb_...)", "The prepaid card card_...".</summary>
    private static string Named(InvoiceSourceBalance source) => source.Kind == InvoiceSourceKind.MonthlyBill
        ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"The monthly bill of {source.Year:D4}-{source.Month:D2} ({source.SourceId})")
        : $"The prepaid card {source.SourceId}";
}
