using Microsoft.Playwright;

namespace Guance.Billing.BrowserTests.EndToEnd;

/// <summary>The token in the browser: session storage only, revoked at sign-out, and an expired one returns to sign-in.</summary>
[Collection(ConsoleEndToEnd.Name)]
public sealed class SessionTests(ConsoleHost console)
{
    private const string SessionKey = "guance.console.session";

    [Fact]
    public async Task The_token_stays_in_session_storage_and_signing_out_revokes_it()
    {
        var (email, _) = await console.SignUpAsync("sam");
        await using var tab = await console.OpenAsync(nameof(The_token_stays_in_session_storage_and_signing_out_revokes_it));

        await tab.SignInAsync(email, ConsoleHost.Password);

        var stored = await tab.Page.EvaluateAsync<string?>($"sessionStorage.getItem('{SessionKey}')");
        var token = System.Text.Json.JsonDocument.Parse(stored!).RootElement.GetProperty("Token").GetString()!;
        Assert.Empty(await tab.Context.CookiesAsync());
        Assert.DoesNotContain(token, tab.Page.Url);
        Assert.True(await console.AcceptsAsync(token));

        await tab.ByTestId("sign-out").ClickAsync();

        await tab.Page.WaitForURLAsync("**/signin");
        Assert.False(await console.AcceptsAsync(token));
        Assert.Null(await tab.Page.EvaluateAsync<string?>($"sessionStorage.getItem('{SessionKey}')"));
        Assert.Empty(tab.Errors);
    }

    [Fact]
    public async Task An_expired_session_returns_to_sign_in_with_a_message_and_then_to_its_page()
    {
        var (email, _) = await console.SignUpAsync("eve");
        await using var tab = await console.OpenAsync(nameof(An_expired_session_returns_to_sign_in_with_a_message_and_then_to_its_page));
        await tab.SignInAsync(email, ConsoleHost.Password);

        // A console token lives 7 days (Guance:Security:SignInTokenLifetime).
        await console.AdvanceToAsync((await console.NowAsync()).AddDays(7).AddMinutes(1));
        await tab.Page.GotoAsync("workspaces/new");

        await tab.Page.WaitForURLAsync("**/signin?return=workspaces%2Fnew");
        await Assertions.Expect(tab.ByTestId("sign-in-message")).ToContainTextAsync("Your session has ended");
        await tab.ScreenshotAsync("expired");
        // Signing in again returns to the page the person was on.
        await tab.Input("email").FillAsync(email);
        await tab.Input("password").FillAsync(ConsoleHost.Password);
        await tab.ByTestId("sign-in").ClickAsync();
        await tab.Page.WaitForURLAsync("**/workspaces/new");
    }
}
