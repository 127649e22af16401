namespace Guance.Billing.Invoices;

/// <summary>
/// One set of invoice information of a billing account: the type and, for VAT special, the bank and
/// registration data. The title and taxpayer id are not here: they are the approved certification's,
/// read when an invoice is requested (docs/domain.md §8).
/// </summary>
public sealed class InvoiceInfo
{
    public required string Id { get; init; }
    public required string BillingAccountId { get; init; }
    public InvoiceType Type { get; set; }
    public string BankName { get; set; } = "";
    public string BankAccountNumber { get; set; } = "";
    public string RegisteredAddress { get; set; } = "";
    public string RegisteredPhone { get; set; } = "";
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>A mailing address of a billing account: where paper invoices go, and an e-mail address.</summary>
public sealed class MailingAddress
{
    public required string Id { get; init; }
    public required string BillingAccountId { get; init; }
    public required string Recipient { get; set; }
    public required string Phone { get; set; }
    public required string Email { get; set; }
    public required string Address { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }
}
