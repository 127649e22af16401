namespace Guance.Billing.Wallets;

/// <summary>
/// A prepaid card (a stored-value card before 2024-03-27): bought by one billing account, not
/// transferable, not refundable; the holder is told 3 days before it expires, and what is left is
/// cleared at expiry. Its balance is its ledger account (same id).
/// </summary>
public sealed class PrepaidCard
{
    public required string Id { get; init; }
    public required string BillingAccountId { get; init; }

    /// <summary>In cents: a multiple of 100 CNY, at least 100 CNY.</summary>
    public long FaceValue { get; init; }

    public DateTimeOffset IssuedAt { get; init; }
    public DateTimeOffset ExpiresAt { get; init; }

    /// <summary>When the 3-day notice was written; set once.</summary>
    public DateTimeOffset? ExpiryNoticeSentAt { get; set; }

    /// <summary>When the expiry job cleared it; null before.</summary>
    public DateTimeOffset? ExpiredAt { get; set; }

    /// <summary>The operator's request id (unique): a retry returns this card.</summary>
    public required string IssueRequestId { get; init; }

    /// <summary>A hash of the issuing request's parameters: the same request id with others is refused.</summary>
    public required string IssueFingerprint { get; init; }

    public string PaymentReference { get; init; } = "";
    public string? FullReductionVoucherId { get; init; }

    /// <summary>Bought here or redeemed from a Huawei Cloud order; Huawei invoices its own sales (docs/domain.md §8).</summary>
    public PrepaidCardOrigin Origin { get; init; } = PrepaidCardOrigin.BillingCenter;
}

/// <summary>Where a prepaid card came from (values equal the contract's).</summary>
public enum PrepaidCardOrigin
{
    BillingCenter = 1,
    HuaweiCloud = 2,
}
