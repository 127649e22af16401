using Bunit;
using Google.Protobuf.WellKnownTypes;
using Guance.Billing.Console.Pages.Billing;
using Guance.Billing.V1;
using V1 = Guance.Billing.V1;

namespace Guance.Billing.BrowserTests.Components;

/// <summary>
/// The settlement method in the workspace's own Billing pages (docs/domain.md §7): the Owner changes it with the console
/// account alone, naming a cloud account by its ID when the billing center cannot list them in this tab; an Administrator reads it.
/// </summary>
public sealed class SettlementMethodPageTests : ConsoleContext
{
    [Fact]
    public async Task The_owner_moves_the_workspace_to_a_cloud_account_typed_by_its_id_with_the_console_token()
    {
        await SignInAsync();
        Workspace(WorkspaceRole.Owner, Plan.Commercial);
        Host.On<GetSettlementRequest, GetSettlementResponse>("SettlementService/GetSettlement", _ => new GetSettlementResponse { Settlement = Settlement(SettlementMethod.BillingCenter) });
        Host.On<ChangeSettlementMethodRequest, ChangeSettlementMethodResponse>("SettlementService/ChangeSettlementMethod", r => new ChangeSettlementMethodResponse
        {
            Settlement = new V1.Settlement(Settlement(r.Method)) { CloudAccountId = r.CloudAccountId },
        });

        var page = Render<SettlementMethodPage>(p => p.Add(x => x.WorkspaceId, WorkspaceId));

        page.WaitForElement("[data-testid=method-form]");
        // Never changed: no "changed again from".
        Assert.Empty(page.FindAll("[data-testid=next-change-day]"));
        await page.InvokeAsync(() => page.FindComponent<MudBlazor.MudSelect<SettlementMethod>>().Instance.ValueChanged.InvokeAsync(SettlementMethod.AlibabaCloud));
        page.WaitForElement("[data-testid=cloud-account-id] input, input[data-testid=cloud-account-id]").Change(" cla_01kali ");
        page.Find("[data-testid=save-method]").Click();

        page.WaitForAssertion(() => Assert.Contains("now Alibaba Cloud", page.Find("[data-testid=method-changed]").TextContent, StringComparison.Ordinal));
        var change = Assert.Single(Host.Calls, c => c.Method == "SettlementService/ChangeSettlementMethod");
        Assert.Equal(Token, change.Token);
        var request = (ChangeSettlementMethodRequest)change.Request;
        Assert.Equal((WorkspaceId, SettlementMethod.AlibabaCloud, "cla_01kali"), (request.WorkspaceId, request.Method, request.CloudAccountId));
    }

    [Fact]
    public async Task An_administrator_reads_the_method_and_is_offered_no_change()
    {
        await SignInAsync();
        Workspace(WorkspaceRole.Administrator, Plan.Commercial);
        Host.On<GetSettlementRequest, GetSettlementResponse>("SettlementService/GetSettlement", _ => new GetSettlementResponse { Settlement = Settlement(SettlementMethod.BillingCenter) });

        var page = Render<SettlementMethodPage>(p => p.Add(x => x.WorkspaceId, WorkspaceId));

        page.WaitForAssertion(() => Assert.Equal("Now: Billing-center account.", page.Find("[data-testid=method]").TextContent.Trim()));
        Assert.Empty(page.FindAll("[data-testid=method-form]"));
        Assert.Contains("Only the workspace's Owner", page.Find("[data-testid=owner-only]").TextContent, StringComparison.Ordinal);
    }

    private static V1.Settlement Settlement(SettlementMethod method) => new()
    {
        WorkspaceId = WorkspaceId, Plan = Plan.Commercial, BillingAccountId = BillingAccountId, Method = method,
        UpgradeTime = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 11, 2, 1, 30, 0, TimeSpan.Zero)),
        AllowedMethods = { SettlementMethod.BillingCenter, SettlementMethod.AlibabaCloud },
    };
}
