using System.Globalization;
using Guance.Billing.Wallets;

namespace Guance.Billing.Notifications;

/// <summary>
/// The figures of one notice, by placeholder name, kept typed until the notice is rendered: an instant
/// is written in the time zone of the notice's site (or the default zone), an amount with its currency,
/// a flag chooses between the <c>{{?name}}…{{/name}}</c> and <c>{{!name}}…{{/name}}</c> parts of a template.
/// </summary>
public sealed class NoticeValues
{
    private readonly Dictionary<string, object> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<string, bool> _flags = new(StringComparer.Ordinal);

    public NoticeValues Text(string name, string value)
    {
        _values[name] = value;
        return this;
    }

    /// <summary>An amount in CNY cents, written with its currency (<c>12.34 CNY</c>).</summary>
    public NoticeValues Money(string name, long cents)
    {
        _values[name] = new Cents(cents);
        return this;
    }

    /// <summary>A billing item, written by its name in the notice's language.</summary>
    public NoticeValues Item(string name, Usage.BillingItemInfo item)
    {
        _values[name] = item;
        return this;
    }

    public NoticeValues Time(string name, DateTimeOffset at)
    {
        _values[name] = at;
        return this;
    }

    public NoticeValues Day(string name, DateOnly day)
    {
        _values[name] = day;
        return this;
    }

    public NoticeValues Number(string name, long value)
    {
        _values[name] = value;
        return this;
    }

    public NoticeValues Flag(string name, bool value)
    {
        _flags[name] = value;
        return this;
    }

    internal bool TryFlag(string name, out bool value) => _flags.TryGetValue(name, out value);

    /// <summary>The value of <paramref name="name"/> as people read it, or null when the notice has none.</summary>
    internal string? Format(string name, TimeZoneInfo zone, string language) => _values.TryGetValue(name, out var value)
        ? value switch
        {
            Usage.BillingItemInfo item => language == NotificationLanguages.SimplifiedChinese ? item.ChineseName : item.DisplayName,
            Cents cents => Cny.Format(cents.Value),
            DateTimeOffset at => NotificationTexts.Time(at, zone),
            DateOnly day => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            long number => number.ToString(CultureInfo.InvariantCulture),
            _ => Convert.ToString(value, CultureInfo.InvariantCulture),
        }
        : null;

    private sealed record Cents(long Value);
}
