using Microsoft.Playwright;

namespace Guance.Billing.BrowserTests.EndToEnd;

/// <summary>The console on a phone's screen (390 by 844): the menu lies over the page, closed until its button opens it.</summary>
[Collection(ConsoleEndToEnd.Name)]
public sealed class PhoneLayoutTests(ConsoleHost console)
{
    [Fact]
    public async Task On_a_phone_the_page_has_the_whole_width_and_the_menu_opens_over_it()
    {
        var (email, _) = await console.SignUpAsync("pia");
        await using var tab = await console.OpenAsync(nameof(On_a_phone_the_page_has_the_whole_width_and_the_menu_opens_over_it), width: 390, height: 844);
        await tab.SignInAsync(email, ConsoleHost.Password);
        var menuLink = tab.Page.Locator(".mud-drawer").GetByRole(AriaRole.Link, new() { Name = "Workspaces", Exact = true });

        await Assertions.Expect(tab.ByTestId("sign-out")).ToBeInViewportAsync(new() { Ratio = 1 });
        await Assertions.Expect(menuLink).Not.ToBeInViewportAsync();
        await tab.ScreenshotAsync("menu-closed");

        await tab.ByTestId("menu-toggle").ClickAsync();
        await Assertions.Expect(menuLink).ToBeInViewportAsync(new() { Ratio = 1 });
        await tab.ScreenshotAsync("menu-open");
        await menuLink.ClickAsync();
        await Assertions.Expect(menuLink).Not.ToBeInViewportAsync();
        Assert.Empty(tab.Errors);
    }

    [Fact]
    public async Task On_a_laptop_the_menu_stays_beside_the_page()
    {
        var (email, _) = await console.SignUpAsync("lea");
        await using var tab = await console.OpenAsync(nameof(On_a_laptop_the_menu_stays_beside_the_page));
        await tab.SignInAsync(email, ConsoleHost.Password);

        await Assertions.Expect(tab.Page.Locator(".mud-drawer").GetByRole(AriaRole.Link, new() { Name = "Workspaces", Exact = true })).ToBeInViewportAsync(new() { Ratio = 1 });
        await Assertions.Expect(tab.ByTestId("user-email")).ToBeVisibleAsync();
    }
}
