namespace Guance.Billing.Settlement;

/// <summary>
/// The close of one site's billing day. Its row is what closes the day to usage (the usage writer
/// reads it in its transaction); the counts are written when every bill is written and charged.
/// </summary>
public sealed class DayClose
{
    public required string SiteCode { get; init; }
    public DateOnly BillingDay { get; init; }
    public DateTimeOffset ClosedAt { get; init; }

    /// <summary>When every bill was written and charged; null while the close runs (or after a crash, until resumed).</summary>
    public DateTimeOffset? CompletedAt { get; set; }

    /// <summary>The price list the day was rated with.</summary>
    public string? PriceListId { get; set; }

    public int Bills { get; set; }
    public int BillsCharged { get; set; }
    public int BillsAwaitingCloud { get; set; }
    public int BillsUnbound { get; set; }

    /// <summary>The total of the day's bills, in cents.</summary>
    public long Total { get; set; }
}
