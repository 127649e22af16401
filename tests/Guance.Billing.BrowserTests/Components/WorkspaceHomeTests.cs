using Bunit;
using Guance.Billing.Console.Pages;
using Guance.Billing.V1;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace Guance.Billing.BrowserTests.Components;

/// <summary>The workspace's home page: the Owner dissolves the workspace after a confirmation (docs/domain.md §2).</summary>
public sealed class WorkspaceHomeTests : ConsoleContext
{
    [Fact]
    public async Task The_owner_dissolves_the_workspace_after_confirming_and_returns_to_the_list()
    {
        await SignInAsync();
        Workspace(WorkspaceRole.Owner, Plan.Commercial);
        Host.On<DissolveWorkspaceRequest, DissolveWorkspaceResponse>("WorkspaceService/DissolveWorkspace", _ => new DissolveWorkspaceResponse());
        var dialogs = Render<MudBlazor.MudDialogProvider>();
        var page = Render<WorkspaceHome>(p => p.Add(x => x.WorkspaceId, WorkspaceId));

        page.WaitForElement("[data-testid=dissolve]").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("Dissolve Production?", dialogs.Markup, StringComparison.Ordinal));
        Assert.Contains("cannot be undone", dialogs.Markup, StringComparison.Ordinal);
        Assert.Contains("still billed", dialogs.Markup, StringComparison.Ordinal);
        Assert.Empty(Host.CallsOf<DissolveWorkspaceRequest>("WorkspaceService/DissolveWorkspace"));
        dialogs.FindAll("button").Single(b => b.TextContent.Contains("Dissolve it", StringComparison.Ordinal)).Click();

        var navigation = Services.GetRequiredService<NavigationManager>();
        page.WaitForAssertion(() => Assert.Equal(navigation.BaseUri, navigation.Uri));
        Assert.Equal(WorkspaceId, Host.CallsOf<DissolveWorkspaceRequest>("WorkspaceService/DissolveWorkspace").Single().WorkspaceId);
    }

    [Fact]
    public async Task Keeping_the_workspace_dissolves_nothing()
    {
        await SignInAsync();
        Workspace(WorkspaceRole.Owner);
        var dialogs = Render<MudBlazor.MudDialogProvider>();
        var page = Render<WorkspaceHome>(p => p.Add(x => x.WorkspaceId, WorkspaceId));

        page.WaitForElement("[data-testid=dissolve]").Click();
        dialogs.WaitForAssertion(() => Assert.DoesNotContain("still billed", dialogs.Markup, StringComparison.Ordinal));
        dialogs.WaitForAssertion(() => dialogs.FindAll("button").Single(b => b.TextContent.Contains("Keep it", StringComparison.Ordinal)).Click());

        dialogs.WaitForAssertion(() => Assert.DoesNotContain("Dissolve Production?", dialogs.Markup, StringComparison.Ordinal));
        Assert.DoesNotContain(Host.Calls, c => c.Method == "WorkspaceService/DissolveWorkspace");
    }

    [Theory]
    [InlineData(WorkspaceRole.Administrator)]
    [InlineData(WorkspaceRole.Standard)]
    [InlineData(WorkspaceRole.ReadOnly)]
    public async Task Only_the_owner_is_offered_to_dissolve(WorkspaceRole role)
    {
        await SignInAsync();
        Workspace(role);

        var page = Render<WorkspaceHome>(p => p.Add(x => x.WorkspaceId, WorkspaceId));

        page.WaitForElement("[data-testid=role]");
        Assert.Empty(page.FindAll("[data-testid=dissolve]"));
    }
}
