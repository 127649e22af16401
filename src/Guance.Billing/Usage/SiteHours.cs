using Guance.Billing.Workspaces;

namespace Guance.Billing.Usage;

/// <summary>The site-local hour of an instant, and its billing day.</summary>
public readonly record struct SiteHour(DateTimeOffset Start, DateOnly BillingDay)
{
    public DateTimeOffset End => Start.AddHours(1);
}

/// <summary>
/// Maps instants to site-local hours. Hours are taken in local time, so a DST day has 23 or 25 of
/// them (the repeated hour of a fall-back day is two distinct hours). Within one batch most records
/// share an hour, so the last answer is kept: an instant inside it costs a comparison.
/// </summary>
public struct SiteHours(Site site)
{
    private long _startTicks = long.MaxValue;
    private long _endTicks = long.MinValue;
    private SiteHour _last;

    public Site Site { get; } = site;

    public SiteHour HourOf(DateTimeOffset instant)
    {
        var ticks = instant.UtcTicks;
        if (ticks >= _startTicks && ticks < _endTicks)
        {
            return _last;
        }
        _last = Compute(Site, instant);
        _startTicks = _last.Start.UtcTicks;
        _endTicks = _last.End.UtcTicks;
        return _last;
    }

    public static SiteHour Compute(Site site, DateTimeOffset instant)
    {
        var utc = instant.ToUniversalTime();
        var offset = site.TimeZone.GetUtcOffset(utc);
        var local = utc.DateTime + offset;
        var localHour = new DateTime(local.Year, local.Month, local.Day, local.Hour, 0, 0, DateTimeKind.Unspecified);
        var start = new DateTimeOffset(localHour - offset, TimeSpan.Zero);
        // A zone whose offset changes inside the hour (none of ours) would start it before the
        // instant's offset applied; clamp so that the hour always contains the instant.
        if (start > utc || start.AddHours(1) <= utc)
        {
            start = new DateTimeOffset(utc.Year, utc.Month, utc.Day, utc.Hour, 0, 0, TimeSpan.Zero);
        }
        return new SiteHour(start, DateOnly.FromDateTime(localHour));
    }
}
