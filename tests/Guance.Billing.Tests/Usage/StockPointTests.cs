using Guance.Billing.Usage;

namespace Guance.Billing.Tests.Usage;

/// <summary>
/// The stock rule both stores apply (docs/domain.md §3: a collector's hour keeps its latest value), and what a
/// write changes in the hour's rollup: the value for a new point, the difference when it replaces, nothing when it loses.
/// </summary>
public sealed class StockPointTests
{
    [Fact]
    public void A_value_observed_later_or_at_the_same_instant_replaces_one_observed_earlier_loses()
    {
        Assert.True(StockPoint.Replaces(observedAt: 20, storedObservedAt: 10));
        Assert.True(StockPoint.Replaces(observedAt: 10, storedObservedAt: 10));
        Assert.False(StockPoint.Replaces(observedAt: 9, storedObservedAt: 10));
    }

    [Fact]
    public void The_change_is_the_new_value_the_difference_or_nothing()
    {
        Assert.Equal(850, StockPoint.Change(850, observedAt: 20, stored: null));
        Assert.Equal(-350, StockPoint.Change(500, observedAt: 20, stored: (850, 10)));
        Assert.Equal(150, StockPoint.Change(1_000, observedAt: 10, stored: (850, 10)));
        Assert.Equal(0, StockPoint.Change(1_000, observedAt: 9, stored: (850, 10)));
    }
}
