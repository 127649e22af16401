using Guance.Billing.Usage;

namespace Guance.Billing.Settlement;

/// <summary>Where a daily bill stands (values equal the contract's).</summary>
public enum DailyBillStatus
{
    /// <summary>Rated; the charge is still to be made (the close is running or resumes).</summary>
    Pending = 1,

    /// <summary>Charged to the wallet (or nothing to charge); a cloud-settled bill once the marketplace acknowledged all its metering records.</summary>
    Charged = 2,

    /// <summary>
    /// Cloud settlement: rated, and then (charged_at set) paid by vouchers and cards with the rest on
    /// metering records, until the marketplace acknowledged all of them.
    /// </summary>
    AwaitingCloud = 3,

    /// <summary>The workspace had no billing account at the close.</summary>
    Unbound = 4,
}

/// <summary>
/// One workspace's bill for one site-local day (unique per workspace and day), to the billing account
/// bound at the close, with what paid it. Written by set-based inserts; its charge's reference is its id.
/// Amounts in cents.
/// </summary>
public sealed class DailyBill
{
    public required string Id { get; init; }
    public required string WorkspaceId { get; init; }
    public DateOnly BillingDay { get; init; }
    public required string SiteCode { get; init; }
    public string? BillingAccountId { get; init; }
    public SettlementMethod Method { get; init; }
    public string? CloudAccountId { get; init; }
    public required string PriceListId { get; init; }
    public long Total { get; init; }
    public DailyBillStatus Status { get; set; }
    public long PaidByVouchers { get; set; }
    public long PaidByPrepaidCards { get; set; }
    public long PaidByCash { get; set; }
    public long Arrears { get; set; }
    public long CloudAmount { get; set; }
    public string? TransactionId { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? ChargedAt { get; set; }
}

/// <summary>One item of a daily bill: the day's quantity, units in hundredths, unit price in micro-CNY, amount in cents.</summary>
public sealed class DailyBillLine
{
    public required string DailyBillId { get; init; }
    public BillingItem Item { get; init; }
    public long Quantity { get; init; }
    public long UnitsHundredths { get; init; }
    public long UnitPriceMicros { get; init; }

    /// <summary>The workspace's retention of the item's data type that day; 0 when the price does not depend on it.</summary>
    public int RetentionDays { get; init; }

    public long Amount { get; init; }
}
