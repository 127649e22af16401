using Guance.Billing.Pricing;
using Guance.Billing.Usage;
using Guance.Billing.Workspaces;

namespace Guance.Billing.Settlement;

/// <summary>
/// One item of a workspace's day and its daily quantity (hours from the upgrade on): the largest hour for
/// a stock item, the sum of the hours for a flow item (docs/domain.md §3), as the daily rollups keep it.
/// </summary>
public readonly record struct ItemUsage(BillingItem Item, long Quantity);

/// <summary>A rated line: quantity, units in hundredths, unit price in micro-CNY, the retention in force, amount in cents.</summary>
public sealed record RatedLine(BillingItemInfo Item, long Quantity, long UnitsHundredths, long UnitPriceMicros, int RetentionDays, long Amount);

/// <summary>
/// Rates one workspace's day (docs/domain.md §3-4), as a pure function of each item's daily quantity
/// (<see cref="ItemUsage"/>): the unit price is the list's price for the retention in force at the end of the day (items priced by
/// retention), see <see cref="PriceTiers"/>; <see cref="Rating"/> truncates units to hundredths and
/// rounds the amount half-up to the cent. On a day with the retired DataKit item in use, each DataKit
/// includes <see cref="FreeTimeSeriesPerDataKit"/> time series, and the time series line shows the
/// series billed. An item the list does not offer (SMS on Intl sites, which ingestion refuses anyway)
/// is shown at price 0 rather than dropped.
/// </summary>
public static class DailyBillCalculator
{
    /// <summary>The time series each DataKit of the retired DataKit item includes for free (docs/domain.md §3).</summary>
    public const long FreeTimeSeriesPerDataKit = 300;

    public static IReadOnlyList<RatedLine> Rate(IEnumerable<ItemUsage> usage, Func<DataType, int?> retentionInForce, PriceTable prices)
    {
        var days = usage.OrderBy(u => (int)u.Item).ToList();
        var dataKits = days.Where(u => u.Item == BillingItem.DataKit).Sum(u => u.Quantity);
        var lines = new List<RatedLine>();
        foreach (var day in days)
        {
            var item = BillingItems.Get(day.Item);
            var quantity = day.Quantity;
            if (item.Item == BillingItem.TimeSeries && dataKits > 0)
            {
                // On a day with the DataKit item in use, the series billed are max(0, series − 300 × DataKits).
                quantity = Math.Max(0, quantity - FreeTimeSeriesPerDataKit * dataKits);
            }
            var retention = item.RetentionDataType is { } type
                ? retentionInForce(type) ?? RetentionPolicy.DefaultDays(Plan.Commercial, type)
                : PriceTiers.AnyRetention;
            var unitPrice = prices.TryPrice(item, retention, out var micros, out _) ? micros : 0;
            var rated = Rating.Rate(quantity, item.PriceUnit, unitPrice);
            lines.Add(new RatedLine(item, quantity, rated.UnitsHundredths, unitPrice, retention, rated.AmountCents));
        }
        return lines;
    }

    /// <summary>The bill's total: the sum of its lines' amounts.</summary>
    public static long Total(IEnumerable<RatedLine> lines) => lines.Sum(l => l.Amount);
}
