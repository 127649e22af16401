using System.Security.Cryptography;
using System.Text;
using Google.Protobuf.WellKnownTypes;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.IntegrationTests.Webhooks;
using Guance.Billing.V1;
using Microsoft.Playwright;

namespace Guance.Billing.BrowserTests.EndToEnd;

/// <summary>
/// A billing-center account, in a real browser against the real host, chooses the language of its notices and
/// adds a webhook endpoint (a receiver on loopback); the secret the page shows once is the one that signs the
/// notice the host then POSTs, whose delivery the page lists and sends again. Screenshots at 1366 and 390 px wide.
/// </summary>
[Collection(ConsoleEndToEnd.Name)]
public sealed class NotificationsJourneyTests(ConsoleHost console)
{
    [Fact]
    public async Task A_billing_center_account_sets_its_language_adds_a_webhook_sees_its_secret_once_and_its_delivery()
    {
        var host = console.Host;
        await using var receiver = await WebhookReceiver.StartAsync();
        var username = $"hooks{Guid.NewGuid():N}"[..16];
        var account = (await host.Api().BillingAccounts.RegisterBillingAccountAsync(new RegisterBillingAccountRequest
        {
            Username = username, Password = ConsoleHost.Password, Email = $"{username}@example.com", DisplayName = "Acme Hooks",
        })).BillingAccount;
        await using var tab = await console.OpenAsync(nameof(A_billing_center_account_sets_its_language_adds_a_webhook_sees_its_secret_once_and_its_delivery), width: 1366);
        await tab.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);
        var page = tab.Page;

        await page.GotoAsync("billing-center/wallet");
        await page.WaitForURLAsync("**/billing-center/signin?return=*");
        await tab.Input("username").FillAsync(username);
        await tab.Input("password").FillAsync(ConsoleHost.Password);
        await page.Locator("[data-testid=sign-in]").ClickAsync();
        await page.Locator("[data-testid=billing-center-menu]").GetByText("Notifications").ClickAsync();
        await page.WaitForURLAsync("**/billing-center/notifications");

        // The language: English for every notice, saved on the host.
        await page.Locator("input[data-testid=language-en]").CheckAsync();
        await tab.ByTestId("save-language").ClickAsync();
        await Assertions.Expect(tab.ByTestId("language-saved")).ToContainTextAsync("English");
        var stored = await host.Operator.BillingAccounts.GetBillingAccountAsync(new GetBillingAccountRequest { BillingAccountId = account.BillingAccountId });
        Assert.Equal("en", stored.BillingAccount.Language);

        // An endpoint for arrears only; its secret is shown once, copied, and the endpoint listed.
        await tab.Input("webhook-url").FillAsync(receiver.Url("acme"));
        await page.Locator("[data-testid=webhook-kinds] label", new() { HasText = "Arrears started" }).ClickAsync();
        await tab.Input("webhook-description").FillAsync("Finance alerts");
        await tab.ScreenshotAsync("add-endpoint");
        await tab.ByTestId("save-webhook").ClickAsync();
        var secret = await tab.ByTestId("webhook-secret").InnerTextAsync();
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        await Assertions.Expect(tab.ByTestId("webhook-secret-notice")).ToContainTextAsync("will not be shown again");
        await tab.ByTestId("copy-secret").ClickAsync();
        await Assertions.Expect(tab.ByTestId("copy-outcome")).ToHaveTextAsync("Copied.");
        Assert.Equal(secret, await page.EvaluateAsync<string>("() => navigator.clipboard.readText()"));
        var endpoint = tab.ByTestId("webhook-endpoint");
        await Assertions.Expect(endpoint).ToContainTextAsync(receiver.Url("acme"));
        await Assertions.Expect(endpoint).ToContainTextAsync("Arrears started");
        await tab.ScreenshotAsync("secret-shown-once");

        // A charge the empty wallet cannot pay starts arrears: the notice is POSTed, signed with that secret.
        await host.Operator.BillingAccounts.ChargeAsync(BillingCenterScenario.Charge(account.BillingAccountId, ("logs", 7.5m)));
        await host.Operator.Settlement.AdvanceClockAsync(new AdvanceClockRequest { Duration = Duration.FromTimeSpan(TimeSpan.FromMinutes(1)) });
        var posted = Assert.Single(receiver.At("acme"));
        Assert.Contains(posted.Signature.Split(' '), s => s == "v1," + Sign(secret, posted));

        // The deliveries: the notice sent with its attempt; sent again, a second attempt.
        await endpoint.Locator("[data-testid=webhook-deliveries]").ClickAsync();
        var delivery = tab.ByTestId("webhook-delivery").First;
        await Assertions.Expect(delivery.Locator("[data-testid=delivery-kind]")).ToHaveTextAsync("Arrears started");
        await Assertions.Expect(delivery.Locator("[data-testid=delivery-state]")).ToHaveTextAsync("Sent");
        await Assertions.Expect(delivery.Locator("[data-testid=delivery-attempts]")).ToContainTextAsync("HTTP 200, accepted");
        await tab.ScreenshotAsync("deliveries");
        await delivery.Locator("[data-testid=retry-delivery]").ClickAsync();
        await Assertions.Expect(tab.ByTestId("retry-queued")).ToBeVisibleAsync();
        await host.Operator.Settlement.AdvanceClockAsync(new AdvanceClockRequest { Duration = Duration.FromTimeSpan(TimeSpan.FromMinutes(1)) });
        await tab.ByTestId("reload-deliveries").ClickAsync();
        await Assertions.Expect(delivery.Locator("[data-testid=delivery-attempts]")).ToContainTextAsync("#2");
        Assert.Equal(2, receiver.At("acme").Count);
        await tab.ScreenshotAsync("deliveries-sent-again");

        // Back on the page, the endpoint is listed and its secret is not shown again.
        await tab.ByTestId("back-to-notifications").ClickAsync();
        await Assertions.Expect(tab.ByTestId("webhook-endpoint")).ToContainTextAsync("Finance alerts");
        await Assertions.Expect(tab.ByTestId("webhook-secret")).ToHaveCountAsync(0);
        await tab.ScreenshotAsync("listed");
        Assert.Empty(tab.Errors);

        // The same on a phone's screen (390 px): a second endpoint, every notice, and the first one's deliveries.
        await using var phone = await console.OpenAsync(nameof(A_billing_center_account_sets_its_language_adds_a_webhook_sees_its_secret_once_and_its_delivery) + "-phone", width: 390, height: 844);
        await phone.Page.GotoAsync("billing-center/notifications");
        await phone.Page.WaitForURLAsync("**/billing-center/signin?return=*");
        await phone.Input("username").FillAsync(username);
        await phone.Input("password").FillAsync(ConsoleHost.Password);
        await phone.Page.Locator("[data-testid=sign-in]").ClickAsync();
        await phone.Input("webhook-url").FillAsync(receiver.Url("everything"));
        await phone.ByTestId("save-webhook").ClickAsync();
        await phone.ByTestId("webhook-secret-notice").ScrollIntoViewIfNeededAsync();
        await phone.ScreenshotAsync("secret-shown-once", fullPage: false);
        await Assertions.Expect(phone.ByTestId("webhook-endpoint")).ToHaveCountAsync(2);
        await phone.ByTestId("webhook-endpoint").Last.ScrollIntoViewIfNeededAsync();
        await phone.ScreenshotAsync("listed", fullPage: false);
        Assert.Equal(390, await phone.Page.EvaluateAsync<int>("() => document.documentElement.scrollWidth"));
        await phone.ByTestId("webhook-endpoint").First.Locator("[data-testid=webhook-deliveries]").ClickAsync();
        await Assertions.Expect(phone.ByTestId("webhook-delivery")).ToHaveCountAsync(1);
        await phone.ScreenshotAsync("deliveries", fullPage: false);
        Assert.Empty(phone.Errors);
    }

    /// <summary>Standard Webhooks: base64 HMAC-SHA256 of "{id}.{timestamp}.{body}", keyed with the bytes after "whsec_".</summary>
    private static string Sign(string secret, ReceivedWebhook posted) =>
        Convert.ToBase64String(HMACSHA256.HashData(Convert.FromBase64String(secret["whsec_".Length..]), Encoding.UTF8.GetBytes($"{posted.Id}.{posted.Timestamp}.{posted.Body}")));
}
