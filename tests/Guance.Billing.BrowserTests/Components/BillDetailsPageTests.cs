using Bunit;
using Guance.Billing.Client;
using Guance.Billing.Console.Pages.Billing;
using Guance.Billing.V1;

namespace Guance.Billing.BrowserTests.Components;

/// <summary>Bill details: the accumulated amount, amounts per item for a range, the month's daily bills and a day's lines.</summary>
public sealed class BillDetailsPageTests : ConsoleContext
{
    [Fact]
    public async Task The_month_sums_the_daily_bills_and_a_day_shows_its_lines()
    {
        await SignInAsync();
        Workspace(WorkspaceRole.Administrator, Plan.Commercial);
        SummaryOfNovember();
        Host.On<ListDailyBillsRequest, ListDailyBillsResponse>("SettlementService/ListDailyBills", r => new ListDailyBillsResponse
        {
            DailyBills =
            {
                r.Month == 11
                    ? [Bill(18, 3.60m), Bill(19, 0.10m), new DailyBill { Day = new BillingDay { Year = 2026, Month = 11, Day = 20 }, Total = MoneyAmounts.FromDecimal(0m), Status = DailyBillStatus.Charged }]
                    : [],
            },
        });

        var page = Render<BillDetailsPage>(p => p.Add(x => x.WorkspaceId, WorkspaceId));

        page.WaitForAssertion(() => Assert.Equal("CNY\u00A0103.70", page.Find("[data-testid=total]").TextContent.Trim()));
        Assert.Contains("2026-11-01 to 2026-11-20 (UTC+8): CNY\u00A03.70", page.Find("[data-testid=range-total]").TextContent);
        Assert.Equal(3, page.FindAll("[data-testid=daily-bills] tbody tr").Count);
        // The days are the site's (cn1: Asia/Shanghai), and the page says so.
        Assert.Equal("Day (UTC+8)", page.Find("[data-testid=daily-bills] thead th").TextContent.Trim());
        Assert.Contains("Yesterday, 2026-11-19 (UTC+8)", page.Markup);
        // A day without usage has nothing to open.
        Assert.Equal(2, page.FindAll("[data-testid=show-bill]").Count);
        Assert.Equal("No usage", page.Find("[data-testid=no-usage]").TextContent.Trim());

        page.FindAll("[data-testid=show-bill]")[0].Click();

        var lines = page.WaitForElements("[data-testid=bill-lines] tbody tr");
        Assert.Contains("Bill of 2026-11-18 (UTC+8): CNY\u00A03.60", page.Find("[data-testid=bill]").TextContent);
        Assert.Equal(["Time series", "6,000", "6.00", "CNY\u00A00.60 per 1,000", "CNY\u00A03.60"], lines[0].QuerySelectorAll("td").Select(td => td.TextContent.Trim()));
        Assert.Contains("Since the upgrade", page.Find("[data-testid=items] thead").TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid=not-billed]"));
        PhoneCards.AssertEveryCellNamed(page, "items");
        PhoneCards.AssertEveryCellNamed(page, "daily-bills");
        PhoneCards.AssertEveryCellNamed(page, "bill-lines");
    }

    [Fact]
    public async Task An_experience_workspace_is_told_it_is_not_billed_instead_of_empty_bills()
    {
        await SignInAsync();
        Workspace(WorkspaceRole.Owner, Plan.Experience);

        var page = Render<BillDetailsPage>(p => p.Add(x => x.WorkspaceId, WorkspaceId));

        Assert.Contains("nothing is billed", page.WaitForElement("[data-testid=not-billed]").TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid=items], [data-testid=daily-bills], [data-testid=total]"));
        Assert.DoesNotContain("Since the upgrade", page.Markup, StringComparison.Ordinal);
        Assert.Empty(Host.CallsOf<GetConsumptionSummaryRequest>("SettlementService/GetConsumptionSummary"));
    }

    [Fact]
    public async Task The_months_to_choose_begin_with_the_upgrades()
    {
        await SignInAsync();
        // Upgraded on 2026-09-30 at 17:00 UTC: October 1 at the site (UTC+8).
        Host.On<GetWorkspaceRequest, GetWorkspaceResponse>("WorkspaceService/GetWorkspace", _ => new GetWorkspaceResponse
        {
            Workspace = new Workspace
            {
                WorkspaceId = WorkspaceId, Name = "Production", SiteCode = "cn1", CallerRole = WorkspaceRole.Owner, Plan = Plan.Commercial, State = WorkspaceState.Active,
                UpgradeTime = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 9, 30, 17, 0, 0, TimeSpan.Zero)),
            },
        });
        SummaryOfNovember();
        Host.On<ListDailyBillsRequest, ListDailyBillsResponse>("SettlementService/ListDailyBills", _ => new ListDailyBillsResponse());

        var popovers = Render<MudBlazor.MudPopoverProvider>();
        var page = Render<BillDetailsPage>(p => p.Add(x => x.WorkspaceId, WorkspaceId));
        page.WaitForElement("[data-testid=daily-bills]");
        await page.InvokeAsync(() => page.FindComponent<MudBlazor.MudSelect<DateOnly>>().Instance.OpenMenu());

        popovers.WaitForAssertion(() => Assert.Equal(["2026-11", "2026-10"], popovers.FindAll(".mud-list-item").Select(i => i.TextContent.Trim())));
    }

    [Fact]
    public async Task A_lines_units_are_grouped_as_its_quantity_is()
    {
        await SignInAsync();
        Workspace(WorkspaceRole.Administrator, Plan.Commercial);
        SummaryOfNovember();
        var line = new DailyBillLine
        {
            Item = BillingItem.TimeSeries, Quantity = 60_000_000, Units = "60000.00", UnitPrice = MoneyAmounts.FromDecimal(0.6m), PriceUnit = 1_000,
            Amount = MoneyAmounts.FromDecimal(36_000m),
        };
        Host.On<ListDailyBillsRequest, ListDailyBillsResponse>("SettlementService/ListDailyBills", r => new ListDailyBillsResponse
        {
            DailyBills =
            {
                r.Month == 11
                    ? [new DailyBill { Day = new BillingDay { Year = 2026, Month = 11, Day = 18 }, Total = line.Amount, Status = DailyBillStatus.Charged, Lines = { line } }]
                    : [],
            },
        });

        var page = Render<BillDetailsPage>(p => p.Add(x => x.WorkspaceId, WorkspaceId));
        page.WaitForElement("[data-testid=show-bill]").Click();

        var cells = page.WaitForElements("[data-testid=bill-lines] tbody tr")[0].QuerySelectorAll("td").Select(td => td.TextContent.Trim()).ToList();
        Assert.Equal("60,000,000", cells[1]);
        Assert.Equal("60,000.00", cells[2]);
    }

    private void SummaryOfNovember() =>
        Host.On<GetConsumptionSummaryRequest, GetConsumptionSummaryResponse>("SettlementService/GetConsumptionSummary", _ => new GetConsumptionSummaryResponse
        {
            Summary = new ConsumptionSummary
            {
                Today = new BillingDay { Year = 2026, Month = 11, Day = 20 },
                Yesterday = new BillingDay { Year = 2026, Month = 11, Day = 19 },
                YesterdayClosed = true,
                YesterdayAmount = MoneyAmounts.FromDecimal(0.10m),
                MonthToDateAmount = MoneyAmounts.FromDecimal(3.70m),
                TotalAmount = MoneyAmounts.FromDecimal(103.70m),
                Items = { new ItemConsumption { Item = BillingItem.TimeSeries, Total = MoneyAmounts.FromDecimal(103.70m) } },
            },
        });

    private static DailyBill Bill(int day, decimal amount) => new()
    {
        Day = new BillingDay { Year = 2026, Month = 11, Day = day },
        Total = MoneyAmounts.FromDecimal(amount),
        Status = DailyBillStatus.Charged,
        Lines =
        {
            new DailyBillLine
            {
                Item = BillingItem.TimeSeries, Quantity = 6_000, Units = "6.00", UnitPrice = MoneyAmounts.FromDecimal(0.6m), PriceUnit = 1_000,
                Amount = MoneyAmounts.FromDecimal(amount),
            },
        },
    };
}
