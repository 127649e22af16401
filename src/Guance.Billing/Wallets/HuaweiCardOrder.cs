namespace Guance.Billing.Wallets;

/// <summary>Where a Huawei Cloud card order stands (values equal the contract's).</summary>
public enum HuaweiCardOrderState
{
    Submitted = 1,
    Confirmed = 2,
    Rejected = 3,
}

/// <summary>
/// A Huawei Cloud stored-value card order that a billing account submitted to redeem (docs/domain.md §8).
/// The order number is unique over all accounts, so an order is redeemed once; the marketplace's
/// confirmation turns it into a prepaid card of units × 100 CNY.
/// </summary>
public sealed class HuaweiCardOrder
{
    public required string Id { get; init; }
    public required string BillingAccountId { get; init; }
    public required string HuaweiAccountId { get; init; }
    public required string OrderNumber { get; init; }
    public HuaweiCardOrderState State { get; set; }

    /// <summary>Cards of 100 CNY, as the marketplace confirmed; 0 before.</summary>
    public int Units { get; set; }

    public string? PrepaidCardId { get; set; }
    public string RejectReason { get; set; } = "";
    public DateTimeOffset SubmittedAt { get; init; }
    public DateTimeOffset? DecidedAt { get; set; }

    /// <summary>Optimistic concurrency: a confirmation and a rejection racing cannot both win.</summary>
    public long Version { get; set; }
}
