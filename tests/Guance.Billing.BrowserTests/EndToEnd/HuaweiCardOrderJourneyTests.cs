using Guance.Billing.V1;
using Microsoft.Playwright;

namespace Guance.Billing.BrowserTests.EndToEnd;

/// <summary>
/// A billing-center account redeems a Huawei Cloud stored-value card in a real browser against the real host
/// (docs/domain.md §8): submits the order, sees it waiting for Huawei Cloud; the marketplace integration
/// (operator) confirms it, and the page shows the order confirmed and the card it became, by its face value.
/// </summary>
[Collection(ConsoleEndToEnd.Name)]
public sealed class HuaweiCardOrderJourneyTests(ConsoleHost console)
{
    [Theory]
    [InlineData(1366, 900)]
    [InlineData(390, 844)]
    public async Task A_submitted_order_is_listed_as_waiting_and_once_confirmed_shows_its_card(int width, int height)
    {
        var host = console.Host;
        var username = $"hw{Guid.NewGuid():N}"[..16];
        await host.Api().BillingAccounts.RegisterBillingAccountAsync(new RegisterBillingAccountRequest
        {
            Username = username, Password = ConsoleHost.Password, Email = $"{username}@example.com", DisplayName = "Acme Finance",
        });
        var orderNumber = $"CS{Guid.NewGuid():N}"[..20].ToUpperInvariant();
        var testName = $"{nameof(A_submitted_order_is_listed_as_waiting_and_once_confirmed_shows_its_card)}-{width}";
        await using var tab = await console.OpenAsync(testName, width, height);
        var page = tab.Page;
        await page.GotoAsync("billing-center/prepaid-cards");
        await page.WaitForURLAsync("**/billing-center/signin?return=*");
        await tab.Input("username").FillAsync(username);
        await tab.Input("password").FillAsync(ConsoleHost.Password);
        await page.Locator("[data-testid=sign-in]").ClickAsync();
        await page.WaitForURLAsync("**/billing-center/prepaid-cards");

        // A malformed account id is refused next to its field; then the order goes through.
        await tab.Input("huawei-account-id").FillAsync("hw acme");
        await tab.Input("order-number").FillAsync(orderNumber);
        await tab.ByTestId("submit-huawei-order").ClickAsync();
        await Assertions.Expect(page.Locator(".mud-input-helper-text.mud-input-error")).ToContainTextAsync("A-Z, a-z, 0-9");
        await tab.Input("huawei-account-id").FillAsync("hw-acme");
        await tab.ByTestId("submit-huawei-order").ClickAsync();
        await Assertions.Expect(tab.ByTestId("huawei-order-submitted")).ToContainTextAsync(orderNumber);
        var row = page.Locator("[data-testid=huawei-orders] tbody tr", new() { HasText = orderNumber });
        await Assertions.Expect(row.Locator("[data-testid=huawei-order-state]")).ToHaveTextAsync("Waiting for Huawei Cloud to confirm");
        await Assertions.Expect(row).ToContainTextAsync("UTC+8");
        await tab.ScreenshotAsync("order-waiting");

        // The same order number again is explained, not submitted twice.
        await tab.Input("order-number").FillAsync(orderNumber);
        await tab.ByTestId("submit-huawei-order").ClickAsync();
        await Assertions.Expect(page.Locator(".mud-input-helper-text.mud-input-error")).ToContainTextAsync("submitted already");
        await Assertions.Expect(page.Locator("[data-testid=huawei-orders] tbody tr")).ToHaveCountAsync(1);

        // The marketplace confirms 5 units: a card of CNY 500.00.
        await host.Operator.CloudMarketplace.ConfirmHuaweiCardOrderAsync(new ConfirmHuaweiCardOrderRequest { OrderNumber = orderNumber, Units = 5 });
        await page.ReloadAsync();
        await Assertions.Expect(row.Locator("[data-testid=huawei-order-state]")).ToContainTextAsync("Confirmed");
        await Assertions.Expect(row.Locator("[data-testid=huawei-order-state]")).ToContainTextAsync("Prepaid card of CNY 500.00");
        await Assertions.Expect(tab.ByTestId("card-name")).ToHaveTextAsync("Prepaid card of CNY 500.00");
        await Assertions.Expect(page.Locator("[data-testid=prepaid-cards] tbody tr")).ToContainTextAsync("Huawei Cloud");
        await tab.ScreenshotAsync("order-confirmed");

        // The card's purchase in income and expenditure, in words.
        await page.GotoAsync("billing-center/transactions");
        await Assertions.Expect(page.Locator("[data-testid=transactions] tbody tr").First).ToContainTextAsync($"Huawei Cloud order {orderNumber}");
        await tab.ScreenshotAsync("income-and-expenditure");
        Assert.Empty(tab.Errors);
    }
}
