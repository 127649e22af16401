using System.CommandLine.Parsing;
using System.Globalization;

namespace Guance.Billing.Cli.Infrastructure;

/// <summary>Lifetimes typed as 90d, 12h, 30m or 45s.</summary>
public static class Durations
{
    public static TimeSpan? Parse(ArgumentResult result)
    {
        var text = result.Tokens.Count == 1 ? result.Tokens[0].Value.Trim() : "";
        if (text.Length >= 2 && long.TryParse(text[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0)
        {
            switch (text[^1])
            {
                case 'd': return TimeSpan.FromDays(value);
                case 'h': return TimeSpan.FromHours(value);
                case 'm': return TimeSpan.FromMinutes(value);
                case 's': return TimeSpan.FromSeconds(value);
            }
        }
        result.AddError($"'{text}' is not a duration: use a positive number followed by d, h, m or s (90d, 12h).");
        return null;
    }
}
