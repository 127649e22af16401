using Google.Protobuf.WellKnownTypes;

namespace Guance.Billing.Console.Api;

/// <summary>The instants a range of days picked on a page sends to the host: when its days begin in the page's zone.</summary>
public static class DayBounds
{
    /// <summary>The instant <paramref name="day"/> begins in <paramref name="zone"/>.</summary>
    public static Timestamp StartOf(DateOnly day, TimeZoneInfo zone)
    {
        var local = day.ToDateTime(TimeOnly.MinValue);
        return Timestamp.FromDateTimeOffset(new DateTimeOffset(local, zone.GetUtcOffset(local)));
    }
}
