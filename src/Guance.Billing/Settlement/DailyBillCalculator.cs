using Guance.Billing.Pricing;
using Guance.Billing.Usage;
using Guance.Billing.Workspaces;

namespace Guance.Billing.Settlement;

/// <summary>One item of a workspace's day: its largest hourly point and the sum of its hourly points (hours from the upgrade on).</summary>
public readonly record struct ItemUsage(BillingItem Item, long LargestHour, long SumOfHours);

/// <summary>A rated line: quantity, units in hundredths, unit price in micro-CNY, the retention in force, amount in cents.</summary>
public sealed record RatedLine(BillingItemInfo Item, long Quantity, long UnitsHundredths, long UnitPriceMicros, int RetentionDays, long Amount);

/// <summary>
/// Rates one workspace's day (docs/domain.md §3-4), as a pure function: the daily quantity of an item is
/// its largest hourly point (stock items, MAX) or the sum of its points (flow items, SUM); the unit
/// price is the list's price for the retention in force at the end of the day (items priced by
/// retention), see <see cref="PriceTiers"/>; <see cref="Rating"/> truncates units to hundredths and
/// rounds the amount half-up to the cent. An item the list does not offer (SMS on Intl sites, which
/// ingestion refuses anyway) is shown at price 0 rather than dropped.
/// </summary>
public static class DailyBillCalculator
{
    public static IReadOnlyList<RatedLine> Rate(IEnumerable<ItemUsage> usage, Func<DataType, int?> retentionInForce, PriceTable prices)
    {
        var lines = new List<RatedLine>();
        foreach (var day in usage.OrderBy(u => (int)u.Item))
        {
            var item = BillingItems.Get(day.Item);
            var quantity = item.Aggregation == DailyAggregation.Max ? day.LargestHour : day.SumOfHours;
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
