using Google.Protobuf.WellKnownTypes;
using Guance.Billing.Console.Formatting;
using Guance.Billing.V1;

namespace Guance.Billing.BrowserTests.Components;

/// <summary>
/// Every date-time the console shows says its zone, one way: its offset from UTC ("UTC+8"); a billing day, a
/// calendar day of its site's zone (docs/domain.md §2), says whose day it is.
/// </summary>
public sealed class ZoneLabelTests
{
    private static readonly Timestamp Instant = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 11, 2, 1, 30, 0, TimeSpan.Zero));

    [Theory]
    [InlineData("Asia/Shanghai", "2026-11-02 09:30 UTC+8")]
    [InlineData("America/Los_Angeles", "2026-11-01 17:30 UTC-8")]
    [InlineData("Europe/Berlin", "2026-11-02 02:30 UTC+1")]
    [InlineData("Asia/Kolkata", "2026-11-02 07:00 UTC+5:30")]
    [InlineData("UTC", "2026-11-02 01:30 UTC")]
    public void An_instant_says_the_offset_of_its_zone_at_that_instant(string zone, string shown) =>
        Assert.Equal(shown, Display.Instant(Instant, TimeZoneInfo.FindSystemTimeZoneById(zone)));

    [Fact]
    public void An_instant_in_summer_time_says_the_summer_offset() =>
        Assert.Equal("2026-07-01 03:00 UTC+2", Display.Instant(
            Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 7, 1, 1, 0, 0, TimeSpan.Zero)), TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin")));

    [Theory]
    [InlineData("Asia/Shanghai", "2026-11-28 (UTC+8)")]
    [InlineData("America/Los_Angeles", "2026-11-28 (UTC-8)")]
    public void A_billing_day_says_whose_day_it_is(string zone, string shown) =>
        Assert.Equal(shown, Display.DayIn(new BillingDay { Year = 2026, Month = 11, Day = 28 }, TimeZoneInfo.FindSystemTimeZoneById(zone)));

    [Fact]
    public void The_income_and_expenditure_csv_keeps_its_time_column_plain_for_spreadsheets() =>
        Assert.Equal("2026-11-02 09:30", Display.LocalTime(Instant, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai")));
}
