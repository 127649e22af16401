using Guance.Billing.V1;

namespace Guance.Billing.Console.Api;

/// <summary>The sites' time zones, the one lookup of both clients (the console's <see cref="WorkspaceDirectory"/> and <see cref="BillingCenterApi"/>).</summary>
public static class SiteZones
{
    /// <summary>Each site's time zone by its code (from ListSites); a site whose zone this runtime does not know is left out.</summary>
    public static IReadOnlyDictionary<string, TimeZoneInfo> Of(IEnumerable<Site> sites)
    {
        var zones = new Dictionary<string, TimeZoneInfo>(StringComparer.Ordinal);
        foreach (var site in sites)
        {
            if (TimeZoneInfo.TryFindSystemTimeZoneById(site.TimeZone, out var zone))
            {
                zones[site.Code] = zone;
            }
        }
        return zones;
    }
}
