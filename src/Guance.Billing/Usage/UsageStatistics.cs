namespace Guance.Billing.Usage;

/// <summary>One item's usage as the console shows it.</summary>
public sealed record ItemStatistics(BillingItemInfo Item, long Today, long Yesterday, long MonthToDate, long? DailyQuota, long RemainingToday);

/// <summary>A workspace's usage "as of now" and "as of yesterday", per item.</summary>
public sealed record UsageStatistics(
    string WorkspaceId, DateOnly Today, DateOnly Yesterday, DateTimeOffset AsOf, DateTimeOffset? CountedSince, IReadOnlyList<ItemStatistics> Items);

/// <summary>One point of a chart: a site-local hour or a billing day.</summary>
public sealed record UsagePointView(DateTimeOffset Start, DateTimeOffset End, DateOnly BillingDay, long Quantity);

/// <summary>Hourly or daily points.</summary>
public enum PointGranularity
{
    Hourly = 1,
    Daily = 2,
}

/// <summary>
/// The daily quantity rule of docs/domain.md §3 over workspace hourly points (already summed over
/// collectors): the max of the day's points for stock items, their sum for flow items.
/// </summary>
public static class DailyQuantity
{
    public static long Of(DailyAggregation aggregation, IEnumerable<long> hourlyPoints) =>
        aggregation == DailyAggregation.Max ? hourlyPoints.DefaultIfEmpty(0).Max() : hourlyPoints.Sum();
}
