using Guance.Billing.Workspaces;

namespace Guance.Billing.Tests.Workspaces;

public sealed class SiteTests
{
    [Fact]
    public void A_China_billing_day_runs_from_16_00_UTC_to_16_00_UTC()
    {
        var cn1 = Sites.Get("cn1");
        var day = new DateOnly(2026, 11, 2);

        Assert.Equal(new DateTimeOffset(2026, 11, 1, 16, 0, 0, TimeSpan.Zero), cn1.StartOf(day));
        Assert.Equal(day, cn1.BillingDayOf(new DateTimeOffset(2026, 11, 1, 16, 0, 0, TimeSpan.Zero)));
        Assert.Equal(day.AddDays(-1), cn1.BillingDayOf(new DateTimeOffset(2026, 11, 1, 15, 59, 59, TimeSpan.Zero)));
    }

    [Fact]
    public void Oregon_days_follow_daylight_saving_time()
    {
        var us1 = Sites.Get("us1");
        // PDT (UTC-7) in summer, PST (UTC-8) after the first Sunday of November.
        Assert.Equal(new DateTimeOffset(2026, 7, 1, 7, 0, 0, TimeSpan.Zero), us1.StartOf(new DateOnly(2026, 7, 1)));
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero), us1.StartOf(new DateOnly(2026, 12, 1)));
        // 2026-11-01 is 25 hours long there.
        Assert.Equal(TimeSpan.FromHours(25), us1.StartOf(new DateOnly(2026, 11, 2)) - us1.StartOf(new DateOnly(2026, 11, 1)));
    }

    [Fact]
    public void Every_site_of_the_domain_is_known_with_its_price_list()
    {
        Assert.Equal(["cn1", "cn2", "cn4", "cn6", "us1", "eu1", "ap1"], Sites.All.Select(s => s.Code));
        Assert.All(Sites.All.Where(s => s.Code is "cn1" or "cn2" or "cn4"), s => Assert.Equal(PriceRegion.Cn, s.PriceRegion));
        Assert.All(Sites.All.Where(s => s.Code is not ("cn1" or "cn2" or "cn4")), s => Assert.Equal(PriceRegion.Intl, s.PriceRegion));
        Assert.Equal(CloudProvider.HuaweiCloud, Sites.Get("cn4").CloudProvider);
    }
}
