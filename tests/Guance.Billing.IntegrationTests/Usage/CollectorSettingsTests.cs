using Guance.Billing.Collector;

namespace Guance.Billing.IntegrationTests.Usage;

/// <summary>The command line of guance-collector, the fleet simulator (docs/ingestion.md).</summary>
public sealed class CollectorSettingsTests
{
    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    public void Help_is_an_option_that_needs_no_token(string option) =>
        Assert.True(CollectorSettings.Parse([option]).Help);

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("86401")]
    public void A_drain_timeout_outside_one_second_to_a_day_is_refused_before_anything_runs(string seconds)
    {
        var refused = Assert.Throws<ArgumentException>(() => CollectorSettings.Parse(["--token", "gct_x", "--drain-timeout", seconds]));
        Assert.Contains("--drain-timeout", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_drain_waits_30_seconds_unless_told()
    {
        Assert.Equal(TimeSpan.FromSeconds(30), CollectorSettings.Parse(["--token", "gct_x"]).DrainTimeout);
        Assert.Equal(TimeSpan.FromSeconds(5), CollectorSettings.Parse(["--token", "gct_x", "--drain-timeout", "5"]).DrainTimeout);
    }
}
