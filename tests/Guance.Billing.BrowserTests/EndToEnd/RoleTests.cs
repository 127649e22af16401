using Guance.Billing.V1;
using Microsoft.Playwright;

namespace Guance.Billing.BrowserTests.EndToEnd;

/// <summary>The Billing module by role, in the browser (docs/domain.md §2).</summary>
[Collection(ConsoleEndToEnd.Name)]
public sealed class RoleTests(ConsoleHost console)
{
    [Fact]
    public async Task An_administrator_sees_the_overview_without_the_owners_buttons()
    {
        var (workspaceId, email) = await console.WorkspaceWithMemberAsync(WorkspaceRole.Administrator);
        await using var tab = await console.OpenAsync(nameof(An_administrator_sees_the_overview_without_the_owners_buttons));

        await tab.SignInAsync(email, ConsoleHost.Password);
        await tab.Page.GetByRole(AriaRole.Link, new() { Name = "Billing", Exact = true }).ClickAsync();

        await tab.Page.WaitForURLAsync($"**/workspaces/{workspaceId}/billing");
        await Assertions.Expect(tab.ByTestId("cash")).ToHaveTextAsync("CNY 0.00");
        await Assertions.Expect(tab.ByTestId("billing-menu")).ToBeVisibleAsync();
        Assert.Equal(0, await tab.ByTestId("actions").CountAsync());
        Assert.Equal(0, await tab.ByTestId("action").CountAsync());
        await tab.ScreenshotAsync("administrator-overview");
        Assert.Empty(tab.Errors);
    }

    [Fact]
    public async Task A_standard_member_has_no_billing_module_and_its_address_says_no_access()
    {
        var (workspaceId, email) = await console.WorkspaceWithMemberAsync(WorkspaceRole.Standard);
        await using var tab = await console.OpenAsync(nameof(A_standard_member_has_no_billing_module_and_its_address_says_no_access));

        await tab.SignInAsync(email, ConsoleHost.Password);
        await tab.Page.GotoAsync($"workspaces/{workspaceId}");
        await Assertions.Expect(tab.ByTestId("role")).ToHaveTextAsync("Standard");
        Assert.Equal(0, await tab.ByTestId("billing-menu").CountAsync());
        Assert.Equal(0, await tab.Page.GetByText("Usage statistics").CountAsync());
        await tab.ScreenshotAsync("standard-workspace");

        await tab.Page.GotoAsync($"workspaces/{workspaceId}/billing");
        await Assertions.Expect(tab.ByTestId("no-access")).ToContainTextAsync("No access");
        await tab.ScreenshotAsync("standard-no-access");
        Assert.Empty(tab.Errors);
    }
}
