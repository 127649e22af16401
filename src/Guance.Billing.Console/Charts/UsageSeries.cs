using System.Globalization;
using Guance.Billing.Console.Api;
using Guance.Billing.Console.Formatting;
using Guance.Billing.V1;

namespace Guance.Billing.Console.Charts;

/// <summary>A chart's labels and values, one per hour or day of the range, zero where no usage was reported.</summary>
public sealed record ChartData(IReadOnlyList<string> Labels, IReadOnlyList<double> Values)
{
    /// <summary>At most about <paramref name="shown"/> labels stay, the others are blanked, so that the axis stays readable.</summary>
    public string[] SparseLabels(int shown = 12)
    {
        var step = Math.Max(1, (int)Math.Ceiling(Labels.Count / (double)shown));
        return Labels.Select((label, i) => i % step == 0 ? label : "").ToArray();
    }
}

/// <summary>
/// Turns ListUsagePoints' points (only hours and days with usage) into a full series over a range of
/// site-local days: hourly up to 31 days, daily up to 400 (the limits of ListUsagePoints). The series ends
/// at the host's present: an hour or day still to come has no usage yet, not a usage of zero.
/// </summary>
public static class UsageSeries
{
    public const int MaxHourlyDays = 31;
    public const int MaxDailyDays = 400;

    /// <summary>Why the range cannot be charted at this granularity; null when it can.</summary>
    public static string? CheckRange(DateOnly first, DateOnly last, UsagePointGranularity granularity)
    {
        var days = last.DayNumber - first.DayNumber + 1;
        if (days < 1)
        {
            return "The range ends before it starts.";
        }
        var limit = granularity == UsagePointGranularity.Hourly ? MaxHourlyDays : MaxDailyDays;
        return days > limit
            ? string.Create(CultureInfo.InvariantCulture, $"Choose at most {limit} days for {(granularity == UsagePointGranularity.Hourly ? "hourly" : "daily")} points ({days} chosen).")
            : null;
    }

    /// <summary>The instants the range of site-local days [<paramref name="first"/>, <paramref name="last"/>] starts and ends (exclusive).</summary>
    public static (DateTimeOffset Start, DateTimeOffset End) Bounds(DateOnly first, DateOnly last, TimeZoneInfo zone) =>
        (DayBounds.Midnight(first, zone), DayBounds.Midnight(last.AddDays(1), zone));

    /// <summary>One value per hour of the range up to the hour of <paramref name="asOf"/> (the host's present), that one included.</summary>
    public static ChartData Hourly(IEnumerable<UsagePoint> points, DateOnly first, DateOnly last, TimeZoneInfo zone, DateTimeOffset asOf)
    {
        var byStart = points.ToDictionary(p => p.StartTime.ToDateTimeOffset(), p => p.Quantity);
        var (start, end) = Bounds(first, last, zone);
        var labels = new List<string>();
        var values = new List<double>();
        for (var hour = start; hour < end && hour <= asOf; hour = hour.AddHours(1))
        {
            // Short labels keep the axis readable: the day at its midnight, the hour otherwise.
            var local = TimeZoneInfo.ConvertTime(hour, zone);
            labels.Add(local.ToString(local.Hour == 0 ? "MM-dd" : "HH:00", CultureInfo.InvariantCulture));
            values.Add(byStart.TryGetValue(hour, out var quantity) ? quantity : 0);
        }
        return new ChartData(labels, values);
    }

    /// <summary>One value per day of the range up to <paramref name="today"/> (the site's, by the host's clock), that one included.</summary>
    public static ChartData Daily(IEnumerable<UsagePoint> points, DateOnly first, DateOnly last, DateOnly today)
    {
        var byDay = points.ToDictionary(p => p.BillingDay.ToDate(), p => p.Quantity);
        var labels = new List<string>();
        var values = new List<double>();
        for (var day = first; day <= last && day <= today; day = day.AddDays(1))
        {
            labels.Add(day.ToString("MM-dd", CultureInfo.InvariantCulture));
            values.Add(byDay.TryGetValue(day, out var quantity) ? quantity : 0);
        }
        return new ChartData(labels, values);
    }

    /// <summary>
    /// What the chart comes to, in words: the total of a flow (logs, PVs), or the peak of a stock such as time series,
    /// whose points are levels that adding up would count again every hour.
    /// </summary>
    public static string Headline(ChartData chart, DailyAggregation aggregation) => aggregation == DailyAggregation.Max
        ? $"peak {Display.Quantity((long)chart.Values.DefaultIfEmpty(0).Max())}"
        : $"{Display.Quantity((long)chart.Values.Sum())} in total";
}
