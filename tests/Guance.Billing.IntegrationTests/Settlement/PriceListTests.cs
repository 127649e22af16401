using Grpc.Core;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.V1;
using static Guance.Billing.IntegrationTests.Infrastructure.BillingCenterScenario;
using static Guance.Billing.IntegrationTests.Settlement.DayCloseKit;

namespace Guance.Billing.IntegrationTests.Settlement;

/// <summary>
/// Price lists through gRPC: the seeded CN and Intl lists of docs/domain.md §4, the list in force on a site
/// and a day, lists created by the operator for a future day only, and a price change between two
/// days: the day before the change is billed with the old list, the day of the change with the new.
/// The tests share one host: each creates its lists on days no other test uses.
/// </summary>
public sealed class PriceListTests(BillingHost host) : IClassFixture<BillingHost>
{
    private const string CnPriceList = "pl_01hk153x000000000000000001";
    private const string IntlPriceList = "pl_01hk153x000000000000000002";
    private static readonly DateOnly SeedDay = new(2024, 1, 1);

    private static decimal Yuan(Money money) => money.Units + money.Nanos / 1_000_000_000m;

    private static decimal PriceOf(PriceList list, BillingItem item, int retentionDays = 0) =>
        Yuan(list.Prices.Single(p => p.Item == item && p.RetentionDays == retentionDays).UnitPrice);

    [Fact]
    public async Task The_seeded_lists_are_public_and_hold_the_prices_of_the_catalog()
    {
        var anonymous = host.Api().Settlement;
        var all = await anonymous.ListPriceListsAsync(new ListPriceListsRequest { PageSize = 100 });
        var cn = all.PriceLists.Single(l => l.PriceListId == CnPriceList);
        var intl = all.PriceLists.Single(l => l.PriceListId == IntlPriceList);
        Assert.Equal(PriceRegion.Cn, cn.Region);
        Assert.Equal(PriceRegion.Intl, intl.Region);
        Assert.Equal(SeedDay, cn.EffectiveDay.ToDateOnly());

        // A few prices of §4 on each list, with their price units.
        Assert.Equal(0.6m, PriceOf(cn, BillingItem.TimeSeries, 3));
        Assert.Equal(7m, PriceOf(cn, BillingItem.TimeSeries, 360));
        Assert.Equal(14m, PriceOf(intl, BillingItem.TimeSeries, 360));
        Assert.Equal(19.44m, PriceOf(cn, BillingItem.ApmTrace, 60));
        Assert.Equal(64.8m, PriceOf(intl, BillingItem.ApmTrace, 60));
        Assert.Equal(0.5m, PriceOf(cn, BillingItem.ApmProfile, 14));
        Assert.Equal(6.48m, PriceOf(cn, BillingItem.RumPv, 60));
        Assert.Equal(0.007m, PriceOf(cn, BillingItem.BackupLogs));
        Assert.Equal(0.014m, PriceOf(intl, BillingItem.BackupLogs));
        Assert.Equal(10m, PriceOf(intl, BillingItem.SyntheticTests));
        Assert.Equal(1m, PriceOf(cn, BillingItem.Sms));
        Assert.DoesNotContain(intl.Prices, p => p.Item == BillingItem.Sms);
        Assert.Equal(1_000_000_000, cn.Prices.First(p => p.Item == BillingItem.BackupLogs).PriceUnit);
        Assert.Equal(10, cn.Prices.First(p => p.Item == BillingItem.Sms).PriceUnit);
        Assert.Equal(1_000_000, intl.Prices.First(p => p.Item == BillingItem.Logs).PriceUnit);

        // By region, newest first, a page at a time.
        var onlyIntl = await anonymous.ListPriceListsAsync(new ListPriceListsRequest { Region = PriceRegion.Intl, PageSize = 100 });
        Assert.All(onlyIntl.PriceLists, l => Assert.Equal(PriceRegion.Intl, l.Region));
        Assert.Contains(onlyIntl.PriceLists, l => l.PriceListId == IntlPriceList);
        var seen = new List<string>();
        var request = new ListPriceListsRequest { PageSize = 1 };
        do
        {
            var page = await anonymous.ListPriceListsAsync(request);
            Assert.True(page.PriceLists.Count <= 1);
            seen.AddRange(page.PriceLists.Select(l => l.PriceListId));
            request.PageToken = page.NextPageToken;
        }
        while (request.PageToken.Length > 0);
        Assert.Equal(all.PriceLists.Select(l => l.PriceListId), seen);

        await RpcAssert.InvalidFields(() => anonymous.ListPriceListsAsync(new ListPriceListsRequest { Region = (PriceRegion)9, PageSize = -1, PageToken = "not a token" }),
            "region", "page_size", "page_token");
    }

    [Fact]
    public async Task GetPriceList_gives_the_list_in_force_on_a_site_and_day_or_by_id()
    {
        var settlement = host.Api().Settlement;
        var day = SettlementScenario.Day(new DateOnly(2025, 6, 1));
        Assert.Equal(CnPriceList, (await settlement.GetPriceListAsync(new GetPriceListRequest { SiteCode = "cn4", Day = day })).PriceList.PriceListId);
        Assert.Equal(IntlPriceList, (await settlement.GetPriceListAsync(new GetPriceListRequest { SiteCode = "cn6", Day = day })).PriceList.PriceListId);
        Assert.Equal(IntlPriceList, (await settlement.GetPriceListAsync(new GetPriceListRequest { SiteCode = "us1", Day = day })).PriceList.PriceListId);
        var byId = (await settlement.GetPriceListAsync(new GetPriceListRequest { PriceListId = CnPriceList })).PriceList;
        Assert.Equal(2m, PriceOf(byId, BillingItem.NetworkHosts));

        // Before the first list there is none.
        await RpcAssert.Precondition(() => settlement.GetPriceListAsync(new GetPriceListRequest { SiteCode = "cn1", Day = SettlementScenario.Day(SeedDay.AddDays(-1)) }),
            "NO_PRICE_LIST");
        await RpcAssert.Fails(StatusCode.NotFound, () => settlement.GetPriceListAsync(new GetPriceListRequest { PriceListId = "pl_01kb0000000000000000000000" }));
        await RpcAssert.InvalidFields(() => settlement.GetPriceListAsync(new GetPriceListRequest()), "site_code");
        await RpcAssert.InvalidFields(() => settlement.GetPriceListAsync(new GetPriceListRequest { SiteCode = "mars1", Day = new BillingDay { Year = 2025, Month = 2, Day = 29 } }),
            "site_code", "day");
        await RpcAssert.InvalidFields(() => settlement.GetPriceListAsync(new GetPriceListRequest { PriceListId = CnPriceList, SiteCode = "cn1", Day = day }),
            "site_code", "day");
    }

    [Fact]
    public async Task Only_the_operator_creates_a_list_and_only_from_a_future_day()
    {
        var chinaToday = DateOnly.FromDateTime(host.Clock.GetUtcNow().ToOffset(China).DateTime);
        CreatePriceListRequest Request(DateOnly effective) => new()
        {
            Region = PriceRegion.Cn,
            EffectiveDay = SettlementScenario.Day(effective),
            BasePriceListId = CnPriceList,
            Description = "Cheaper triggers",
            Prices = { new Price { Item = BillingItem.Triggers, RetentionDays = 0, UnitPrice = BillingCenterScenario.Yuan(0.8m) } },
        };
        var user = await host.SignUpAsync();
        var account = await host.RegisterBillingAccountAsync();
        await RpcAssert.Fails(StatusCode.PermissionDenied, () => user.Api.Settlement.CreatePriceListAsync(Request(chinaToday.AddDays(40))), "OPERATOR_REQUIRED");
        await RpcAssert.Fails(StatusCode.PermissionDenied, () => account.Api.Settlement.CreatePriceListAsync(Request(chinaToday.AddDays(40))), "OPERATOR_REQUIRED");
        await RpcAssert.Fails(StatusCode.Unauthenticated, () => host.Api().Settlement.CreatePriceListAsync(Request(chinaToday.AddDays(40))));

        // Today and the past are refused: a list never prices a day that has begun.
        await RpcAssert.InvalidFields(() => host.Operator.Settlement.CreatePriceListAsync(Request(chinaToday)), "effective_day");
        await RpcAssert.InvalidFields(() => host.Operator.Settlement.CreatePriceListAsync(Request(chinaToday.AddDays(-10))), "effective_day");
        await RpcAssert.InvalidFields(() => host.Operator.Settlement.CreatePriceListAsync(new CreatePriceListRequest
        {
            Region = PriceRegion.Intl,
            EffectiveDay = SettlementScenario.Day(chinaToday.AddDays(40)),
            BasePriceListId = IntlPriceList,
            Prices = { new Price { Item = BillingItem.Sms, UnitPrice = BillingCenterScenario.Yuan(1m) }, new Price { Item = BillingItem.Logs, RetentionDays = 5, UnitPrice = BillingCenterScenario.Yuan(1m) } },
        }), "prices[0].item", "prices[1].retention_days");
        // Without a base list every price must be given.
        await RpcAssert.InvalidFields(() => host.Operator.Settlement.CreatePriceListAsync(new CreatePriceListRequest
        {
            Region = PriceRegion.Cn, EffectiveDay = SettlementScenario.Day(chinaToday.AddDays(40)),
            Prices = { new Price { Item = BillingItem.Triggers, UnitPrice = BillingCenterScenario.Yuan(0.8m) } },
        }), "prices");
        Assert.DoesNotContain((await host.Operator.Settlement.ListPriceListsAsync(new ListPriceListsRequest { PageSize = 100 })).PriceLists,
            l => l.EffectiveDay.ToDateOnly() == chinaToday || l.EffectiveDay.ToDateOnly() == chinaToday.AddDays(-10) || l.EffectiveDay.ToDateOnly() == chinaToday.AddDays(40));

        var inForceTheDayBefore = (await host.Api().Settlement.GetPriceListAsync(new GetPriceListRequest { SiteCode = "cn2", Day = SettlementScenario.Day(chinaToday.AddDays(39)) })).PriceList;
        var created = (await host.Operator.Settlement.CreatePriceListAsync(Request(chinaToday.AddDays(40)))).PriceList;
        Assert.Equal(PriceRegion.Cn, created.Region);
        Assert.Equal(chinaToday.AddDays(40), created.EffectiveDay.ToDateOnly());
        Assert.Equal(0.8m, PriceOf(created, BillingItem.Triggers));
        Assert.Equal(0.7m, PriceOf(created, BillingItem.TimeSeries, 7)); // from the base list
        var fetched = (await host.Api().Settlement.GetPriceListAsync(new GetPriceListRequest { SiteCode = "cn2", Day = SettlementScenario.Day(chinaToday.AddDays(41)) })).PriceList;
        Assert.Equal(created.PriceListId, fetched.PriceListId);
        Assert.Equal(inForceTheDayBefore,
            (await host.Api().Settlement.GetPriceListAsync(new GetPriceListRequest { SiteCode = "cn2", Day = SettlementScenario.Day(chinaToday.AddDays(39)) })).PriceList);

        // One list per region and day.
        await RpcAssert.Fails(StatusCode.AlreadyExists, () => host.Operator.Settlement.CreatePriceListAsync(Request(chinaToday.AddDays(40))), "PRICE_LIST_EXISTS");
    }

    [Fact]
    public async Task A_price_change_bills_the_day_before_with_the_old_list_and_the_day_of_the_change_with_the_new()
    {
        var day = host.NextDay(China);
        var workspace = await host.CreateWorkspaceAsync("cn1");
        var account = await host.UpgradeAsync(workspace);
        await host.FundedWalletAsync(account, 50m);
        var agent = await host.AgentAsync(workspace);

        // Made while `day` is still to come: effective the day after it.
        var created = (await host.Operator.Settlement.CreatePriceListAsync(new CreatePriceListRequest
        {
            Region = PriceRegion.Cn,
            EffectiveDay = SettlementScenario.Day(day.AddDays(1)),
            BasePriceListId = CnPriceList,
            Description = "Logs up",
            Prices = { new Price { Item = BillingItem.Logs, RetentionDays = 14, UnitPrice = BillingCenterScenario.Yuan(1.75m) } },
        })).PriceList;

        host.MoveClockTo(Local(day, China, 12));
        await agent.ReportAsync(Record(BillingItem.Logs, 1_234_567, Local(day, China, 11)), Record(BillingItem.TimeSeries, 2_500, Local(day, China, 11)));
        host.MoveClockTo(Local(day.AddDays(1), China, 12));
        await agent.ReportAsync(Record(BillingItem.Logs, 1_234_567, Local(day.AddDays(1), China, 11)), Record(BillingItem.TimeSeries, 2_500, Local(day.AddDays(1), China, 11)));
        var first = await host.CloseDayAsync("cn1", day);
        host.MoveClockTo(Local(day.AddDays(2), China, 0, 40));
        var second = await host.CloseDayAsync("cn1", day.AddDays(1));
        Assert.Equal(CnPriceList, first.PriceListId);
        Assert.Equal(created.PriceListId, second.PriceListId);

        // Old list: logs 1,234,567 / 10^6 = 1.23 x 1.5  = 1.845  -> 1.85; time series 2,500 / 1,000 = 2.50 x 0.7 = 1.75; total 3.60.
        var before = await host.BillAsync(workspace.Id, day);
        before.AssertLine(BillingItem.Logs, 1_234_567, "1.23", 1.5m, 185, 14);
        before.AssertLine(BillingItem.TimeSeries, 2_500, "2.50", 0.7m, 175, 7);
        Assert.Equal(3_60, before.Total.Cents());
        Assert.Equal(CnPriceList, before.PriceListId);
        // New list: logs 1.23 x 1.75 = 2.1525 -> 2.15; time series unchanged 1.75; total 3.90.
        var after = await host.BillAsync(workspace.Id, day.AddDays(1));
        after.AssertLine(BillingItem.Logs, 1_234_567, "1.23", 1.75m, 215, 14);
        after.AssertLine(BillingItem.TimeSeries, 2_500, "2.50", 0.7m, 175, 7);
        Assert.Equal(3_90, after.Total.Cents());
        Assert.Equal(created.PriceListId, after.PriceListId);
        // 50.00 - 3.60 - 3.90 = 42.50.
        Assert.Equal(42_50, (await host.WalletAsync(account.Id)).Cash.Cents());

        // A list for a day already billed is refused, and closing a day again never prices it anew.
        await RpcAssert.InvalidFields(() => host.Operator.Settlement.CreatePriceListAsync(new CreatePriceListRequest
        {
            Region = PriceRegion.Cn, EffectiveDay = SettlementScenario.Day(day), BasePriceListId = CnPriceList,
        }), "effective_day");
        await host.CloseDayAsync("cn1", day);
        Assert.Equal(before, await host.BillAsync(workspace.Id, day));
    }
}
