using System.Text;
using Bunit;
using Google.Protobuf;
using Grpc.Core;
using Guance.Billing.Client;
using Guance.Billing.Console.Pages.BillingCenter;
using Guance.Billing.V1;

namespace Guance.Billing.BrowserTests.Components;

/// <summary>Monthly bills (docs/domain.md §5): the list, a bill per workspace and item, and its CSV as the host exports it.</summary>
public sealed class MonthlyBillPagesTests : ConsoleContext
{
    public MonthlyBillPagesTests() => SignInBillingCenterAsync().GetAwaiter().GetResult();

    [Fact]
    public void The_list_pages_through_every_bill_and_links_each_month_to_its_detail()
    {
        Host.On<ListMonthlyBillsRequest, ListMonthlyBillsResponse>("MonthlyBillService/ListMonthlyBills", r => r.PageToken == ""
            ? new ListMonthlyBillsResponse { MonthlyBills = { Bill("mb_11", 11) }, NextPageToken = "next" }
            : new ListMonthlyBillsResponse { MonthlyBills = { Bill("mb_10", 10) } });

        var page = Render<MonthlyBillsPage>();

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=monthly-bill-link]").Count));
        var links = page.FindAll("[data-testid=monthly-bill-link]");
        Assert.Equal(("2026-11", "billing-center/monthly-bills/mb_11"), (links[0].TextContent.Trim(), links[0].GetAttribute("href")));
        Assert.Equal("2026-10", links[1].TextContent.Trim());
        Assert.Contains("CNY\u00A01,234.56", page.Find("[data-testid=monthly-bills] tbody tr").TextContent);
        // What paid the month, in one column: the sources that paid some of it, and only those.
        Assert.Equal(["Vouchers CNY\u00A034.56", "Cash CNY\u00A01,200.00"],
            page.Find("[data-testid=monthly-bills] tbody tr").QuerySelectorAll("[data-testid=paid-by]").Select(p => p.TextContent.Trim()));
        Assert.All(Host.CallsOf<ListMonthlyBillsRequest>("MonthlyBillService/ListMonthlyBills"), r => Assert.Equal(BillingAccountId, r.BillingAccountId));
    }

    [Theory]
    [InlineData(StatusCode.NotFound, "MONTHLY_BILL_NOT_FOUND")]
    [InlineData(StatusCode.InvalidArgument, "INVALID_ARGUMENT")]
    public void A_bill_of_another_account_or_a_mistyped_address_is_not_found_in_words(StatusCode code, string reason)
    {
        Host.On<GetMonthlyBillRequest, GetMonthlyBillResponse>("MonthlyBillService/GetMonthlyBill",
            _ => throw FakeHost.Failure(code, reason, "monthly bill 'mb_nope' was not found."));

        var page = Render<MonthlyBillPage>(p => p.Add(x => x.MonthlyBillId, "mb_nope"));

        Assert.Equal("This account has no monthly bill at this address: the list is under Monthly bills.", page.WaitForElement("[data-testid=not-found]").TextContent.Trim());
        Assert.DoesNotContain("mb_nope", page.Markup, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid=download-csv]"));
        Assert.Empty(Host.CallsOf<ExportMonthlyBillRequest>("MonthlyBillService/ExportMonthlyBill"));
    }

    [Fact]
    public void A_bill_shows_each_workspace_and_item_and_offers_the_hosts_csv_to_save()
    {
        var bill = Bill("mb_11", 11);
        bill.Workspaces.Add(new MonthlyBillWorkspace
        {
            WorkspaceId = "ws_prod", WorkspaceName = "Production", SiteCode = "cn1", Days = 30, Total = MoneyAmounts.FromDecimal(1234.56m),
            Items = { new MonthlyBillItem { Item = BillingItem.TimeSeries, Amount = MoneyAmounts.FromDecimal(1000m), Days = 30 }, new MonthlyBillItem { Item = BillingItem.Logs, Amount = MoneyAmounts.FromDecimal(234.56m), Days = 12 } },
        });
        Host.On<GetMonthlyBillRequest, GetMonthlyBillResponse>("MonthlyBillService/GetMonthlyBill", _ => new GetMonthlyBillResponse { MonthlyBill = bill })
            .OnStream<ExportMonthlyBillRequest, ExportMonthlyBillResponse>("MonthlyBillService/ExportMonthlyBill", _ =>
            [
                new ExportMonthlyBillResponse { Data = ByteString.CopyFromUtf8("workspace_id,day\n"), Rows = 1 },
                new ExportMonthlyBillResponse { Data = ByteString.CopyFromUtf8("ws_prod,2026-11-01\n"), Rows = 1 },
            ]);

        var downloads = Downloads();
        var page = Render<MonthlyBillPage>(p => p.Add(x => x.MonthlyBillId, "mb_11"));

        page.WaitForAssertion(() => Assert.Equal("CNY\u00A01,234.56", page.Find("[data-testid=bill-total]").TextContent.Trim()));
        var workspace = page.Find("[data-testid=bill-workspace]").TextContent;
        // Named as its owner knows it, the id beside the name.
        Assert.StartsWith("Production", page.Find("[data-testid=bill-workspace-name]").TextContent.Trim());
        // The name comes with the bill, also for a workspace bound elsewhere since: the bound workspaces are not read.
        Assert.Empty(Host.CallsOf<ListBoundWorkspacesRequest>("BillingAccountService/ListBoundWorkspaces"));
        Assert.Contains("ws_prod", workspace);
        Assert.Contains("Time series", workspace);
        Assert.Contains("CNY\u00A01,000.00", workspace);
        Assert.Contains("Logs", workspace);
        Assert.Contains("CNY\u00A0234.56", workspace);
        page.Find("[data-testid=download-csv]").Click();
        page.WaitForAssertion(() => Assert.Single(downloads.Invocations["saveFile"]));
        Assert.Equal(("monthly-bill-2026-11.csv", "text/csv;charset=utf-8", "workspace_id,day\nws_prod,2026-11-01\n"), SavedFile(downloads));
    }

    private static MonthlyBill Bill(string id, int month) => new()
    {
        MonthlyBillId = id, BillingAccountId = BillingAccountId, Year = 2026, Month = month, Total = MoneyAmounts.FromDecimal(1234.56m), WorkspaceCount = 1, DailyBills = 30,
        Payments = new MonthlyPayments
        {
            PaidByVouchers = MoneyAmounts.FromDecimal(34.56m), PaidByPrepaidCards = MoneyAmounts.FromDecimal(0m), PaidByCash = MoneyAmounts.FromDecimal(1200m),
            Arrears = MoneyAmounts.FromDecimal(0m), CloudAmount = MoneyAmounts.FromDecimal(0m),
        },
    };
}
