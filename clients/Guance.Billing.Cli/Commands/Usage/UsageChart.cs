using System.Globalization;
using Guance.Billing.Cli.Infrastructure;
using Guance.Billing.V1;

namespace Guance.Billing.Cli.Commands.Usage;

/// <summary>
/// Usage points as lines of a horizontal bar chart that fits in 80 columns: the hour (or day) in
/// site time, a bar scaled to the largest point (eighths of a cell), the quantity. Hours or days
/// without usage between two points are one line saying how many.
/// </summary>
public static class UsageChart
{
    public const int Width = 80;

    private static readonly char[] Eighths = [' ', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];

    public static IEnumerable<string> Render(IReadOnlyList<UsagePoint> points, TimeZoneInfo zone, bool daily, bool unicode)
    {
        if (points.Count == 0)
        {
            yield return "No usage in this range.";
            yield break;
        }
        var labelWidth = daily ? 10 : 16;
        var max = points.Max(p => p.Quantity);
        var numberWidth = points.Max(p => Display.Quantity(p.Quantity).Length);
        var barWidth = Math.Clamp(Width - labelWidth - numberWidth - 4, 10, 60);
        var separator = unicode ? " │" : " |";
        UsagePoint? previous = null;
        foreach (var point in points)
        {
            if (previous is not null && Missing(previous, point, daily) is var gap and > 0)
            {
                var unit = daily ? (gap == 1 ? "day" : "days") : (gap == 1 ? "hour" : "hours");
                yield return new string(' ', labelWidth) + (unicode ? " ┆ " : " : ") + $"{gap.ToString("N0", CultureInfo.InvariantCulture)} {unit} without usage";
            }
            var label = daily
                ? Display.Day(point.BillingDay)
                : TimeZoneInfo.ConvertTime(point.StartTime.ToDateTimeOffset(), zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
            yield return label.PadRight(labelWidth) + separator + Bar(point.Quantity, max, barWidth, unicode).PadRight(barWidth) + " " +
                         Display.Quantity(point.Quantity).PadLeft(numberWidth);
            previous = point;
        }
        var with = points.Count == 1 ? (daily ? "day" : "hour") : (daily ? "days" : "hours");
        yield return $"max {Display.Quantity(max)}, {points.Count.ToString("N0", CultureInfo.InvariantCulture)} {with} with usage";
    }

    /// <summary>The bar of one point: full cells and an eighth, at least an eighth for any usage.</summary>
    public static string Bar(long quantity, long max, int width, bool unicode)
    {
        if (quantity <= 0 || max <= 0)
        {
            return "";
        }
        var eighths = (long)Math.Round((decimal)quantity * width * 8 / max, MidpointRounding.AwayFromZero);
        eighths = Math.Max(1, eighths);
        if (!unicode)
        {
            return new string('#', (int)Math.Max(1, eighths / 8));
        }
        return new string('█', (int)(eighths / 8)) + (eighths % 8 == 0 ? "" : Eighths[eighths % 8].ToString());
    }

    private static long Missing(UsagePoint previous, UsagePoint point, bool daily)
    {
        if (daily)
        {
            var before = new DateOnly(previous.BillingDay.Year, previous.BillingDay.Month, previous.BillingDay.Day);
            var after = new DateOnly(point.BillingDay.Year, point.BillingDay.Month, point.BillingDay.Day);
            return after.DayNumber - before.DayNumber - 1;
        }
        return (long)(point.StartTime.ToDateTimeOffset() - previous.EndTime.ToDateTimeOffset()).TotalHours;
    }
}
