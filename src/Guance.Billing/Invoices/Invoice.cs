namespace Guance.Billing.Invoices;

/// <summary>
/// An invoice request and, once the operator issued it, the invoice. Title, taxpayer id, the
/// information's fields and the delivery are copied when requested, so later edits change nothing of
/// it. Its amount is the sum of its lines, in cents; its state follows docs/domain.md §8.
/// </summary>
public sealed class Invoice
{
    public required string Id { get; init; }
    public required string BillingAccountId { get; init; }

    /// <summary>The account's request id (unique per account): a retry returns this invoice.</summary>
    public required string RequestId { get; init; }

    /// <summary>A hash of the request's parameters: the same request id with others is refused.</summary>
    public required string Fingerprint { get; init; }

    public InvoiceState State { get; set; }
    public InvoiceType Type { get; init; }
    public long Amount { get; init; }
    public required string Title { get; init; }
    public required string TaxpayerId { get; init; }
    public string BankName { get; init; } = "";
    public string BankAccountNumber { get; init; } = "";
    public string RegisteredAddress { get; init; } = "";
    public string RegisteredPhone { get; init; } = "";
    public required string InvoiceInfoId { get; init; }

    /// <summary>The mailing address of a paper invoice; null for an electronic one.</summary>
    public string? MailingAddressId { get; init; }

    public string Recipient { get; init; } = "";
    public string Phone { get; init; } = "";
    public string Address { get; init; } = "";

    /// <summary>Where the invoice goes by e-mail: the electronic invoice's address, or the mailing address's.</summary>
    public required string Email { get; init; }

    public DateTimeOffset RequestedAt { get; init; }
    public string? InvoiceNumber { get; set; }
    public DateOnly? IssueDate { get; set; }
    public DateTimeOffset? IssuedAt { get; set; }
    /// <summary>The size in bytes of the electronic invoice's document; 0 without one.</summary>
    public long DocumentSize { get; set; }

    public string? RejectReason { get; set; }
    public string? Carrier { get; set; }
    public string? TrackingNumber { get; set; }
    public DateTimeOffset? MailedAt { get; set; }
    public string? RedLetterNumber { get; set; }
    public string? ReverseReason { get; set; }

    /// <summary>When it was cancelled, rejected or reversed.</summary>
    public DateTimeOffset? ClosedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>What one invoice takes from one source, in cents (positive).</summary>
public sealed class InvoiceLine
{
    public required string InvoiceId { get; init; }
    public required string SourceId { get; init; }
    public InvoiceSourceKind SourceKind { get; init; }
    public required string BillingAccountId { get; init; }
    public long Amount { get; init; }
}

/// <summary>
/// One state change of an invoice after its request (issue, reject, mail, reverse, cancel), keyed by
/// its request id: a retry finds it and returns the invoice instead of failing on the new state.
/// The events are also what VerifyInvoices checks the states against.
/// </summary>
public sealed class InvoiceEvent
{
    public required string InvoiceId { get; init; }
    public required string RequestId { get; init; }

    /// <summary>The state the change led to.</summary>
    public InvoiceState State { get; init; }

    public required string Fingerprint { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>The document (a PDF) of an issued electronic invoice.</summary>
public sealed class InvoiceDocument
{
    public required string InvoiceId { get; init; }
    public required byte[] Content { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}
