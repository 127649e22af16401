using Google.Protobuf.WellKnownTypes;

namespace Guance.Billing.Console.Api;

/// <summary>When the days picked on a page or drawn on a chart begin in their zone, as the host is asked for them.</summary>
public static class DayBounds
{
    /// <summary>The instant <paramref name="day"/> begins in <paramref name="zone"/>.</summary>
    public static DateTimeOffset Midnight(DateOnly day, TimeZoneInfo zone)
    {
        var local = day.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }

    /// <summary><see cref="Midnight"/> as the contract carries it.</summary>
    public static Timestamp StartOf(DateOnly day, TimeZoneInfo zone) => Timestamp.FromDateTimeOffset(Midnight(day, zone));
}
