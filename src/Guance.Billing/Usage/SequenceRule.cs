using Guance.Billing.Data;

namespace Guance.Billing.Usage;

/// <summary>
/// How far ahead of its collector's mark a batch's sequence may be: at most
/// <see cref="UsageOptions.MaxSequenceJump"/> above the larger of the mark and the current time in
/// microseconds since the epoch. Both documented ways of numbering stay valid (counting 1, 2, 3..., and
/// the clock in microseconds, even after a long pause), while one absurd number such as 2^63−1 is
/// refused instead of becoming the mark that makes every later batch of the collector a duplicate.
/// "Now" is the later of the host's clock and the wall clock: agents number by their wall clock, which a
/// simulated clock (Guance:Clock:Mode=Simulated, or a test's fake clock) set in the past does not move.
/// </summary>
public static class SequenceRule
{
    /// <summary>The highest sequence a batch may carry above <paramref name="mark"/> at <paramref name="now"/>.</summary>
    public static long Highest(long mark, DateTimeOffset now, UsageOptions options)
    {
        var wallClock = TimeProvider.System.GetUtcNow();
        var basis = Math.Max(mark, UnixMicrosecondsConverter.ToMicroseconds(now > wallClock ? now : wallClock));
        var jump = Math.Max(0, options.MaxSequenceJump);
        return basis > long.MaxValue - jump ? long.MaxValue : basis + jump;
    }

    /// <summary>The refusal of a sequence too far ahead (SEQUENCE_TOO_FAR_AHEAD), or null when it is plausible.</summary>
    public static Common.BillingException? Check(long sequence, long mark, DateTimeOffset now, UsageOptions options)
    {
        var highest = Highest(mark, now, options);
        return sequence > highest ? UsageErrors.TooFarAhead(sequence, highest) : null;
    }
}
