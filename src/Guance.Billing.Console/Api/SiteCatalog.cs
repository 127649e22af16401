using Guance.Billing.V1;

namespace Guance.Billing.Console.Api;

/// <summary>
/// The sites as ListSites gives them, by code: each one's name for people and its time zone. The one lookup of both
/// clients (the console's <see cref="WorkspaceDirectory"/> and <see cref="BillingCenterApi"/>).
/// </summary>
public sealed class SiteCatalog
{
    private readonly Dictionary<string, string> _names = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TimeZoneInfo> _zones = new(StringComparer.Ordinal);

    public SiteCatalog(IEnumerable<Site> sites)
    {
        All = sites.ToList();
        foreach (var site in All)
        {
            _names[site.Code] = site.DisplayName;
            if (TimeZoneInfo.TryFindSystemTimeZoneById(site.TimeZone, out var zone))
            {
                _zones[site.Code] = zone;
            }
        }
    }

    /// <summary>No site known: what a page shows when ListSites could not be read (codes, and days without a zone).</summary>
    public static SiteCatalog Empty { get; } = new([]);

    public IReadOnlyList<Site> All { get; }

    /// <summary>The site's time zone; null when the site is unknown or this runtime does not know its zone.</summary>
    public TimeZoneInfo? ZoneOf(string siteCode) => _zones.GetValueOrDefault(siteCode);

    /// <summary>The site's name for people ("China 1 (Hangzhou)"); its code when the site is unknown.</summary>
    public string NameOf(string siteCode) => _names.GetValueOrDefault(siteCode) is { Length: > 0 } name ? name : siteCode;
}
