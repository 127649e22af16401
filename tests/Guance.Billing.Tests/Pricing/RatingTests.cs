using Guance.Billing.Pricing;

namespace Guance.Billing.Tests.Pricing;

public sealed class RatingTests
{
    [Fact]
    public void The_domain_example_6000_time_series_at_0_6_per_1000_costs_3_60()
    {
        Assert.Equal(new RatedAmount(600, 360), Rating.Rate(6_000, 1_000, 600_000));
    }

    [Theory]
    // Units are truncated, never rounded up: 1,999 series are 1.99 thousand, not 2.00.
    [InlineData(1_999, 1_000, 1_000_000, 199, 199)]
    [InlineData(1_009, 1_000, 1_000_000, 100, 100)]
    [InlineData(999, 1_000, 1_000_000, 99, 99)]
    [InlineData(9, 1_000, 1_000_000, 0, 0)]
    // Amounts round half-up to the cent: 0.01 units × 0.5 = 0.005 → 0.01; 0.01 × 0.4 = 0.004 → 0.00.
    [InlineData(10_000, 1_000_000, 500_000, 1, 1)]
    [InlineData(10_000, 1_000_000, 400_000, 1, 0)]
    // 0.007 per GB: 1.23 GB → 0.00861 → 0.01; 71.42 GB → 0.49994 → 0.50; 71.43 GB → 0.50001 → 0.50.
    [InlineData(1_234_567_890, 1_000_000_000, 7_000, 123, 1)]
    [InlineData(71_420_000_000, 1_000_000_000, 7_000, 7_142, 50)]
    [InlineData(71_430_000_000, 1_000_000_000, 7_000, 7_143, 50)]
    // 19.44 per million traces: 2.5 million → 48.60.
    [InlineData(2_500_000, 1_000_000, 19_440_000, 250, 4_860)]
    [InlineData(0, 10_000, 1_000_000, 0, 0)]
    public void Units_truncate_to_hundredths_and_amounts_round_half_up(long quantity, long priceUnit, long micros, long hundredths, long cents)
    {
        Assert.Equal(new RatedAmount(hundredths, cents), Rating.Rate(quantity, priceUnit, micros));
    }

    [Fact]
    public void Exactly_half_a_cent_rounds_up()
    {
        // 0.05 units × 0.1 = 0.005
        Assert.Equal(new RatedAmount(5, 1), Rating.Rate(50, 1_000, 100_000));
        // 0.03 units × 0.15 = 0.0045 → 0.00
        Assert.Equal(new RatedAmount(3, 0), Rating.Rate(30, 1_000, 150_000));
    }

    [Fact]
    public void Huge_quantities_do_not_overflow()
    {
        // A petabyte of backup logs at 0.014 per GB: 1,000,000 GB → 14,000.00
        Assert.Equal(new RatedAmount(100_000_000, 1_400_000), Rating.Rate(1_000_000_000_000_000, 1_000_000_000, 14_000));
    }
}
