namespace Guance.Billing.Wallets;

/// <summary>
/// One balance of the ledger. Its balance is stored, updated in the same database transaction as the
/// entries that change it, and always equals the sum of those entries (VerifyLedger proves it).
/// Each account numbers its entries 1, 2, 3...; its entry count, like its balance, is checked by every update
/// (a concurrency token), so two writers can never both append the same position.
/// </summary>
public sealed class LedgerAccount
{
    /// <summary><c>ba_...:cash</c> and the like for singletons; the voucher or card id for a lot.</summary>
    public required string Id { get; init; }

    public required string BillingAccountId { get; init; }
    public LedgerAccountKind Kind { get; init; }

    /// <summary>The voucher or card of a lot account; null otherwise.</summary>
    public string? LotId { get; init; }

    /// <summary>A lot pays from this time (its voucher's or card's, copied here so that one query loads a wallet).</summary>
    public DateTimeOffset? ValidFrom { get; init; }

    /// <summary>A lot pays until this time (exclusive); null for the singleton accounts.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>In cents (fen); a concurrency token, so a lost update fails instead of corrupting.</summary>
    public long Balance { get; set; }

    /// <summary>How many entries the account has: the sequence of the last one.</summary>
    public long EntryCount { get; set; }

    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Whether this is a lot that may pay at <paramref name="now"/>.</summary>
    public bool IsUsableLot(DateTimeOffset now) => Kind.IsLot() && ValidFrom <= now && now < ExpiresAt;
}
