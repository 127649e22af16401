using Bunit;
using Grpc.Core;
using Guance.Billing.Console.Pages.Billing;
using Guance.Billing.V1;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace Guance.Billing.BrowserTests.Components;

/// <summary>The Owner's upgrade with a binding code (docs/domain.md §2), and how the host's errors are shown.</summary>
public sealed class UpgradePageTests : ConsoleContext
{
    [Fact]
    public async Task A_refused_binding_code_is_explained_next_to_the_field_in_words()
    {
        await SignInAsync();
        Workspace(WorkspaceRole.Owner);
        Host.On<UpgradeToCommercialRequest, UpgradeToCommercialResponse>("SettlementService/UpgradeToCommercial",
            _ => throw FakeHost.BadRequest(("binding_code", "must look like K7QM-3XPA-9WRT: three groups of four letters and digits")));
        var page = Render<UpgradePage>(p => p.Add(x => x.WorkspaceId, WorkspaceId));

        page.WaitForElement("input").Change("nonsense");
        page.Find("form").Submit();

        var fieldError = page.WaitForElement(".mud-input-helper-text.mud-input-error");
        Assert.Contains("must look like K7QM-3XPA-9WRT", fieldError.TextContent);
        Assert.DoesNotContain("INVALID", page.Markup);
        Assert.DoesNotContain("binding_code", page.Markup);
        Assert.Equal("nonsense", Host.CallsOf<UpgradeToCommercialRequest>("SettlementService/UpgradeToCommercial").Single().BindingCode);
    }

    [Fact]
    public async Task A_broken_rule_is_shown_as_the_hosts_sentence_without_its_code()
    {
        await SignInAsync();
        Workspace(WorkspaceRole.Owner);
        Host.On<UpgradeToCommercialRequest, UpgradeToCommercialResponse>("SettlementService/UpgradeToCommercial",
            _ => throw FakeHost.Failure(StatusCode.FailedPrecondition, "BINDING_CODE_EXPIRED", "The binding code has expired; ask the billing account for a new one."));
        var page = Render<UpgradePage>(p => p.Add(x => x.WorkspaceId, WorkspaceId));

        page.WaitForElement("input").Change("K7QM-3XPA-9WRT");
        page.Find("form").Submit();

        var error = page.WaitForElement("[data-testid=error]");
        Assert.Contains("The binding code has expired", error.TextContent);
        Assert.DoesNotContain("BINDING_CODE_EXPIRED", page.Markup);
        Assert.DoesNotContain("FailedPrecondition", page.Markup);
    }

    [Fact]
    public async Task An_upgrade_returns_to_the_overview()
    {
        await SignInAsync();
        Workspace(WorkspaceRole.Owner);
        Host.On<UpgradeToCommercialRequest, UpgradeToCommercialResponse>("SettlementService/UpgradeToCommercial", _ => new UpgradeToCommercialResponse());
        var page = Render<UpgradePage>(p => p.Add(x => x.WorkspaceId, WorkspaceId));

        page.WaitForElement("input").Change(" K7QM-3XPA-9WRT ");
        page.Find("form").Submit();

        var navigation = Services.GetRequiredService<NavigationManager>();
        page.WaitForAssertion(() => Assert.EndsWith($"workspaces/{WorkspaceId}/billing", navigation.Uri));
        Assert.Equal("K7QM-3XPA-9WRT", Host.CallsOf<UpgradeToCommercialRequest>("SettlementService/UpgradeToCommercial").Single().BindingCode);
    }

    [Fact]
    public async Task An_administrator_cannot_upgrade()
    {
        await SignInAsync();
        Workspace(WorkspaceRole.Administrator);

        var page = Render<UpgradePage>(p => p.Add(x => x.WorkspaceId, WorkspaceId));

        Assert.Contains("Only the workspace's Owner", page.WaitForElement("[data-testid=no-access]").TextContent);
        Assert.Empty(page.FindAll("form"));
    }
}
