using Guance.Billing.Usage;

namespace Guance.Billing.Cloud;

/// <summary>
/// The part of one item of one daily bill that vouchers and cards did not pay and that the cloud
/// account owes: written in the transaction that settles the bill (so exactly once, keyed by bill
/// and item), then gathered into a <see cref="CloudMeteringRecord"/> with the same cloud account,
/// day and item of every site. Amount in cents.
/// </summary>
public sealed class CloudMeteringLine
{
    public required string DailyBillId { get; init; }
    public BillingItem Item { get; init; }
    public required string CloudAccountId { get; init; }
    public required string BillingAccountId { get; init; }
    public required string SiteCode { get; init; }
    public DateOnly BillingDay { get; init; }
    public long Amount { get; init; }

    /// <summary>The record that meters it; null until the record is formed.</summary>
    public string? RecordId { get; set; }
}
