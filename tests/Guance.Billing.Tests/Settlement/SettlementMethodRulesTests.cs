using Guance.Billing.Settlement;
using Guance.Billing.Workspaces;
using static Guance.Billing.Settlement.SettlementMethod;

namespace Guance.Billing.Tests.Settlement;

/// <summary>The settlement-method rules of docs/domain.md §7 as pure functions.</summary>
public sealed class SettlementMethodRulesTests
{
    [Theory]
    [InlineData("cn1", new[] { BillingCenter, AlibabaCloud })]
    [InlineData("cn6", new[] { BillingCenter, AlibabaCloud })]
    [InlineData("cn2", new[] { BillingCenter, Aws })]
    [InlineData("us1", new[] { BillingCenter, Aws })]
    [InlineData("eu1", new[] { BillingCenter, Aws })]
    [InlineData("ap1", new[] { BillingCenter, Aws })]
    [InlineData("cn4", new[] { BillingCenter })]
    public void Official_website_workspaces_choose_by_the_site_that_operates_them(string site, SettlementMethod[] allowed)
    {
        Assert.Equal(allowed, SettlementMethodRules.Allowed(Sites.Get(site), ActivationChannel.OfficialWebsite, arbitrarySelection: false));
    }

    [Theory]
    [InlineData(ActivationChannel.AlibabaCloudMarketplace, AlibabaCloud)]
    [InlineData(ActivationChannel.AwsMarketplace, Aws)]
    [InlineData(ActivationChannel.HuaweiCloudMarketplace, HuaweiCloud)]
    public void Marketplace_workspaces_settle_only_through_that_cloud_on_any_site(ActivationChannel channel, SettlementMethod only)
    {
        foreach (var site in Sites.All)
        {
            Assert.Equal([only], SettlementMethodRules.Allowed(site, channel, arbitrarySelection: false));
        }
    }

    [Fact]
    public void Arbitrary_selection_allows_every_method_everywhere()
    {
        foreach (var site in Sites.All)
        {
            foreach (var channel in Enum.GetValues<ActivationChannel>())
            {
                Assert.Equal([BillingCenter, AlibabaCloud, Aws, HuaweiCloud], SettlementMethodRules.Allowed(site, channel, arbitrarySelection: true));
            }
        }
    }

    [Fact]
    public void The_month_of_a_change_is_site_local()
    {
        var shanghai = Sites.Get("cn1");
        var oregon = Sites.Get("us1");
        // 2026-11-30T17:00Z is December 1st in Shanghai but still November 30th in Oregon.
        var at = new DateTimeOffset(2026, 11, 30, 17, 0, 0, TimeSpan.Zero);
        Assert.Equal("2026-12", SettlementMethodRules.MonthOf(shanghai, at));
        Assert.Equal("2026-11", SettlementMethodRules.MonthOf(oregon, at));
    }

    [Fact]
    public void After_a_change_the_next_is_possible_on_the_first_of_the_next_month()
    {
        var shanghai = Sites.Get("cn1");
        var changed = new DateTimeOffset(2026, 12, 31, 3, 0, 0, TimeSpan.Zero);
        Assert.Equal(new DateOnly(2027, 1, 1), SettlementMethodRules.NextChangeDay(shanghai, changed, changed.AddHours(5)));
        // In the next month (Shanghai time) a change is possible at once; without a change, today.
        var january = new DateTimeOffset(2026, 12, 31, 16, 0, 0, TimeSpan.Zero);
        Assert.Equal(new DateOnly(2027, 1, 1), SettlementMethodRules.NextChangeDay(shanghai, changed, january));
        Assert.Equal(new DateOnly(2026, 12, 31), SettlementMethodRules.NextChangeDay(shanghai, null, changed));
    }
}
