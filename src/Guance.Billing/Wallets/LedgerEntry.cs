namespace Guance.Billing.Wallets;

/// <summary>
/// An amount added to one ledger account by one transaction, keyed by (transaction, position). The account's
/// entries are numbered without gaps (<see cref="Sequence"/>, the account's entry count after it), and
/// <see cref="BalanceAfter"/> chains them.
/// </summary>
public sealed class LedgerEntry
{
    public required string LedgerAccountId { get; init; }
    public long Sequence { get; init; }
    public required string TransactionId { get; init; }
    public required string BillingAccountId { get; init; }

    /// <summary>Signed, in cents.</summary>
    public long Amount { get; init; }

    /// <summary>The account's balance after this entry, in cents.</summary>
    public long BalanceAfter { get; init; }

    /// <summary>The entry's position in its transaction (0, 1, 2...).</summary>
    public int Position { get; init; }

    /// <summary>The billing item a charge entry pays (for example <c>logs</c>); null otherwise.</summary>
    public string? ItemCode { get; init; }
}
