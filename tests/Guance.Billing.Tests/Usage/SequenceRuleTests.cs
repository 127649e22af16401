using Guance.Billing.Data;
using Guance.Billing.Usage;

namespace Guance.Billing.Tests.Usage;

/// <summary>How far ahead of the collector's mark a sequence may be (README, "StreamUsage: the protocol").</summary>
public sealed class SequenceRuleTests
{
    private static readonly UsageOptions Options = new();

    /// <summary>Far enough ahead that the host's clock, not the wall clock, is "now".</summary>
    private static readonly DateTimeOffset Now = new(2999, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static long Micros(DateTimeOffset instant) => UnixMicrosecondsConverter.ToMicroseconds(instant);

    [Fact]
    public void A_sequence_may_be_a_day_of_microseconds_above_the_later_of_the_mark_and_now()
    {
        const long day = 86_400_000_000;
        Assert.Equal(Micros(Now) + day, SequenceRule.Highest(0, Now, Options));
        Assert.Equal(Micros(Now) + day, SequenceRule.Highest(1_000, Now, Options));
        var ahead = Micros(Now) + 10 * day;
        Assert.Equal(ahead + day, SequenceRule.Highest(ahead, Now, Options));

        // Counting and the clock in microseconds are both plausible; 2^63-1 is not.
        Assert.Null(SequenceRule.Check(1, 0, Now, Options));
        Assert.Null(SequenceRule.Check(Micros(Now), 0, Now, Options));
        Assert.Null(SequenceRule.Check(ahead + day, ahead, Now, Options));
        var refused = SequenceRule.Check(long.MaxValue, 0, Now, Options);
        Assert.NotNull(refused);
        Assert.Equal("SEQUENCE_TOO_FAR_AHEAD", refused.Reason);
        Assert.Equal(["sequence"], refused.FieldViolations.Select(v => v.Field));
        Assert.Equal(SequenceRule.Highest(0, Now, Options).ToString(System.Globalization.CultureInfo.InvariantCulture), refused.Metadata["max_sequence"]);
        Assert.NotNull(SequenceRule.Check(ahead + day + 1, ahead, Now, Options));
    }

    [Fact]
    public void A_mark_near_the_largest_sequence_does_not_overflow()
    {
        Assert.Equal(long.MaxValue, SequenceRule.Highest(long.MaxValue - 5, Now, Options));
        Assert.Null(SequenceRule.Check(long.MaxValue, long.MaxValue - 5, Now, Options));
    }

    [Fact]
    public void A_host_clock_in_the_past_does_not_refuse_sequences_numbered_by_the_wall_clock()
    {
        var simulated = new DateTimeOffset(2001, 1, 1, 0, 0, 0, TimeSpan.Zero);
        Assert.Null(SequenceRule.Check(Micros(DateTimeOffset.UtcNow), 0, simulated, Options));
    }
}
