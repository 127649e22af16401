using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using Guance.Billing.Client;
using Guance.Billing.Console.Api;
using Guance.Billing.V1;

namespace Guance.Billing.Console.Formatting;

/// <summary>How the console writes amounts, quantities, days and instants: invariant, exact (money is never a float).</summary>
public static class Display
{
    /// <summary>An amount as the screen shows it: "CNY 1,234.00", never broken over two lines (see <see cref="Amount"/>).</summary>
    public static string Money(Money? money) =>
        Amount(money?.CurrencyCode is { Length: > 0 } currency ? currency : MoneyAmounts.Cny, money.ToDecimal().ToString("#,##0.00", CultureInfo.InvariantCulture));

    /// <summary>
    /// The currency and its figure joined by a no-break space (U+00A0), so that no line ends with "CNY" and the next
    /// begins with "1,234.00". For the screen: files keep the currency in a column of its own (<see cref="WalletMovement.CsvRow"/>).
    /// </summary>
    public static string Amount(string currency, string figure) => currency + "\u00A0" + figure;

    public static string Quantity(long quantity) => quantity.ToString("#,##0", CultureInfo.InvariantCulture);

    /// <summary>A bill line's units ("60000.00", the quantity over the price unit) grouped as its quantity is: "60,000.00".</summary>
    public static string Units(string units) =>
        decimal.TryParse(units, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)
            ? value.ToString("#,##0.00", CultureInfo.InvariantCulture)
            : units;

    public static string Day(BillingDay? day) =>
        day is null ? "" : string.Create(CultureInfo.InvariantCulture, $"{day.Year:D4}-{day.Month:D2}-{day.Day:D2}");

    /// <summary>A bill's day in its site's zone ("2026-11-28 (UTC+8)"), or with the site's code when its zone is unknown: a billing day is its site's.</summary>
    public static string SiteDay(BillingDay? day, string siteCode, SiteCatalog sites) =>
        sites.ZoneOf(siteCode) is { } zone ? DayIn(day, zone) : $"{Day(day)} (site {siteCode})";

    public static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>An instant in a time zone (the site's, or China time in the billing center), saying which: "2026-03-04 17:05 UTC+8".</summary>
    public static string Instant(Timestamp? time, TimeZoneInfo zone)
    {
        if (time is null)
        {
            return "";
        }
        var local = TimeZoneInfo.ConvertTime(time.ToDateTimeOffset(), zone);
        return local.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " " + Offset(local.Offset);
    }

    /// <summary>An instant without its zone, for files read by spreadsheets (the income and expenditure CSV: China time, as docs say).</summary>
    public static string LocalTime(Timestamp? time, TimeZoneInfo zone) =>
        time is null ? "" : TimeZoneInfo.ConvertTime(time.ToDateTimeOffset(), zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    /// <summary>
    /// A calendar day of a zone, saying whose: "2026-11-28 (UTC+8)". A billing day is a day of its site's zone
    /// (docs/domain.md §2), so the same date is another 24 hours elsewhere.
    /// </summary>
    public static string DayIn(BillingDay? day, TimeZoneInfo zone) => day is null ? "" : DayIn(day.ToDate(), zone);

    public static string DayIn(DateOnly day, TimeZoneInfo zone) => $"{Day(day)} ({Zone(zone, day)})";

    /// <summary>The zone as the console names it everywhere: its offset from UTC on that day ("UTC+8", "UTC-7", "UTC+5:30", "UTC").</summary>
    public static string Zone(TimeZoneInfo zone, DateOnly day) => Offset(zone.GetUtcOffset(day.ToDateTime(new TimeOnly(12, 0))));

    /// <summary>The zone's offset now, for labels of fields and columns ("From (UTC+8)").</summary>
    public static string Zone(TimeZoneInfo zone, TimeProvider time) => Offset(TimeZoneInfo.ConvertTime(time.GetUtcNow(), zone).Offset);

    private static string Offset(TimeSpan offset)
    {
        if (offset == TimeSpan.Zero)
        {
            return "UTC";
        }
        var sign = offset < TimeSpan.Zero ? "-" : "+";
        var abs = offset.Duration();
        return abs.Minutes == 0
            ? string.Create(CultureInfo.InvariantCulture, $"UTC{sign}{abs.Hours}")
            : string.Create(CultureInfo.InvariantCulture, $"UTC{sign}{abs.Hours}:{abs.Minutes:D2}");
    }

    public static DateOnly ToDate(this BillingDay day) => new(day.Year, day.Month, day.Day);

    public static BillingDay ToBillingDay(this DateOnly day) => new() { Year = day.Year, Month = day.Month, Day = day.Day };
}
