using System.Globalization;
using Guance.Billing.Client;
using Guance.Billing.Console.Charts;
using Guance.Billing.V1;
using Google.Protobuf.WellKnownTypes;

namespace Guance.Billing.BrowserTests.Components;

/// <summary>The arithmetic behind the charts and ranges: site-local days and hours, limits, exact sums.</summary>
public sealed class ChartArithmeticTests
{
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    [Fact]
    public void Hourly_points_fill_every_site_local_hour_of_the_range_with_zero_where_nothing_was_reported()
    {
        var day = new DateOnly(2026, 11, 20);
        // 09:00 site time is 01:00 UTC.
        var point = new UsagePoint { StartTime = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 11, 20, 1, 0, 0, TimeSpan.Zero)), Quantity = 42 };

        var chart = UsageSeries.Hourly([point], day, day, Shanghai, asOf: new DateTimeOffset(2026, 11, 21, 3, 0, 0, TimeSpan.Zero));

        Assert.Equal(24, chart.Values.Count);
        Assert.Equal("11-20", chart.Labels[0]);
        Assert.Equal("09:00", chart.Labels[9]);
        Assert.Equal(42, chart.Values[9]);
        Assert.Equal(42, chart.Values.Sum());
    }

    [Fact]
    public void Hours_and_days_still_to_come_are_not_drawn_as_zero_usage()
    {
        var day = new DateOnly(2026, 11, 20);
        // 10:25 site time: the hour of 10:00 has begun, 11:00 has not.
        var hourly = UsageSeries.Hourly([], day, day.AddDays(1), Shanghai, asOf: new DateTimeOffset(2026, 11, 20, 2, 25, 0, TimeSpan.Zero));
        var daily = UsageSeries.Daily([], day.AddDays(-6), day.AddDays(3), today: day);
        var future = UsageSeries.Daily([], day.AddDays(1), day.AddDays(3), today: day);

        Assert.Equal(11, hourly.Values.Count);
        Assert.Equal("10:00", hourly.Labels[^1]);
        Assert.Equal(7, daily.Values.Count);
        Assert.Equal("11-20", daily.Labels[^1]);
        Assert.Empty(future.Values);
    }

    [Fact]
    public void A_flow_is_headed_by_its_total_and_a_stock_by_its_peak()
    {
        var chart = new ChartData(["09:00", "10:00", "11:00"], [1_200, 3_000, 2_500]);

        Assert.Equal("6,700 in total", UsageSeries.Headline(chart, DailyAggregation.Sum));
        Assert.Equal("peak 3,000", UsageSeries.Headline(chart, DailyAggregation.Max));
        Assert.Equal("peak 0", UsageSeries.Headline(new ChartData([], []), DailyAggregation.Max));
    }

    [Fact]
    public void A_range_of_site_days_starts_and_ends_at_site_midnight()
    {
        var (start, end) = UsageSeries.Bounds(new DateOnly(2026, 11, 19), new DateOnly(2026, 11, 20), Shanghai);

        Assert.Equal(new DateTimeOffset(2026, 11, 18, 16, 0, 0, TimeSpan.Zero), start.ToUniversalTime());
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 16, 0, 0, TimeSpan.Zero), end.ToUniversalTime());
    }

    [Theory]
    [InlineData(31, UsagePointGranularity.Hourly, true)]
    [InlineData(32, UsagePointGranularity.Hourly, false)]
    [InlineData(400, UsagePointGranularity.Daily, true)]
    [InlineData(401, UsagePointGranularity.Daily, false)]
    public void Hourly_points_cover_at_most_31_days_and_daily_ones_400(int days, UsagePointGranularity granularity, bool allowed)
    {
        var first = new DateOnly(2026, 1, 1);
        Assert.Equal(allowed, UsageSeries.CheckRange(first, first.AddDays(days - 1), granularity) is null);
    }

    [Theory]
    [InlineData(BillRange.Today, "2026-11-20", "2026-11-20")]
    [InlineData(BillRange.Yesterday, "2026-11-19", "2026-11-19")]
    [InlineData(BillRange.ThisWeek, "2026-11-16", "2026-11-20")]
    [InlineData(BillRange.LastWeek, "2026-11-09", "2026-11-15")]
    [InlineData(BillRange.ThisMonth, "2026-11-01", "2026-11-20")]
    [InlineData(BillRange.LastMonth, "2026-10-01", "2026-10-31")]
    [InlineData(BillRange.ThisYear, "2026-01-01", "2026-11-20")]
    public void Ranges_are_site_local_days_and_weeks_start_on_monday(BillRange range, string first, string last)
    {
        // 2026-11-20 is a Friday.
        Assert.Equal((DateOnly.Parse(first, CultureInfo.InvariantCulture), DateOnly.Parse(last, CultureInfo.InvariantCulture)), BillRanges.DaysOf(range, new DateOnly(2026, 11, 20)));
    }

    [Fact]
    public void A_range_sums_exact_amounts_per_item_and_leaves_out_days_outside_it()
    {
        var bills = new[] { Bill(9, 0.10m), Bill(16, 0.20m), Bill(17, 0.7m) };

        var week = BillRanges.Sum(bills, new DateOnly(2026, 11, 16), new DateOnly(2026, 11, 22));

        Assert.Equal(0.90m, week.Total);
        Assert.Equal(0.90m, week.PerItem[BillingItem.Logs]);
        Assert.Equal([(2026, 10), (2026, 11), (2026, 12), (2027, 1)], BillRanges.MonthsOf(new DateOnly(2026, 10, 31), new DateOnly(2027, 1, 1)));
    }

    [Fact]
    public void The_daily_expense_of_a_month_has_a_bar_per_day()
    {
        var chart = BillRanges.DailyExpense([Bill(2, 3.60m)], 2026, 2);

        Assert.Equal(28, chart.Values.Count);
        Assert.Equal(3.6, chart.Values[1]);
        Assert.Equal("1", chart.Labels[0]);
    }

    private static DailyBill Bill(int day, decimal amount) => new()
    {
        Day = new BillingDay { Year = 2026, Month = day == 2 ? 2 : 11, Day = day },
        Total = MoneyAmounts.FromDecimal(amount),
        Lines = { new DailyBillLine { Item = BillingItem.Logs, Amount = MoneyAmounts.FromDecimal(amount) } },
    };
}
