using Bunit;
using Grpc.Core;
using Guance.Billing.Console.Pages.Billing;
using Guance.Billing.V1;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace Guance.Billing.BrowserTests.Components;

/// <summary>The Owner's upgrade with a binding code, and a marketplace workspace's cloud account (docs/domain.md §2), and how the host's errors are shown.</summary>
public sealed class UpgradePageTests : ConsoleContext
{
    private IRenderedComponent<MudBlazor.MudDialogProvider>? _dialogs;

    [Fact]
    public async Task The_upgrade_is_confirmed_first_and_not_now_upgrades_nothing()
    {
        await SignInAsync();
        Workspace(WorkspaceRole.Owner);
        var page = RenderUpgrade();

        page.WaitForElement("input").Change("K7QM-3XPA-9WRT");
        page.Find("form").Submit();

        var dialogs = _dialogs!;
        dialogs.WaitForAssertion(() => Assert.Contains("Upgrade Production to the commercial plan?", dialogs.Markup, StringComparison.Ordinal));
        Assert.Contains("cannot be undone", dialogs.Markup, StringComparison.Ordinal);
        dialogs.FindAll("button").Single(b => b.TextContent.Contains("Not now", StringComparison.Ordinal)).Click();
        dialogs.WaitForAssertion(() => Assert.DoesNotContain("Upgrade Production", dialogs.Markup, StringComparison.Ordinal));
        Assert.DoesNotContain(Host.Calls, c => c.Method == "SettlementService/UpgradeToCommercial");
    }
    [Fact]
    public async Task A_refused_binding_code_is_explained_next_to_the_field_in_words()
    {
        await SignInAsync();
        Workspace(WorkspaceRole.Owner);
        Host.On<UpgradeToCommercialRequest, UpgradeToCommercialResponse>("SettlementService/UpgradeToCommercial",
            _ => throw FakeHost.BadRequest(("binding_code", "must look like K7QM-3XPA-9WRT: three groups of four letters and digits")));
        var page = RenderUpgrade();

        page.WaitForElement("input").Change("nonsense");
        SubmitAndConfirm(page);

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
        var page = RenderUpgrade();

        page.WaitForElement("input").Change("K7QM-3XPA-9WRT");
        SubmitAndConfirm(page);

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
        var page = RenderUpgrade();

        page.WaitForElement("input").Change(" K7QM-3XPA-9WRT ");
        SubmitAndConfirm(page);

        var navigation = Services.GetRequiredService<NavigationManager>();
        page.WaitForAssertion(() => Assert.EndsWith($"workspaces/{WorkspaceId}/billing", navigation.Uri));
        Assert.Equal("K7QM-3XPA-9WRT", Host.CallsOf<UpgradeToCommercialRequest>("SettlementService/UpgradeToCommercial").Single().BindingCode);
    }

    [Fact]
    public async Task A_website_workspace_is_upgraded_with_its_binding_code_alone()
    {
        await SignInAsync();
        Workspace(WorkspaceRole.Owner);
        Host.On<UpgradeToCommercialRequest, UpgradeToCommercialResponse>("SettlementService/UpgradeToCommercial", _ => new UpgradeToCommercialResponse());
        var page = RenderUpgrade();

        page.WaitForElement("input").Change("K7QM-3XPA-9WRT");
        Assert.Single(page.FindAll("input"));
        Assert.Empty(page.FindAll("[data-testid=marketplace-note]"));
        SubmitAndConfirm(page);

        page.WaitForAssertion(() => Assert.Single(Host.CallsOf<UpgradeToCommercialRequest>("SettlementService/UpgradeToCommercial")));
        Assert.Equal("", Host.CallsOf<UpgradeToCommercialRequest>("SettlementService/UpgradeToCommercial").Single().CloudAccountId);
    }

    [Fact]
    public async Task A_marketplace_workspace_names_its_cloud_account_by_id_when_no_billing_center_session_can_list_them()
    {
        await SignInAsync();
        MarketplaceWorkspace(ActivationChannel.AwsMarketplace);
        Host.On<UpgradeToCommercialRequest, UpgradeToCommercialResponse>("SettlementService/UpgradeToCommercial", _ => new UpgradeToCommercialResponse());
        var page = RenderUpgrade();

        Assert.Contains("AWS marketplace", page.WaitForElement("[data-testid=marketplace-note]").TextContent);
        page.Find("[data-testid=binding-code] input, input[data-testid=binding-code]").Change("K7QM-3XPA-9WRT");
        page.Find("[data-testid=cloud-account-id] input, input[data-testid=cloud-account-id]").Change(" ca_01kaws ");
        page.Find("form").Submit();
        // The confirmation says that it settles through the cloud account, not the billing account's wallet.
        var dialogs = _dialogs!;
        dialogs.WaitForAssertion(() => Assert.Contains("through the AWS account named here", dialogs.Markup, StringComparison.Ordinal));
        dialogs.FindAll("button").Single(b => b.TextContent.Contains("Upgrade it", StringComparison.Ordinal)).Click();

        page.WaitForAssertion(() => Assert.Single(Host.CallsOf<UpgradeToCommercialRequest>("SettlementService/UpgradeToCommercial")));
        var sent = Host.CallsOf<UpgradeToCommercialRequest>("SettlementService/UpgradeToCommercial").Single();
        Assert.Equal(("K7QM-3XPA-9WRT", "ca_01kaws"), (sent.BindingCode, sent.CloudAccountId));
        Assert.DoesNotContain(Host.Calls, c => c.Method == "BillingAccountService/ListCloudAccounts");
    }

    [Fact]
    public async Task A_marketplace_workspace_offers_the_cloud_accounts_of_that_cloud_of_the_billing_center_session()
    {
        await SignInAsync();
        await SignInBillingCenterAsync();
        MarketplaceWorkspace(ActivationChannel.HuaweiCloudMarketplace);
        Host.On<ListCloudAccountsRequest, ListCloudAccountsResponse>("BillingAccountService/ListCloudAccounts", _ => new ListCloudAccountsResponse
        {
            CloudAccounts =
            {
                new CloudAccount { CloudAccountId = "ca_01kali", Provider = CloudProvider.AlibabaCloud, ProviderAccountId = "ali-1", DisplayName = "Alibaba main" },
                new CloudAccount { CloudAccountId = "ca_01khw", Provider = CloudProvider.HuaweiCloud, ProviderAccountId = "hw-1", DisplayName = "Huawei main" },
            },
        });
        Host.On<UpgradeToCommercialRequest, UpgradeToCommercialResponse>("SettlementService/UpgradeToCommercial", _ => new UpgradeToCommercialResponse());
        var page = RenderUpgrade();

        page.WaitForElement("[data-testid=cloud-account]");
        Assert.Empty(page.FindAll("[data-testid=cloud-account-id]"));
        Assert.Equal(BillingCenterToken, Host.Calls.Single(c => c.Method == "BillingAccountService/ListCloudAccounts").Token);
        page.Find("[data-testid=binding-code] input, input[data-testid=binding-code]").Change("K7QM-3XPA-9WRT");
        SubmitAndConfirm(page);

        // The one Huawei Cloud account is picked already; the Alibaba Cloud one is not offered.
        page.WaitForAssertion(() => Assert.Single(Host.CallsOf<UpgradeToCommercialRequest>("SettlementService/UpgradeToCommercial")));
        Assert.Equal("ca_01khw", Host.CallsOf<UpgradeToCommercialRequest>("SettlementService/UpgradeToCommercial").Single().CloudAccountId);
        Assert.DoesNotContain("Alibaba main", page.Markup);
    }

    [Fact]
    public async Task An_administrator_cannot_upgrade()
    {
        await SignInAsync();
        Workspace(WorkspaceRole.Administrator);

        var page = RenderUpgrade();

        Assert.Contains("Only the workspace's Owner", page.WaitForElement("[data-testid=no-access]").TextContent);
        Assert.Empty(page.FindAll("form"));
    }

    private void MarketplaceWorkspace(ActivationChannel channel)
    {
        var workspace = new Workspace
        {
            WorkspaceId = WorkspaceId, Name = "Production", SiteCode = channel switch
            {
                ActivationChannel.AwsMarketplace => "cn2",
                ActivationChannel.AlibabaCloudMarketplace => "cn1",
                _ => "cn4",
            },
            CallerRole = WorkspaceRole.Owner, Plan = Plan.Experience,
            State = WorkspaceState.Active, ActivationChannel = channel,
        };
        Host.On<GetWorkspaceRequest, GetWorkspaceResponse>("WorkspaceService/GetWorkspace", _ => new GetWorkspaceResponse { Workspace = workspace })
            .On<ListWorkspacesRequest, ListWorkspacesResponse>("WorkspaceService/ListWorkspaces", _ => new ListWorkspacesResponse { Workspaces = { workspace } });
    }

    private IRenderedComponent<UpgradePage> RenderUpgrade()
    {
        _dialogs = Render<MudBlazor.MudDialogProvider>();
        return Render<UpgradePage>(p => p.Add(x => x.WorkspaceId, WorkspaceId));
    }

    /// <summary>Submits the form and confirms the upgrade in its dialog.</summary>
    private void SubmitAndConfirm(IRenderedComponent<UpgradePage> page)
    {
        page.Find("form").Submit();
        var dialogs = _dialogs!;
        dialogs.WaitForAssertion(() => dialogs.FindAll("button").Single(b => b.TextContent.Contains("Upgrade it", StringComparison.Ordinal)).Click());
    }
}
