using Guance.Billing.Pricing;
using Guance.Billing.Usage;
using Guance.Billing.Workspaces;

namespace Guance.Billing.Tests.Pricing;

/// <summary>Which prices a list holds, which tier a retention pays, and the seeded lists of docs/domain.md §4.</summary>
public sealed class PriceTiersTests
{
    private static BillingItemInfo Item(BillingItem item) => BillingItems.Get(item);

    [Fact]
    public void Items_priced_by_retention_have_a_price_per_retention_choice_and_apm_profile_only_three()
    {
        Assert.Equal([3, 7, 14, 30, 180, 360], PriceTiers.Of(Item(BillingItem.TimeSeries)));
        Assert.Equal([3, 7, 14, 30, 60], PriceTiers.Of(Item(BillingItem.Logs)));
        Assert.Equal([3, 7, 14, 30, 60], PriceTiers.Of(Item(BillingItem.ApmTrace)));
        Assert.Equal([3, 7, 14], PriceTiers.Of(Item(BillingItem.ApmProfile)));
        Assert.Equal([3, 7, 14, 30, 60], PriceTiers.Of(Item(BillingItem.RumPv)));
        foreach (var flat in new[] { BillingItem.BackupLogs, BillingItem.NetworkHosts, BillingItem.SessionReplay, BillingItem.SyntheticTests, BillingItem.Triggers, BillingItem.Sms, BillingItem.DataKit })
        {
            Assert.Equal([0], PriceTiers.Of(Item(flat)));
        }
    }

    [Theory]
    [InlineData(BillingItem.ApmProfile, 3, 3)]
    [InlineData(BillingItem.ApmProfile, 14, 14)]
    // APM retention 30 or 60 days: the profile has no such price and pays the 14-day one.
    [InlineData(BillingItem.ApmProfile, 30, 14)]
    [InlineData(BillingItem.ApmProfile, 60, 14)]
    [InlineData(BillingItem.ApmTrace, 60, 60)]
    [InlineData(BillingItem.TimeSeries, 180, 180)]
    [InlineData(BillingItem.Logs, 2, 3)]
    [InlineData(BillingItem.Sms, 30, 0)]
    public void A_retention_pays_the_largest_tier_not_above_it(BillingItem item, int retention, int tier)
    {
        Assert.Equal(tier, PriceTiers.For(Item(item), retention));
    }

    [Fact]
    public void Sms_is_offered_on_the_cn_list_only()
    {
        Assert.True(PriceTiers.IsOffered(PriceRegion.Cn, Item(BillingItem.Sms)));
        Assert.False(PriceTiers.IsOffered(PriceRegion.Intl, Item(BillingItem.Sms)));
        Assert.True(Item(BillingItem.Sms).IsOfferedOn(Sites.Get("cn4")));
        Assert.False(Item(BillingItem.Sms).IsOfferedOn(Sites.Get("cn6")));
        Assert.False(Item(BillingItem.Sms).IsOfferedOn(Sites.Get("us1")));
        Assert.True(Item(BillingItem.Logs).IsOfferedOn(Sites.Get("us1")));
    }

    [Fact]
    public void The_seeded_lists_price_exactly_what_each_region_offers()
    {
        foreach (var list in PriceSeed.Lists)
        {
            var entries = PriceSeed.Entries.Where(e => e.PriceListId == list.Id).Select(e => (e.Item, e.RetentionDays)).ToHashSet();
            var required = PriceTiers.RequiredPrices(list.Region).Select(r => (r.Item.Item, r.RetentionDays)).ToHashSet();
            Assert.Equal(required.OrderBy(x => x), entries.OrderBy(x => x));
        }
        // 6 + 5 + 5 + 3 + 5 tiered prices and 7 flat ones on CN; Intl has no SMS.
        Assert.Equal(31, PriceSeed.Entries.Count(e => e.PriceListId == PriceSeed.CnListId));
        Assert.Equal(30, PriceSeed.Entries.Count(e => e.PriceListId == PriceSeed.IntlListId));
    }

    [Theory]
    [InlineData(PriceRegion.Cn, BillingItem.TimeSeries, 3, 600_000)]
    [InlineData(PriceRegion.Cn, BillingItem.TimeSeries, 360, 7_000_000)]
    [InlineData(PriceRegion.Intl, BillingItem.TimeSeries, 14, 2_200_000)]
    [InlineData(PriceRegion.Cn, BillingItem.Logs, 14, 1_500_000)]
    [InlineData(PriceRegion.Intl, BillingItem.Logs, 60, 5_000_000)]
    [InlineData(PriceRegion.Cn, BillingItem.ApmTrace, 60, 19_440_000)]
    [InlineData(PriceRegion.Intl, BillingItem.ApmTrace, 60, 64_800_000)]
    [InlineData(PriceRegion.Cn, BillingItem.ApmProfile, 14, 500_000)]
    [InlineData(PriceRegion.Intl, BillingItem.ApmProfile, 7, 600_000)]
    [InlineData(PriceRegion.Cn, BillingItem.RumPv, 60, 6_480_000)]
    [InlineData(PriceRegion.Intl, BillingItem.RumPv, 60, 16_200_000)]
    [InlineData(PriceRegion.Cn, BillingItem.BackupLogs, 0, 7_000)]
    [InlineData(PriceRegion.Intl, BillingItem.BackupLogs, 0, 14_000)]
    [InlineData(PriceRegion.Cn, BillingItem.NetworkHosts, 0, 2_000_000)]
    [InlineData(PriceRegion.Intl, BillingItem.NetworkHosts, 0, 4_000_000)]
    [InlineData(PriceRegion.Intl, BillingItem.SyntheticTests, 0, 10_000_000)]
    [InlineData(PriceRegion.Cn, BillingItem.Sms, 0, 1_000_000)]
    [InlineData(PriceRegion.Cn, BillingItem.DataKit, 0, 3_000_000)]
    public void The_seed_holds_the_domain_prices_in_micro_cny(PriceRegion region, BillingItem item, int retention, long micros)
    {
        var list = PriceSeed.Lists.Single(l => l.Region == region);
        Assert.Equal(micros, PriceSeed.Entries.Single(e => e.PriceListId == list.Id && e.Item == item && e.RetentionDays == retention).UnitPriceMicros);
    }
}
