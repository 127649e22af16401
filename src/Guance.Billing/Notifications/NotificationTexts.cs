using System.Globalization;

namespace Guance.Billing.Notifications;

/// <summary>How notifications write values for people, whatever the host's culture.</summary>
public static class NotificationTexts
{
    /// <summary>An instant in UTC and the invariant calendar: <c>2026-11-05 01:30 UTC</c>.</summary>
    public static string Time(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC";

    /// <summary>An instant in <paramref name="zone"/> with its offset: <c>2026-11-05 09:30 (UTC+08:00)</c>.</summary>
    public static string Time(DateTimeOffset value, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(value, zone);
        var offset = local.Offset;
        return local.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)
            + " (UTC" + (offset < TimeSpan.Zero ? "-" : "+") + offset.ToString(@"hh\:mm", CultureInfo.InvariantCulture) + ")";
    }
}
