using Guance.Billing.Workspaces;

namespace Guance.Billing.Usage;

/// <summary>
/// The PostgreSQL advisory lock of one site-day, shared by the usage writer (a shared lock per
/// site-day it writes, held to its commit) and CloseDay (the exclusive lock while it inserts the
/// day's close row), so that a batch commits either before the close (and is billed) or sees the
/// close and is refused. The two-int key space does not meet the one-bigint keys of workspace locks;
/// the key is exact (site number and day number), so two site-days never share a lock.
/// </summary>
public static class SiteDayLock
{
    /// <summary>"gdcl": the class of day-close locks.</summary>
    public const int ClassId = 0x6764636c;

    // A site's number is its place in Sites.All (from 1): hosts of one deployment must share that order.
    private static readonly Dictionary<string, int> SiteNumbers =
        Sites.All.Select((site, index) => (site.Code, Number: index + 1)).ToDictionary(s => s.Code, s => s.Number, StringComparer.Ordinal);

    public static int ObjectId(Site site, DateOnly day) => checked(SiteNumbers[site.Code] * 1_000_000 + day.DayNumber);
}
