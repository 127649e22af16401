using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using Guance.Billing.Client;
using Guance.Billing.V1;
using Microsoft.Playwright;

namespace Guance.Billing.BrowserTests.EndToEnd;

/// <summary>
/// An Owner's first day, in a real browser against the real host: sign up, create a workspace, see
/// the usage that its agent reports in the statistics and the chart, upgrade with a binding code
/// (a wrong one first), and after the day closes find the bill with its lines.
/// </summary>
[Collection(ConsoleEndToEnd.Name)]
public sealed class OwnerJourneyTests(ConsoleHost console)
{
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    [Fact]
    public async Task An_owner_signs_up_sees_usage_upgrades_and_finds_the_days_bill()
    {
        await using var tab = await console.OpenAsync(nameof(An_owner_signs_up_sees_usage_upgrades_and_finds_the_days_bill));
        var page = tab.Page;
        var email = $"ann.{Guid.NewGuid():N}@example.com";

        // Opening the console signed out leads to sign-in; from there, an account and a workspace.
        await page.GotoAsync("");
        await page.WaitForURLAsync("**/signin");
        await tab.ScreenshotAsync("sign-in");
        await page.GetByText("Create an account").ClickAsync();
        await tab.Input("email").FillAsync(email);
        await tab.Input("display-name").FillAsync("Ann");
        await tab.Input("password").FillAsync(ConsoleHost.Password);
        await page.Locator("[data-testid=sign-up]").ClickAsync();
        await page.WaitForURLAsync("**/workspaces/new");
        await tab.Input("workspace-name").FillAsync("Production");
        await tab.ScreenshotAsync("create-workspace");
        await page.Locator("[data-testid=create-workspace]").ClickAsync();
        await page.WaitForURLAsync("**/workspaces/*/billing");
        var workspaceId = page.Url.Split('/')[^2];
        await Assertions.Expect(page.Locator("[data-testid=action]")).ToHaveTextAsync("Upgrade");
        await tab.ScreenshotAsync("overview-experience");

        // The workspace's agent reports through the API.
        var owner = (await console.Host.Api().Identity.SignInAsync(new SignInRequest { Email = email, Password = ConsoleHost.Password })).Token;
        var collector = (await console.Host.Api(owner).Workspaces.CreateCollectorTokenAsync(new CreateCollectorTokenRequest { WorkspaceId = workspaceId, DisplayName = "hosts" })).Token;
        var now = await console.NowAsync();
        await ReportAsync(collector, 1, now, (BillingItem.TimeSeries, 1_200), (BillingItem.Logs, 5_000));

        await page.GetByText("Usage statistics").ClickAsync();
        var timeSeries = page.Locator($"[data-testid=usage-statistics] tr[data-item={BillingItem.TimeSeries}]");
        await Assertions.Expect(timeSeries.Locator("[data-testid=today]")).ToHaveTextAsync("1,200");
        await Assertions.Expect(timeSeries.Locator("[data-testid=quota]")).ToHaveTextAsync("1,800 of 3,000 left");
        await tab.ScreenshotAsync("usage-statistics");

        await page.GetByText("Usage analysis").ClickAsync();
        var chart = page.Locator("[data-testid=usage-chart]");
        // Time series is a stock: its hours are levels, so the chart gives their peak, not a sum.
        await Assertions.Expect(chart.Locator("[data-testid=headline]")).ToContainTextAsync("Time series, per hour (UTC+8): peak 1,200");
        Assert.True(await chart.Locator("svg path").CountAsync() > 0, "the chart drew nothing");
        // The quantity axis groups digits, as every figure of the console does.
        var axis = await chart.Locator("svg text").AllTextContentsAsync();
        Assert.Contains(axis, label => System.Text.RegularExpressions.Regex.IsMatch(label.Trim(), @"^\d{1,3}(,\d{3})+$"));
        Assert.DoesNotContain(axis, label => System.Text.RegularExpressions.Regex.IsMatch(label.Trim(), @"^\d{4,}$"));
        await tab.ScreenshotAsync("usage-analysis");

        // A billing account gives its consent with a binding code; the Owner mistypes it first.
        var (accountId, session) = await BillingAccountAsync();
        var code = (await console.Host.Api(session).BillingAccounts.CreateBindingCodeAsync(new CreateBindingCodeRequest { BillingAccountId = accountId })).BindingCode;
        await page.GetByText("Billing overview").ClickAsync();
        await page.Locator("[data-testid=action]").ClickAsync();
        await tab.Input("binding-code").FillAsync("NOPE");
        await page.Locator("[data-testid=upgrade]").ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Upgrade it" }).ClickAsync();
        var fieldError = page.Locator(".mud-input-helper-text.mud-input-error");
        await Assertions.Expect(fieldError).ToBeVisibleAsync();
        Assert.DoesNotMatch("[A-Z]{3,}_[A-Z_]+", await fieldError.InnerTextAsync());
        await tab.ScreenshotAsync("upgrade-refused");
        await tab.Input("binding-code").FillAsync(code);
        await page.Locator("[data-testid=upgrade]").ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Upgrade it" }).ClickAsync();
        await page.WaitForURLAsync($"**/workspaces/{workspaceId}/billing");
        await Assertions.Expect(page.Locator("[data-testid=action]")).ToHaveTextAsync(["Recharge", "Billing center", "Settlement method", "Change binding"]);
        await Assertions.Expect(page.Locator("[data-testid=account-name]")).ToHaveTextAsync("Acme Finance");
        await tab.ScreenshotAsync("overview-commercial");

        // Commercial usage, then the day closes (after the site's midnight and the late grace).
        var upgraded = (await console.NowAsync()).AddMinutes(10);
        await console.AdvanceToAsync(upgraded);
        await ReportAsync(collector, 2, upgraded, (BillingItem.TimeSeries, 6_000));
        var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(upgraded, Shanghai).DateTime);
        var nextMidnight = new DateTimeOffset(day.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.FromHours(8));
        await console.AdvanceToAsync(nextMidnight.AddHours(2));
        await console.Host.Operator.Settlement.CloseDayAsync(new CloseDayRequest { SiteCode = "cn1", Day = new BillingDay { Year = day.Year, Month = day.Month, Day = day.Day } });
        var bill = (await console.Host.Api(owner).Settlement.ListDailyBillsAsync(new ListDailyBillsRequest { WorkspaceId = workspaceId, Year = day.Year, Month = day.Month })).DailyBills.Single();

        await page.GetByText("Bill details").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=total]")).ToHaveTextAsync("CNY " + bill.Total.ToDecimal().ToString("#,##0.00", CultureInfo.InvariantCulture));
        await page.Locator("[data-testid=show-bill]").ClickAsync();
        var line = page.Locator("[data-testid=bill-lines] tbody tr").First;
        await Assertions.Expect(line).ToContainTextAsync("Time series");
        await Assertions.Expect(line).ToContainTextAsync("6,000");
        await Assertions.Expect(line).ToContainTextAsync("CNY " + bill.Lines.Single().Amount.ToDecimal().ToString("#,##0.00", CultureInfo.InvariantCulture));
        await tab.ScreenshotAsync("bill-details");

        // Thresholds: the Owner sets one; a bad amount is explained next to the field.
        await page.GetByText("High-consumption alerts").ClickAsync();
        await tab.Input("threshold").FillAsync("-5");
        await page.Locator("[data-testid=set-alert]").ClickAsync();
        await Assertions.Expect(page.Locator(".mud-input-helper-text.mud-input-error")).ToBeVisibleAsync();
        await tab.Input("threshold").FillAsync("50");
        await page.Locator("[data-testid=set-alert]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=alerts] tbody")).ToContainTextAsync("CNY 50.00");
        await tab.ScreenshotAsync("alerts");

        Assert.Empty(tab.Errors);
    }

    private async Task ReportAsync(string collectorToken, long sequence, DateTimeOffset at, params (BillingItem Item, long Quantity)[] records)
    {
        var request = new ReportUsageRequest { CollectorId = "console-e2e", Sequence = sequence };
        request.Records.AddRange(records.Select(r => new UsageRecord { Item = r.Item, Quantity = r.Quantity, ObservedAt = Timestamp.FromDateTimeOffset(at) }));
        await console.Host.Api(collectorToken).Usage.ReportUsageAsync(request);
    }

    private async Task<(string AccountId, string Session)> BillingAccountAsync()
    {
        var username = $"acme-{Guid.NewGuid():N}"[..20];
        var registered = await console.Host.Api().BillingAccounts.RegisterBillingAccountAsync(new RegisterBillingAccountRequest
        {
            Username = username, Password = ConsoleHost.Password, Email = $"{username}@example.com", DisplayName = "Acme Finance",
        });
        return (registered.BillingAccount.BillingAccountId, registered.Token);
    }
}
