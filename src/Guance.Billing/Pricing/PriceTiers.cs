using Guance.Billing.Usage;
using Guance.Billing.Workspaces;

namespace Guance.Billing.Pricing;

/// <summary>
/// Which prices a list holds for an item, and which of them a retention uses (docs/domain.md §4). Items
/// priced by retention have one price per retention choice of their data type, except APM profile,
/// priced at 3, 7 and 14 days only: a longer APM retention pays the 14-day profile price (the largest
/// tier not above the retention). SMS is offered on the CN price list only.
/// </summary>
public static class PriceTiers
{
    /// <summary>The retention of an item whose price does not depend on it.</summary>
    public const int AnyRetention = 0;

    private static readonly int[] ApmProfileTiers = [3, 7, 14];

    /// <summary>The retentions an item is priced at; <c>[0]</c> when its price does not depend on retention.</summary>
    public static IReadOnlyList<int> Of(BillingItemInfo item) => item.RetentionDataType switch
    {
        null => [AnyRetention],
        _ when item.Item == BillingItem.ApmProfile => ApmProfileTiers,
        { } type => RetentionPolicy.AllowedDays(type),
    };

    /// <summary>The tier whose price a retention pays: the largest tier not above it (the smallest when below all).</summary>
    public static int For(BillingItemInfo item, int retentionDays)
    {
        var tiers = Of(item);
        if (tiers.Count == 1 && tiers[0] == AnyRetention)
        {
            return AnyRetention;
        }
        var chosen = tiers[0];
        foreach (var tier in tiers)
        {
            if (tier <= retentionDays)
            {
                chosen = tier;
            }
        }
        return chosen;
    }

    /// <summary>Whether the region's price lists offer the item at all (SMS is not offered on Intl sites).</summary>
    public static bool IsOffered(PriceRegion region, BillingItemInfo item) => !item.CnPriceListOnly || region == PriceRegion.Cn;

    /// <summary>Every (item, retention) a complete list of the region prices.</summary>
    public static IEnumerable<(BillingItemInfo Item, int RetentionDays)> RequiredPrices(PriceRegion region) =>
        BillingItems.All.Where(i => IsOffered(region, i)).SelectMany(i => Of(i).Select(t => (i, t)));
}
