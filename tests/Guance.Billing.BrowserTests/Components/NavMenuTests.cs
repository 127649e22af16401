using Bunit;
using Guance.Billing.Console.Layout;
using Guance.Billing.V1;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace Guance.Billing.BrowserTests.Components;

/// <summary>The Billing module exists in the menu for the Owner and Administrators only (docs/domain.md §2); the tickets for every member (§8).</summary>
public sealed class NavMenuTests : ConsoleContext
{
    [Theory]
    [InlineData(WorkspaceRole.Owner, true)]
    [InlineData(WorkspaceRole.Administrator, true)]
    [InlineData(WorkspaceRole.Standard, false)]
    [InlineData(WorkspaceRole.ReadOnly, false)]
    public async Task The_billing_menu_is_there_for_owner_and_administrator_only(WorkspaceRole role, bool shown)
    {
        await SignInAsync();
        Workspace(role);
        Services.GetRequiredService<NavigationManager>().NavigateTo($"workspaces/{WorkspaceId}");

        var menu = Render<NavMenu>();

        menu.WaitForAssertion(() => Assert.Contains("Production", menu.Markup));
        Assert.Equal(shown, menu.FindAll("[data-testid=billing-menu]").Count == 1);
        Assert.Equal(shown, menu.Markup.Contains("Usage statistics", StringComparison.Ordinal));
        Assert.Equal(shown, menu.Markup.Contains("Retention", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(WorkspaceRole.Owner)]
    [InlineData(WorkspaceRole.ReadOnly)]
    public async Task Every_member_has_the_workspaces_tickets_in_the_menu(WorkspaceRole role)
    {
        await SignInAsync();
        Workspace(role);
        Services.GetRequiredService<NavigationManager>().NavigateTo($"workspaces/{WorkspaceId}");

        var menu = Render<NavMenu>();

        var tickets = menu.WaitForElement("[data-testid=tickets-menu]");
        Assert.Equal($"workspaces/{WorkspaceId}/tickets", tickets.GetAttribute("href"));
        Assert.Contains("Tickets", tickets.TextContent, StringComparison.Ordinal);
    }
}
