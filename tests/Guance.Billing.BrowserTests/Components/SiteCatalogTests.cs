using Guance.Billing.Console.Api;
using Guance.Billing.V1;

namespace Guance.Billing.BrowserTests.Components;

/// <summary>The sites as the console shows them: by name, in their own zone, and by code when the host did not name them.</summary>
public sealed class SiteCatalogTests
{
    private static readonly SiteCatalog Sites = new(
    [
        new Site { Code = "cn1", DisplayName = "China 1 (Hangzhou)", TimeZone = "Asia/Shanghai" },
        new Site { Code = "xx9", DisplayName = "", TimeZone = "Nowhere/Unknown" },
    ]);

    [Fact]
    public void A_site_is_named_for_people_and_an_unknown_or_unnamed_one_by_its_code()
    {
        Assert.Equal("China 1 (Hangzhou)", Sites.NameOf("cn1"));
        Assert.Equal("xx9", Sites.NameOf("xx9"));
        Assert.Equal("eu1", Sites.NameOf("eu1"));
        Assert.Equal("eu1", SiteCatalog.Empty.NameOf("eu1"));
    }

    [Fact]
    public void A_sites_zone_is_known_only_when_this_runtime_knows_it()
    {
        Assert.Equal(TimeSpan.FromHours(8), Sites.ZoneOf("cn1")!.BaseUtcOffset);
        Assert.Null(Sites.ZoneOf("xx9"));
        Assert.Null(Sites.ZoneOf("eu1"));
    }
}
