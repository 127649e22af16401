namespace Guance.Billing.Wallets;

/// <summary>
/// The wallet row of a billing account: the lock that serializes its money movements (every write
/// bumps <see cref="Version"/> first, which on PostgreSQL holds the row lock until commit and on
/// SQLite takes the database's write lock) and the arrears state that settlement counts down from.
/// </summary>
public sealed class Wallet
{
    public required string BillingAccountId { get; init; }
    public long Version { get; set; }

    /// <summary>When the current arrears began; null without arrears.</summary>
    public DateTimeOffset? ArrearsSince { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
