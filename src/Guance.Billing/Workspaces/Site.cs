namespace Guance.Billing.Workspaces;

/// <summary>A site (region): its own time zone, operating cloud and price list.</summary>
public sealed record Site(string Code, string DisplayName, CloudProvider CloudProvider, string TimeZoneId, PriceRegion PriceRegion)
{
    public TimeZoneInfo TimeZone { get; } = TimeZoneInfo.FindSystemTimeZoneById(TimeZoneId);

    /// <summary>The site-local calendar day that an instant falls on: the billing day.</summary>
    public DateOnly BillingDayOf(DateTimeOffset instant) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, TimeZone).DateTime);

    /// <summary>The instant at which a site-local day starts (00:00 site time).</summary>
    public DateTimeOffset StartOf(DateOnly day)
    {
        var local = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        // A zone that skips midnight (none of ours today) starts the day at the first valid instant.
        while (TimeZone.IsInvalidTime(local))
        {
            local = local.AddMinutes(30);
        }
        return new DateTimeOffset(local, TimeZone.GetUtcOffset(local)).ToUniversalTime();
    }
}
