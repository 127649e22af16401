namespace Guance.Billing.Invoices;

/// <summary>
/// A number of the invoice series that a document took: an issued invoice's number, or the number of the
/// red-letter invoice that reverses one (docs/domain.md §8). Keyed by the number in upper case, so each
/// number is used once across both kinds, even when two operators on two hosts issue it at the same instant.
/// </summary>
public sealed class TakenInvoiceNumber
{
    public required string Number { get; init; }
    public required string InvoiceId { get; init; }

    /// <summary>True when the number is a red-letter invoice's (the reversal of <see cref="InvoiceId"/>).</summary>
    public bool RedLetter { get; init; }
}
