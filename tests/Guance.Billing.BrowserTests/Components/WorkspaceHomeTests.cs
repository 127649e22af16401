using Bunit;
using Guance.Billing.Console.Pages;
using Guance.Billing.V1;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace Guance.Billing.BrowserTests.Components;

/// <summary>The workspace's home page: the Owner dissolves the workspace after a confirmation (docs/domain.md §2); a dissolved one says so.</summary>
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

    [Fact]
    public async Task A_dissolved_workspace_says_so_and_offers_no_dissolve()
    {
        await SignInAsync();
        Host.On<GetWorkspaceRequest, GetWorkspaceResponse>("WorkspaceService/GetWorkspace", _ => new GetWorkspaceResponse
        {
            Workspace = new Workspace
            {
                WorkspaceId = WorkspaceId, Name = "Production", SiteCode = "cn1", CallerRole = WorkspaceRole.Owner, Plan = Plan.Commercial,
                State = WorkspaceState.Dissolved, DissolveTime = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 12, 4, 1, 0, 0, TimeSpan.Zero)),
            },
        });

        var page = Render<WorkspaceHome>(p => p.Add(x => x.WorkspaceId, WorkspaceId));

        page.WaitForElement("[data-testid=dissolved]");
        Assert.Contains("Production was dissolved at 2026-12-04", page.Find("[data-testid=dissolved]").TextContent, StringComparison.Ordinal);
        Assert.Contains("read-only", page.Find("[data-testid=dissolved]").TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid=dissolve]"));
    }

    [Fact]
    public async Task An_active_workspace_has_no_dissolved_notice()
    {
        await SignInAsync();
        Workspace(WorkspaceRole.Owner, Plan.Commercial);

        var page = Render<WorkspaceHome>(p => p.Add(x => x.WorkspaceId, WorkspaceId));

        page.WaitForElement("[data-testid=dissolve]");
        Assert.Empty(page.FindAll("[data-testid=dissolved]"));
        Assert.Equal("China 1 (Hangzhou)", page.Find("[data-testid=site]").TextContent);
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
