using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Guance.Billing.Cli.Infrastructure;

/// <summary>
/// A time as typed on the command line: an instant (2026-11-25T08:00:00Z, or with an offset), a
/// date (2026-11-25: its 00:00 in the zone the command says), or a duration (7d, 12h, 30m) counted
/// back from now (--from, --to) or ahead of now (--expires).
/// </summary>
public sealed record TimeArgument(DateTimeOffset? Instant, DateOnly? Date, TimeSpan? Duration)
{
    /// <summary>The instant meant, with dates read in <paramref name="zone"/>.</summary>
    public DateTimeOffset Resolve(DateTimeOffset now, TimeZoneInfo zone, bool ahead)
    {
        if (Instant is { } instant)
        {
            return instant;
        }
        if (Date is { } date)
        {
            var local = date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
            return new DateTimeOffset(local, zone.GetUtcOffset(local));
        }
        return ahead ? now + Duration!.Value : now - Duration!.Value;
    }

    public static Option<TimeArgument?> Option(string name, string description) => new(name)
    {
        Description = description,
        CustomParser = Parse,
    };

    public static TimeArgument? Parse(ArgumentResult result)
    {
        var text = result.Tokens.Count == 1 ? result.Tokens[0].Value.Trim() : "";
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return new TimeArgument(null, date, null);
        }
        if (text.Contains('T') && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var instant))
        {
            return new TimeArgument(instant, null, null);
        }
        if (text.Length >= 2 && long.TryParse(text[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value is > 0 and <= 36_500)
        {
            TimeSpan? duration = text[^1] switch
            {
                'd' => TimeSpan.FromDays(value),
                'h' => TimeSpan.FromHours(value),
                'm' => TimeSpan.FromMinutes(value),
                's' => TimeSpan.FromSeconds(value),
                _ => null,
            };
            if (duration is not null)
            {
                return new TimeArgument(null, null, duration);
            }
        }
        result.AddError($"'{text}' is not a time: use 2026-11-25, 2026-11-25T08:00:00Z (or +08:00), or a duration such as 7d or 12h.");
        return null;
    }
}
