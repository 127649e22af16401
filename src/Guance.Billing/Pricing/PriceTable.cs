using Guance.Billing.Usage;

namespace Guance.Billing.Pricing;

/// <summary>The prices of one list, for rating: item and retention to a unit price in micro-CNY.</summary>
public sealed class PriceTable
{
    private readonly Dictionary<(BillingItem Item, int RetentionDays), long> _prices;

    public PriceTable(PriceList list, IEnumerable<PriceListEntry> entries)
    {
        List = list;
        _prices = entries.ToDictionary(e => (e.Item, e.RetentionDays), e => e.UnitPriceMicros);
    }

    public PriceList List { get; }

    public int Count => _prices.Count;

    /// <summary>
    /// The price that <paramref name="retentionDays"/> pays for <paramref name="item"/> (see
    /// <see cref="PriceTiers.For"/>), with the tier it came from; false when the list has no price for it.
    /// </summary>
    public bool TryPrice(BillingItemInfo item, int retentionDays, out long unitPriceMicros, out int tier)
    {
        tier = PriceTiers.For(item, retentionDays);
        return _prices.TryGetValue((item.Item, tier), out unitPriceMicros);
    }

    /// <summary>The prices in catalog order, then by retention.</summary>
    public IEnumerable<(BillingItemInfo Item, int RetentionDays, long UnitPriceMicros)> Prices =>
        _prices.OrderBy(p => (int)p.Key.Item).ThenBy(p => p.Key.RetentionDays)
            .Select(p => (BillingItems.Get(p.Key.Item), p.Key.RetentionDays, p.Value));
}
