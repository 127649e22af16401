namespace Guance.Billing.Wallets;

/// <summary>The <c>Guance:Wallet</c> configuration section.</summary>
public sealed class WalletOptions
{
    public const string Section = "Guance:Wallet";

    /// <summary>Whether this host's scheduler runs the expiry job (see <c>Guance:Jobs</c> for how often).</summary>
    public bool ExpiryJobEnabled { get; set; } = true;

    /// <summary>How long before a prepaid card expires its holder is told.</summary>
    public TimeSpan CardExpiryNotice { get; set; } = TimeSpan.FromDays(3);

    /// <summary>
    /// On SQLite, queue this process's wallet writes in memory rather than let them poll the database
    /// lock. Only a throughput measure: the database's locks and the ledger's unique keys and
    /// concurrency tokens are what keep it exact, with or without it.
    /// </summary>
    public bool QueueSqliteWrites { get; set; } = true;

    /// <summary>
    /// Charges (of the Charge RPC) that one database transaction may commit together; 1 commits each alone.
    /// See <see cref="ChargeWriter"/>. 128 lets a ChargeBatch of 100 commit as one part (with 64 it took two
    /// commits: 8,300 to 9,000 charges/s on PostgreSQL against 10,200 to 11,000, docs/performance.md).
    /// </summary>
    public int MaxChargesPerCommit { get; set; } = 128;

    /// <summary>
    /// Groups of charges committed at once: 0 chooses 1 on SQLite (one writer anyway) and 4 on PostgreSQL
    /// (groups of other accounts run on their own connections).
    /// </summary>
    public int ChargeWriters { get; set; }

    /// <summary>Attempts of a wallet write that lost to a concurrent one before the caller gets ABORTED.</summary>
    public int WriteAttempts { get; set; } = 5;
}
