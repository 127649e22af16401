namespace Guance.Billing.Settlement;

/// <summary>The <c>Guance:Settlement</c> configuration section.</summary>
public sealed class SettlementOptions
{
    public const string Section = "Guance:Settlement";

    /// <summary>
    /// Whether this host's day-close job closes the days that fall due (on by default). Off, only CloseDay closes days:
    /// for tests and drills that close a day by hand, or a host kept out of the closes.
    /// </summary>
    public bool DayCloseJobEnabled { get; set; } = true;

    /// <summary>How long arrears may stay unpaid before the workspaces they concern are locked (docs/domain.md §6).</summary>
    public TimeSpan SettlementPeriod { get; set; } = TimeSpan.FromDays(14);

    /// <summary>How long before a lock its warning goes out.</summary>
    public TimeSpan LockWarning { get; set; } = TimeSpan.FromDays(3);

    /// <summary>Workspaces rated and their bills inserted per database transaction of a day close.</summary>
    public int RatingBatchSize { get; set; } = 1000;

    /// <summary>Bills charged per database transaction of a day close.</summary>
    public int ChargeBatchSize { get; set; } = 250;

    /// <summary>
    /// Batches of charges of a day close run at once on PostgreSQL, each on its own connection, on
    /// disjoint billing accounts (SQLite has one writer: there batches run one after another).
    /// </summary>
    public int ChargeParallelism { get; set; } = 4;

    /// <summary>
    /// How long a host holds a claimed batch of a day close (<see cref="DayCloseClaims"/>): after it, a
    /// batch whose host died is taken over by another. Longer than a batch takes; a lease that lapses on a
    /// live host costs the batch done twice, never a wrong bill or charge.
    /// </summary>
    public TimeSpan ClaimLease { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often a host whose open batches are all held by other hosts looks again (real time: it waits for other processes).</summary>
    public TimeSpan ClaimWait { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Attempts of a batch of charges that lost a race (or a deadlock) before the close gives up until its next run.</summary>
    public int ChargeAttempts { get; set; } = 5;
}
