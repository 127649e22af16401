using Google.Protobuf.WellKnownTypes;
using Guance.Billing.Cli.Commands.Usage;
using Guance.Billing.V1;

namespace Guance.Billing.IntegrationTests.Cli;

/// <summary>The text chart of 'usage points': bars scaled to the largest point, gaps named, within 80 columns.</summary>
public sealed class UsageChartTests
{
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    private static UsagePoint Hour(int utcHour, long quantity)
    {
        var start = new DateTimeOffset(2026, 11, 24, utcHour, 0, 0, TimeSpan.Zero);
        return new UsagePoint
        {
            StartTime = Timestamp.FromDateTimeOffset(start),
            EndTime = Timestamp.FromDateTimeOffset(start.AddHours(1)),
            BillingDay = new BillingDay { Year = 2026, Month = 11, Day = 25 },
            Quantity = quantity,
        };
    }

    private static UsagePoint Day(int day, long quantity) => new()
    {
        BillingDay = new BillingDay { Year = 2026, Month = 11, Day = day },
        Quantity = quantity,
    };

    [Fact]
    public void Hourly_points_are_bars_in_site_time_with_the_gaps_named()
    {
        var lines = UsageChart.Render([Hour(16, 64_000), Hour(17, 1), Hour(21, 32_000)], Shanghai, daily: false, unicode: true).ToList();

        Assert.Equal(5, lines.Count);
        Assert.StartsWith("2026-11-25 00:00 │████", lines[0]);
        Assert.EndsWith(" 64,000", lines[0]);
        Assert.Matches(@"^2026-11-25 01:00 │▏ +1$", lines[1]);
        Assert.Equal(new string(' ', 16) + " ┆ 3 hours without usage", lines[2]);
        Assert.StartsWith("2026-11-25 05:00 │", lines[3]);
        Assert.Equal("max 64,000, 3 hours with usage", lines[4]);
        Assert.All(lines, line => Assert.True(line.Length <= UsageChart.Width, line));
        // Half the largest point is half the bar.
        Assert.Equal(lines[0].Count(c => c == '█') / 2, lines[3].Count(c => c == '█'));
    }

    [Fact]
    public void Daily_points_are_labelled_by_billing_day()
    {
        var lines = UsageChart.Render([Day(1, 10), Day(2, 20), Day(5, 5)], Shanghai, daily: true, unicode: true).ToList();

        Assert.StartsWith("2026-11-01 │", lines[0]);
        Assert.StartsWith("2026-11-02 │", lines[1]);
        Assert.Equal(new string(' ', 10) + " ┆ 2 days without usage", lines[2]);
        Assert.StartsWith("2026-11-05 │", lines[3]);
        Assert.Equal("max 20, 3 days with usage", lines[4]);
    }

    [Theory]
    [InlineData(0, 100, 40, 0, 0)]
    [InlineData(100, 100, 40, 40, 0)]
    [InlineData(50, 100, 40, 20, 0)]
    [InlineData(1, 1_000_000, 40, 0, 1)]
    [InlineData(33, 100, 10, 3, 3)]
    public void A_bar_is_full_cells_and_an_eighth_and_any_usage_shows(long quantity, long max, int width, int full = 0, int eighth = 0)
    {
        var bar = UsageChart.Bar(quantity, max, width, unicode: true);

        Assert.Equal(full, bar.Count(c => c == '█'));
        Assert.Equal(eighth == 0 ? 0 : 1, bar.Count(c => c != '█'));
        Assert.True(bar.Length <= width);
    }

    [Fact]
    public void Without_unicode_the_chart_is_ascii()
    {
        var lines = UsageChart.Render([Hour(16, 100), Hour(19, 1)], TimeZoneInfo.Utc, daily: false, unicode: false).ToList();

        Assert.All(lines, line => Assert.True(line.All(char.IsAscii), line));
        Assert.StartsWith("2026-11-24 16:00 |####", lines[0]);
        Assert.Contains(" : 2 hours without usage", lines[1]);
        Assert.StartsWith("2026-11-24 19:00 |#", lines[2]);
    }

    [Fact]
    public void No_points_say_so()
    {
        Assert.Equal(["No usage in this range."], UsageChart.Render([], TimeZoneInfo.Utc, daily: false, unicode: true));
    }
}
