namespace Guance.Billing.Invoices;

/// <summary>
/// One source of invoices and its balance, in cents: what may be invoiced, what pending requests hold,
/// what is invoiced (issued and not reversed), and what is left.
/// </summary>
/// <param name="Year">The monthly bill's year; 0 for a card.</param>
/// <param name="Month">The monthly bill's month; 0 for a card.</param>
/// <param name="Since">When the source became invoiceable: the bill's generation, the card's purchase.</param>
public sealed record InvoiceSourceBalance(
    string SourceId, InvoiceSourceKind Kind, int Year, int Month, long Invoiceable, long Pending, long Invoiced, DateTimeOffset Since)
{
    public long Remaining => Math.Max(0, Invoiceable - Pending - Invoiced);
}
