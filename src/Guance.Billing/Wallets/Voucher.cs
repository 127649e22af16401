namespace Guance.Billing.Wallets;

/// <summary>The kind of a voucher (values equal the contract's); ordinary vouchers are used first.</summary>
public enum VoucherKind
{
    Ordinary = 1,
    FullReduction = 2,
}

/// <summary>
/// A voucher: a face value usable in [<see cref="ValidFrom"/>, <see cref="ExpiresAt"/>) for
/// commercial-plan usage other than SMS and synthetic tests; not refundable, never invoiced. Its
/// balance is its ledger account (same id), opened when it reaches a wallet: at issue, or when its
/// activation code is redeemed.
/// </summary>
public sealed class Voucher
{
    public required string Id { get; init; }
    public VoucherKind Kind { get; init; }
    public long FaceValue { get; init; }

    /// <summary>Null while an activation code waits to be redeemed.</summary>
    public string? BillingAccountId { get; set; }

    public DateTimeOffset ValidFrom { get; init; }
    public DateTimeOffset ExpiresAt { get; init; }

    /// <summary>SHA-256 of the normalized activation code; null for a voucher issued to an account.</summary>
    public byte[]? ActivationCodeHash { get; init; }

    /// <summary>The operator's request id (unique): a retry returns this voucher.</summary>
    public required string IssueRequestId { get; init; }

    /// <summary>A hash of the issuing request's parameters: the same request id with others is refused.</summary>
    public required string IssueFingerprint { get; init; }

    public DateTimeOffset IssuedAt { get; init; }
    public DateTimeOffset? RedeemedAt { get; set; }

    /// <summary>When the expiry job cleared it; null before.</summary>
    public DateTimeOffset? ExpiredAt { get; set; }

    /// <summary>The prepaid card it came with (full-reduction vouchers).</summary>
    public string? PrepaidCardId { get; init; }

    public LedgerAccountKind LedgerKind => Kind == VoucherKind.Ordinary ? LedgerAccountKind.OrdinaryVoucher : LedgerAccountKind.FullReductionVoucher;
}
