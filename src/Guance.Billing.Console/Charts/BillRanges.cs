using System.Globalization;
using Guance.Billing.Client;
using Guance.Billing.Console.Formatting;
using Guance.Billing.V1;

namespace Guance.Billing.Console.Charts;

/// <summary>The ranges of the bill details page (docs/domain.md §5), in site-local billing days.</summary>
public enum BillRange
{
    Today,
    Yesterday,
    ThisWeek,
    LastWeek,
    ThisMonth,
    LastMonth,
    ThisYear,
}

/// <summary>A range's consumption: the total and each item's amount, exact (decimal, never a float).</summary>
public sealed record RangeAmounts(decimal Total, IReadOnlyDictionary<BillingItem, decimal> PerItem);

/// <summary>The arithmetic of the bill details page: which days a range covers, and its amounts from the daily bills.</summary>
public static class BillRanges
{
    public static string NameOf(BillRange range) => range switch
    {
        BillRange.Today => "Today",
        BillRange.Yesterday => "Yesterday",
        BillRange.ThisWeek => "This week",
        BillRange.LastWeek => "Last week",
        BillRange.ThisMonth => "This month",
        BillRange.LastMonth => "Last month",
        _ => "This year",
    };

    /// <summary>The first and last day of <paramref name="range"/> seen on <paramref name="today"/>; weeks start on Monday.</summary>
    public static (DateOnly First, DateOnly Last) DaysOf(BillRange range, DateOnly today)
    {
        var monday = today.AddDays(-(((int)today.DayOfWeek + 6) % 7));
        var firstOfMonth = new DateOnly(today.Year, today.Month, 1);
        return range switch
        {
            BillRange.Today => (today, today),
            BillRange.Yesterday => (today.AddDays(-1), today.AddDays(-1)),
            BillRange.ThisWeek => (monday, today),
            BillRange.LastWeek => (monday.AddDays(-7), monday.AddDays(-1)),
            BillRange.ThisMonth => (firstOfMonth, today),
            BillRange.LastMonth => (firstOfMonth.AddMonths(-1), firstOfMonth.AddDays(-1)),
            _ => (new DateOnly(today.Year, 1, 1), today),
        };
    }

    /// <summary>The months (ListDailyBills lists by month) that the days touch.</summary>
    public static IEnumerable<(int Year, int Month)> MonthsOf(DateOnly first, DateOnly last)
    {
        for (var month = new DateOnly(first.Year, first.Month, 1); month <= last; month = month.AddMonths(1))
        {
            yield return (month.Year, month.Month);
        }
    }

    public static RangeAmounts Sum(IEnumerable<DailyBill> bills, DateOnly first, DateOnly last)
    {
        var inRange = bills.Where(b => b.Day.ToDate() is var day && day >= first && day <= last).ToList();
        var perItem = inRange.SelectMany(b => b.Lines)
            .GroupBy(l => l.Item)
            .ToDictionary(g => g.Key, g => g.Sum(l => l.Amount.ToDecimal()));
        return new RangeAmounts(inRange.Sum(b => b.Total.ToDecimal()), perItem);
    }

    /// <summary>The daily expense of a month: one bar per day, zero on days without a bill.</summary>
    public static ChartData DailyExpense(IEnumerable<DailyBill> bills, int year, int month)
    {
        var byDay = bills.Where(b => b.Day.Year == year && b.Day.Month == month)
            .GroupBy(b => b.Day.Day)
            .ToDictionary(g => g.Key, g => g.Sum(b => b.Total.ToDecimal()));
        var days = DateTime.DaysInMonth(year, month);
        var labels = Enumerable.Range(1, days).Select(d => d.ToString(CultureInfo.InvariantCulture)).ToList();
        // The chart draws doubles; the amounts shown in words stay exact.
        var values = Enumerable.Range(1, days).Select(d => byDay.TryGetValue(d, out var amount) ? (double)amount : 0).ToList();
        return new ChartData(labels, values);
    }
}
