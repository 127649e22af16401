using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using Guance.Billing.Client;
using Guance.Billing.V1;

namespace Guance.Billing.Console.Formatting;

/// <summary>How the console writes amounts, quantities, days and instants: invariant, exact (money is never a float).</summary>
public static class Display
{
    public static string Money(Money? money) =>
        (money?.CurrencyCode is { Length: > 0 } currency ? currency : MoneyAmounts.Cny) + " "
        + money.ToDecimal().ToString("#,##0.00", CultureInfo.InvariantCulture);

    public static string Quantity(long quantity) => quantity.ToString("#,##0", CultureInfo.InvariantCulture);

    public static string Day(BillingDay? day) =>
        day is null ? "" : string.Create(CultureInfo.InvariantCulture, $"{day.Year:D4}-{day.Month:D2}-{day.Day:D2}");

    public static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>An instant in the site's time zone, for example "2026-03-04 17:05".</summary>
    public static string Instant(Timestamp? time, TimeZoneInfo zone) =>
        time is null ? "" : TimeZoneInfo.ConvertTime(time.ToDateTimeOffset(), zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    public static DateOnly ToDate(this BillingDay day) => new(day.Year, day.Month, day.Day);

    public static BillingDay ToBillingDay(this DateOnly day) => new() { Year = day.Year, Month = day.Month, Day = day.Day };
}
