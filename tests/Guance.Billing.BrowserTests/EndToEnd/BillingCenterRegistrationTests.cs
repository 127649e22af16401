using Guance.Billing.V1;
using Microsoft.Playwright;

namespace Guance.Billing.BrowserTests.EndToEnd;

/// <summary>A person without a billing-center account makes one from the console, and it is a real one.</summary>
[Collection(ConsoleEndToEnd.Name)]
public sealed class BillingCenterRegistrationTests(ConsoleHost console)
{
    [Fact]
    public async Task A_person_creates_a_billing_center_account_from_its_sign_in_page_and_lands_on_its_empty_wallet()
    {
        var username = "acme" + Guid.NewGuid().ToString("N")[..8];
        await using var tab = await console.OpenAsync(nameof(A_person_creates_a_billing_center_account_from_its_sign_in_page_and_lands_on_its_empty_wallet));

        await tab.Page.GotoAsync("billing-center/signin");
        await tab.ByTestId("register-link").ClickAsync();
        await tab.Input("username").FillAsync(username);
        await tab.Input("display-name").FillAsync("Acme Ltd");
        await tab.Input("email").FillAsync($"{username}@example.com");
        await tab.Input("password").FillAsync(ConsoleHost.Password);
        await tab.Input("password-again").FillAsync(ConsoleHost.Password);
        await tab.ScreenshotAsync("register");
        await tab.ByTestId("register").ClickAsync();

        await tab.Page.WaitForURLAsync("**/billing-center/wallet");
        await Assertions.Expect(tab.ByTestId("billing-center-user")).ToContainTextAsync(username);
        await Assertions.Expect(tab.ByTestId("available")).ToContainTextAsync("0.00");
        await tab.ScreenshotAsync("wallet");
        // The account exists on the host and signs in with what was typed.
        var signIn = await console.Host.Api().BillingAccounts.SignInBillingAccountAsync(new SignInBillingAccountRequest { Username = username, Password = ConsoleHost.Password });
        Assert.Equal("Acme Ltd", signIn.BillingAccount.DisplayName);
        Assert.Empty(tab.Errors);
    }
}
