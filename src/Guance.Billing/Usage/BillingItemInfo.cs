using Guance.Billing.Workspaces;

namespace Guance.Billing.Usage;

/// <summary>
/// One entry of the catalog: how an item is counted, aggregated and priced, and what the experience
/// plan allows of it. Settlement rates from <see cref="PriceUnit"/> and <see cref="RetentionDataType"/>.
/// </summary>
public sealed record BillingItemInfo(
    BillingItem Item,
    string Code,
    string DisplayName,
    string CountedUnit,
    long PriceUnit,
    DailyAggregation Aggregation,
    long? ExperienceDailyQuota,
    bool ExperienceQuotaChinaOnly,
    DataType? RetentionDataType,
    bool Retired = false,
    bool CnPriceListOnly = false)
{
    /// <summary>The item's name in Simplified Chinese, as Chinese notices give it.</summary>
    public string ChineseName { get; init; } = DisplayName;

    /// <summary>The enum name of the contract, used as the subject of quota failures.</summary>
    public string ContractName => "BILLING_ITEM_" + Code.ToUpperInvariant();

    public bool IsStock => Aggregation == DailyAggregation.Max;

    /// <summary>Whether an experience workspace may report the item at all.</summary>
    public bool ExperienceAllows(Site site) =>
        ExperienceDailyQuota is not null && (!ExperienceQuotaChinaOnly || Sites.IsChina(site));

    /// <summary>Whether the site's price list offers the item (SMS is offered on CN price-list sites only).</summary>
    public bool IsOfferedOn(Site site) => !CnPriceListOnly || site.PriceRegion == PriceRegion.Cn;

    /// <summary>The free quantity per day of an experience workspace on this site, or null when the item is not available there.</summary>
    public long? ExperienceQuotaOn(Site site) => ExperienceAllows(site) ? ExperienceDailyQuota : null;
}
