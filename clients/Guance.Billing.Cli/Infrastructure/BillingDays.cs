using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Guance.Billing.V1;

namespace Guance.Billing.Cli.Infrastructure;

/// <summary>
/// Billing days (2026-11-24, a site-local calendar day) and months (2026-11) as typed on the
/// command line; a malformed one is a usage error before anything is sent.
/// </summary>
public static class BillingDays
{
    public static Option<BillingDay?> Option(string name, string description, bool required = true) => new(name)
    {
        Description = description + " (yyyy-MM-dd, the site's calendar day)",
        Required = required,
        CustomParser = result => Parse(result, name),
    };

    public static Option<(int Year, int Month)?> MonthOption(string name, string description) => new(name)
    {
        Description = description + " (yyyy-MM)",
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value.Trim() : "";
            if (DateOnly.TryParseExact(text + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var first))
            {
                return (first.Year, first.Month);
            }
            result.AddError($"{name}: '{text}' is not a month: write it like 2026-11.");
            return null;
        },
    };

    public static BillingDay From(DateOnly day) => new() { Year = day.Year, Month = day.Month, Day = day.Day };

    public static DateOnly ToDateOnly(this BillingDay day) => new(day.Year, day.Month, day.Day);

    private static BillingDay? Parse(ArgumentResult result, string name)
    {
        var text = result.Tokens.Count == 1 ? result.Tokens[0].Value.Trim() : "";
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return From(day);
        }
        result.AddError($"{name}: '{text}' is not a day: write it like 2026-11-24.");
        return null;
    }
}
