namespace Guance.Billing.Jobs;

/// <summary>
/// A job on the clock (day close, card and voucher expiry, arrears countdown, monthly bills,
/// notification delivery). <see cref="RunDueAsync"/> does everything that is due at or before
/// <c>now</c> and nothing else, and is idempotent: running it twice, or on two hosts at once,
/// changes nothing the second time (unique keys and conditional updates, not luck).
/// </summary>
public interface IScheduledJob
{
    /// <summary>Short name for logs and metrics, e.g. "day-close".</summary>
    string Name { get; }

    /// <summary>Jobs run in ascending order within one pass (day close before arrears, say).</summary>
    int Order { get; }

    Task RunDueAsync(DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// The earliest instant after <paramref name="after"/> at which this job will have something to
    /// do, or null when nothing is scheduled. The simulated clock stops at each such instant so
    /// that jobs run in the order their events fall due.
    /// </summary>
    Task<DateTimeOffset?> NextDueAsync(DateTimeOffset after, CancellationToken cancellationToken);
}
