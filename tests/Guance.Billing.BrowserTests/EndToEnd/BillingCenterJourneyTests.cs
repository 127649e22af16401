using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using Guance.Billing.Client;
using Guance.Billing.V1;
using Microsoft.Playwright;

namespace Guance.Billing.BrowserTests.EndToEnd;

/// <summary>
/// A billing-center user's month, in a real browser against the real host: signs in with the
/// billing-center user name, sees the cash and the income entry of a recharge an operator confirmed,
/// redeems a voucher code, and once the month is over (simulated clock) opens the monthly bill of the
/// workspace it pays for and saves its CSV.
/// </summary>
[Collection(ConsoleEndToEnd.Name)]
public sealed class BillingCenterJourneyTests(ConsoleHost console)
{
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    [Fact]
    public async Task A_billing_center_user_sees_a_recharge_redeems_a_voucher_and_downloads_the_monthly_bill()
    {
        var host = console.Host;
        var username = $"acme{Guid.NewGuid():N}"[..16];
        var account = (await host.Api().BillingAccounts.RegisterBillingAccountAsync(new RegisterBillingAccountRequest
        {
            Username = username, Password = ConsoleHost.Password, Email = $"{username}@example.com", DisplayName = "Acme Finance",
        })).BillingAccount;
        var (workspaceId, collector) = await PaidWorkspaceAsync(username);

        // Opening a billing-center page signed out leads to its own sign-in, then back to that page.
        await using var tab = await console.OpenAsync(nameof(A_billing_center_user_sees_a_recharge_redeems_a_voucher_and_downloads_the_monthly_bill));
        var page = tab.Page;
        await page.GotoAsync("billing-center/transactions");
        await page.WaitForURLAsync("**/billing-center/signin?return=*");
        await tab.Input("username").FillAsync(username);
        await tab.Input("password").FillAsync("wrong password");
        await page.Locator("[data-testid=sign-in]").ClickAsync();
        await Assertions.Expect(tab.ByTestId("error")).ToBeVisibleAsync();
        await tab.ScreenshotAsync("billing-center-sign-in-refused");
        await tab.Input("password").FillAsync(ConsoleHost.Password);
        await page.Locator("[data-testid=sign-in]").ClickAsync();
        await page.WaitForURLAsync("**/billing-center/transactions");
        await Assertions.Expect(tab.ByTestId("billing-center-user")).ToContainTextAsync(username);

        // An operator confirms a bank transfer through the API: the income entry and the cash appear.
        await host.Operator.BillingAccounts.RechargeAsync(new RechargeRequest
        {
            BillingAccountId = account.BillingAccountId, Amount = MoneyAmounts.FromDecimal(500m), RequestId = Guid.NewGuid().ToString(),
            PaymentMethod = PaymentMethod.BankTransfer, PaymentReference = "TRANSFER-1",
        });
        await page.Locator("[data-testid=search]").ClickAsync();
        var entry = page.Locator("[data-testid=transactions] tbody tr").First;
        await Assertions.Expect(entry).ToContainTextAsync("Recharge");
        await Assertions.Expect(entry).ToContainTextAsync("CNY +500.00");
        await AssertTableFitsAsync(page, "transactions");
        await tab.ScreenshotAsync("income-and-expenditure");
        await page.Locator("[data-testid=billing-center-menu]").GetByText("Wallet").ClickAsync();
        await Assertions.Expect(tab.ByTestId("cash")).ToHaveTextAsync("CNY 500.00");
        await tab.ScreenshotAsync("wallet");

        // A voucher code handed out by an operator, redeemed in the page (a wrong code first).
        var now = await console.NowAsync();
        var code = $"WELCOME-{Guid.NewGuid():N}"[..20].ToUpperInvariant();
        await host.Operator.BillingAccounts.IssueVoucherAsync(new IssueVoucherRequest
        {
            Kind = VoucherKind.Ordinary, Amount = MoneyAmounts.FromDecimal(50m), ActivationCode = code,
            ExpireTime = Timestamp.FromDateTimeOffset(now.AddDays(90)), RequestId = Guid.NewGuid().ToString(),
        });
        await page.Locator("[data-testid=billing-center-menu]").GetByText("Vouchers").ClickAsync();
        await tab.Input("activation-code").FillAsync("NO-SUCH-CODE-1");
        await page.Locator("[data-testid=redeem]").ClickAsync();
        await Assertions.Expect(page.Locator(".mud-input-helper-text.mud-input-error")).ToBeVisibleAsync();
        Assert.DoesNotMatch("[A-Z]{3,}_[A-Z_]+", await page.Locator(".mud-input-helper-text.mud-input-error").InnerTextAsync());
        await tab.Input("activation-code").FillAsync(code);
        await page.Locator("[data-testid=redeem]").ClickAsync();
        await Assertions.Expect(tab.ByTestId("redeemed")).ToContainTextAsync("CNY 50.00");
        await Assertions.Expect(page.Locator("[data-testid=vouchers] tbody tr").First).ToContainTextAsync("Usable");
        await tab.ScreenshotAsync("vouchers");

        // The workspace uses the commercial plan; the month ends, its days close and its bill is made.
        var used = (await console.NowAsync()).AddMinutes(5);
        await console.AdvanceToAsync(used);
        var request = new ReportUsageRequest { CollectorId = "billing-center-e2e", Sequence = 1 };
        request.Records.Add(new UsageRecord { Item = BillingItem.TimeSeries, Quantity = 6_000, ObservedAt = Timestamp.FromDateTimeOffset(used) });
        await host.Api(collector).Usage.ReportUsageAsync(request);
        var month = TimeZoneInfo.ConvertTime(used, Shanghai);
        var third = new DateTimeOffset(month.Year, month.Month, 1, 9, 30, 0, TimeSpan.FromHours(8)).AddMonths(1).AddDays(2);
        await console.AdvanceToAsync(third);
        var generated = await host.Operator.MonthlyBills.GenerateMonthlyBillsAsync(new GenerateMonthlyBillsRequest { Year = month.Year, Month = month.Month });
        var bills = (await host.Operator.MonthlyBills.ListMonthlyBillsAsync(new ListMonthlyBillsRequest { BillingAccountId = account.BillingAccountId })).MonthlyBills;
        Assert.True(bills.Count == 1, $"no monthly bill of {month:yyyy-MM} at {await console.NowAsync():O}: {generated}");
        var bill = bills[0];
        Assert.True(bill.Total.ToDecimal() > 0, "the month's usage was not billed");

        // A month later the 12-hour billing-center session has expired: back to its sign-in, with a message, then to the page.
        await page.Locator("[data-testid=billing-center-menu]").GetByText("Monthly bills").ClickAsync();
        await page.WaitForURLAsync("**/billing-center/signin?return=billing-center%2Fmonthly-bills");
        await Assertions.Expect(tab.ByTestId("sign-in-message")).ToContainTextAsync("expired");
        await tab.Input("username").FillAsync(username);
        await tab.Input("password").FillAsync(ConsoleHost.Password);
        await page.Locator("[data-testid=sign-in]").ClickAsync();
        // Signing in again returns to the page the person was on.
        await page.WaitForURLAsync("**/billing-center/monthly-bills");
        var monthText = month.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        var link = page.Locator("[data-testid=monthly-bill-link]", new() { HasText = monthText });
        await link.WaitForAsync();
        await AssertTableFitsAsync(page, "monthly-bills");
        await tab.ScreenshotAsync("monthly-bills");
        await link.ClickAsync();
        await Assertions.Expect(tab.ByTestId("bill-total")).ToHaveTextAsync("CNY " + bill.Total.ToDecimal().ToString("#,##0.00", CultureInfo.InvariantCulture));
        await Assertions.Expect(tab.ByTestId("bill-workspace")).ToContainTextAsync(workspaceId);
        await Assertions.Expect(tab.ByTestId("bill-workspace")).ToContainTextAsync("Time series");
        await tab.ScreenshotAsync("monthly-bill");
        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("[data-testid=download-csv]").ClickAsync());
        Assert.Equal($"monthly-bill-{monthText}.csv", download.SuggestedFilename);
        var saved = Path.Combine(ConsolePage.ScreenshotDirectory, nameof(A_billing_center_user_sees_a_recharge_redeems_a_voucher_and_downloads_the_monthly_bill), download.SuggestedFilename);
        await download.SaveAsAsync(saved);
        var csv = await File.ReadAllLinesAsync(saved);
        Assert.Contains(csv.Skip(1), line => line.StartsWith(workspaceId + ",", StringComparison.Ordinal));

        // Signing out ends the billing-center session only there.
        await page.Locator("[data-testid=billing-center-sign-out]").ClickAsync();
        await page.WaitForURLAsync("**/billing-center/signin");
        // The browser logs the refused calls of the expired session (HTTP status of the gRPC-Web response) itself; nothing else may fail.
        Assert.All(tab.Errors, e => Assert.StartsWith("Failed to load resource: the server responded with a status of", e, StringComparison.Ordinal));
        Assert.True(tab.Errors.Count <= 2, string.Join("\n", tab.Errors));
    }

    /// <summary>A commercial workspace on cn1 bound to the account (its Owner upgrades it with the account's binding code); returns it and its collector token.</summary>
    private async Task<(string WorkspaceId, string Collector)> PaidWorkspaceAsync(string username)
    {
        var host = console.Host;
        var (_, owner) = await console.SignUpAsync("payer-owner");
        var workspace = (await host.Api(owner).Workspaces.CreateWorkspaceAsync(new CreateWorkspaceRequest
        {
            Name = "Production", SiteCode = "cn1", ActivationChannel = ActivationChannel.OfficialWebsite,
        })).Workspace;
        var session = (await host.Api().BillingAccounts.SignInBillingAccountAsync(new SignInBillingAccountRequest { Username = username, Password = ConsoleHost.Password }));
        var code = (await host.Api(session.Token).BillingAccounts.CreateBindingCodeAsync(new CreateBindingCodeRequest { BillingAccountId = session.BillingAccount.BillingAccountId })).BindingCode;
        await host.Api(owner).Settlement.UpgradeToCommercialAsync(new UpgradeToCommercialRequest { WorkspaceId = workspace.WorkspaceId, BindingCode = code });
        var collector = (await host.Api(owner).Workspaces.CreateCollectorTokenAsync(new CreateCollectorTokenRequest { WorkspaceId = workspace.WorkspaceId, DisplayName = "hosts" })).Token;
        return (workspace.WorkspaceId, collector);
    }

    /// <summary>Beside the menu, at 1,280 px, the table fits: it does not scroll sideways inside itself.</summary>
    private static async Task AssertTableFitsAsync(IPage page, string testId)
    {
        var table = page.Locator($"[data-testid={testId}] .mud-table-container");
        var (scroll, client) = (await table.EvaluateAsync<int>("t => t.scrollWidth"), await table.EvaluateAsync<int>("t => t.clientWidth"));
        Assert.True(scroll <= client, $"the {testId} table scrolls sideways: {scroll} px in {client}");
    }
}
