using Bunit;
using Guance.Billing.Client;
using Guance.Billing.Console.Pages.BillingCenter;
using Guance.Billing.V1;
using Microsoft.Extensions.DependencyInjection;

namespace Guance.Billing.BrowserTests.Components;

/// <summary>
/// Consumption details (docs/domain.md §8): the account's daily bills of a month across its workspaces as soon as each
/// day closes, what paid them, and a CSV of them all, before the monthly bill exists.
/// </summary>
public sealed class ConsumptionPageTests : ConsoleContext
{
    // 10:00 on 2026-12-07 in China.
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 2, 0, 0, TimeSpan.Zero);

    public ConsumptionPageTests()
    {
        Services.AddSingleton<TimeProvider>(new FixedTime(Now));
        SignInBillingCenterAsync().GetAwaiter().GetResult();
    }

    [Fact]
    public void The_months_bills_of_every_workspace_show_what_paid_them_and_export_every_page()
    {
        Host.On<ListDailyBillsRequest, ListDailyBillsResponse>("SettlementService/ListDailyBills", r => r.PageToken == ""
            ? new ListDailyBillsResponse { DailyBills = { Bill("db_1", "ws_01kprod", "Production", 5, cash: 12.34m, vouchers: 1m) }, NextPageToken = "p2", MonthTotal = MoneyAmounts.FromDecimal(21.84m) }
            // Staging was bound to another account since: its bill stays here and the host still names it.
            : new ListDailyBillsResponse { DailyBills = { Bill("db_2", "ws_01kstage", "Staging", 6, cash: 0m, arrears: 8.50m) }, MonthTotal = MoneyAmounts.FromDecimal(21.84m) });
        var downloads = Downloads();

        var page = Render<ConsumptionPage>();

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=daily-bills] tbody tr").Count));
        // The current month in China time, both pages of it, of this account.
        Assert.Equal([(2026, 12, ""), (2026, 12, "p2")],
            Host.CallsOf<ListDailyBillsRequest>("SettlementService/ListDailyBills").Select(r => (r.Year, r.Month, r.PageToken)));
        Assert.All(Host.CallsOf<ListDailyBillsRequest>("SettlementService/ListDailyBills"), r => Assert.Equal(BillingAccountId, r.BillingAccountId));
        Assert.Equal("2026-12: CNY\u00A021.84", page.Find("[data-testid=month-total]").TextContent.Trim());
        Assert.Contains("vouchers CNY\u00A01.00", page.Find("[data-testid=paid-by]").TextContent);
        Assert.Contains("cash CNY\u00A012.34", page.Find("[data-testid=paid-by]").TextContent);
        Assert.Contains("arrears CNY\u00A08.50", page.Find("[data-testid=paid-by]").TextContent);
        var first = page.FindAll("[data-testid=daily-bills] tbody tr")[0].TextContent;
        Assert.Contains("2026-12-05 (UTC+8)", first);
        Assert.Contains("Production", first);
        Assert.Contains("CNY\u00A013.34", first);
        Assert.Contains("Staging", page.FindAll("[data-testid=daily-bills] tbody tr")[1].TextContent);
        // The names come with the bills: the bound workspaces are not read.
        Assert.Empty(Host.CallsOf<ListBoundWorkspacesRequest>("BillingAccountService/ListBoundWorkspaces"));
        PhoneCards.AssertEveryCellNamed(page, "daily-bills");

        page.Find("[data-testid=export-csv]").Click();
        page.WaitForAssertion(() => Assert.Single(downloads.Invocations["saveFile"]));
        var (fileName, _, csv) = SavedFile(downloads);
        Assert.Equal("consumption-2026-12.csv", fileName);
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("day,site,workspace_id,workspace,settled_through,status,total,vouchers,prepaid_cards,cash,arrears,cloud,currency,daily_bill_id", lines[0]);
        Assert.Equal("2026-12-05,cn1,ws_01kprod,Production,Billing-center account,Charged,13.34,1.00,0.00,12.34,0.00,0.00,CNY,db_1", lines[1]);
        Assert.Equal("2026-12-06,cn1,ws_01kstage,Staging,Billing-center account,Charged,8.50,0.00,0.00,0.00,8.50,0.00,CNY,db_2", lines[2]);
        Assert.Equal(3, lines.Length);
    }

    [Fact]
    public void Another_month_is_read_when_chosen_and_an_empty_one_says_so()
    {
        Host.On<ListDailyBillsRequest, ListDailyBillsResponse>("SettlementService/ListDailyBills", _ => new ListDailyBillsResponse());

        var page = Render<ConsumptionPage>();

        page.WaitForAssertion(() => Assert.Equal("No daily bill in this month yet.", page.Find("[data-testid=no-bills]").TextContent.Trim()));
        Assert.Equal("2026-12: CNY\u00A00.00", page.Find("[data-testid=month-total]").TextContent.Trim());
        page.FindComponent<MudBlazor.MudSelect<DateOnly>>().InvokeAsync(() =>
            page.FindComponent<MudBlazor.MudSelect<DateOnly>>().Instance.ValueChanged.InvokeAsync(new DateOnly(2026, 11, 1)));
        page.WaitForAssertion(() => Assert.Equal([(2026, 12), (2026, 11)],
            Host.CallsOf<ListDailyBillsRequest>("SettlementService/ListDailyBills").Select(r => (r.Year, r.Month))));
        page.WaitForAssertion(() => Assert.Equal("2026-11: CNY\u00A00.00", page.Find("[data-testid=month-total]").TextContent.Trim()));
    }

    private static DailyBill Bill(string id, string workspaceId, string workspaceName, int day, decimal cash, decimal vouchers = 0m, decimal arrears = 0m) => new()
    {
        DailyBillId = id, WorkspaceId = workspaceId, WorkspaceName = workspaceName, BillingAccountId = BillingAccountId, SiteCode = "cn1",
        Day = new BillingDay { Year = 2026, Month = 12, Day = day }, Status = DailyBillStatus.Charged, Method = SettlementMethod.BillingCenter,
        Total = MoneyAmounts.FromDecimal(cash + vouchers + arrears), PaidByCash = MoneyAmounts.FromDecimal(cash), PaidByVouchers = MoneyAmounts.FromDecimal(vouchers),
        PaidByPrepaidCards = MoneyAmounts.FromDecimal(0m), Arrears = MoneyAmounts.FromDecimal(arrears), CloudAmount = MoneyAmounts.FromDecimal(0m),
    };
}
