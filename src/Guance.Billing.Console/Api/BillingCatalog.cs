using Guance.Billing.V1;

namespace Guance.Billing.Console.Api;

/// <summary>The billing items' names as the host gives them (ListBillingItems), loaded once.</summary>
public sealed class BillingCatalog(ConsoleApi api)
{
    private Dictionary<BillingItem, BillingItemInfo>? _items;

    public async Task<IReadOnlyDictionary<BillingItem, BillingItemInfo>> ItemsAsync()
    {
        if (_items is null)
        {
            var result = await api.CallAsync(a => a.Usage.ListBillingItemsAsync(new ListBillingItemsRequest()));
            if (result.Value is null)
            {
                return new Dictionary<BillingItem, BillingItemInfo>();
            }
            _items = result.Value.BillingItems.ToDictionary(i => i.Item);
        }
        return _items;
    }

    /// <summary>How a day of the item is counted: the largest hour of a level such as time series, the sum of a flow's hours.</summary>
    public DailyAggregation AggregationOf(BillingItem item) =>
        _items is not null && _items.TryGetValue(item, out var info) ? info.DailyAggregation : DailyAggregation.Sum;

    /// <summary>The item's name, for example "Time series".</summary>
    public string NameOf(BillingItem item) =>
        _items is not null && _items.TryGetValue(item, out var info) ? info.DisplayName : item.ToString();
}
