namespace Guance.Billing.Invoices;

/// <summary>An invoice with its lines, by source id.</summary>
public sealed record InvoiceView(Invoice Invoice, IReadOnlyList<InvoiceLine> Lines);

/// <summary>A source picked for an invoice request: its id and an amount, or null for its whole remaining balance.</summary>
public sealed record InvoiceSourcePick(string? SourceId, Wallets.MoneyInput? Amount);

/// <summary>Where a requested invoice goes: a mailing address (paper) or an e-mail address (electronic).</summary>
public sealed record InvoiceDelivery(string? MailingAddressId, string? Email);
