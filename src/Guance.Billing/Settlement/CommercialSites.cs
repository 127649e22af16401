using Guance.Billing.Data;
using Guance.Billing.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace Guance.Billing.Settlement;

/// <summary>
/// Where the settlement jobs have work, and since when: the sites with a commercial workspace, each
/// with the site-local day of its first upgrade (before it, no workspace of the site had anything to bill).
/// </summary>
internal static class CommercialSites
{
    public static async Task<List<(Site Site, DateOnly FirstDay)>> WithFirstUpgradeDayAsync(BillingDbContext db, CancellationToken cancellationToken)
    {
        var firstUpgrades = await db.Workspaces.AsNoTracking()
            .Where(w => w.Plan == Plan.Commercial && w.UpgradedAt != null)
            .GroupBy(w => w.SiteCode)
            .Select(g => new { SiteCode = g.Key, First = g.Min(w => w.UpgradedAt) })
            .ToListAsync(cancellationToken);
        return firstUpgrades
            .Where(s => Sites.TryGet(s.SiteCode, out _))
            .Select(s => (Sites.Get(s.SiteCode), Sites.Get(s.SiteCode).BillingDayOf(s.First!.Value)))
            .ToList();
    }
}
