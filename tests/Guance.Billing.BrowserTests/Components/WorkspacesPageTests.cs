using Bunit;
using Google.Protobuf.WellKnownTypes;
using Guance.Billing.Console.Pages.BillingCenter;
using Guance.Billing.V1;
using V1 = Guance.Billing.V1;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace Guance.Billing.BrowserTests.Components;

/// <summary>
/// Bound workspaces and their settlement methods (docs/domain.md §7): the list with the billing-center
/// token, the method with the console account's (the Owner changes it), and a refused change in words.
/// </summary>
public sealed class WorkspacesPageTests : ConsoleContext
{
    public WorkspacesPageTests()
    {
        SignInBillingCenterAsync().GetAwaiter().GetResult();
        Host.On<ListBoundWorkspacesRequest, ListBoundWorkspacesResponse>("BillingAccountService/ListBoundWorkspaces", _ => new ListBoundWorkspacesResponse
        {
            Workspaces = { new BoundWorkspace { WorkspaceId = WorkspaceId, Name = "Production", SiteCode = "cn1", BindTime = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 11, 2, 1, 30, 0, TimeSpan.Zero)) } },
        }).On<ListCloudAccountsRequest, ListCloudAccountsResponse>("BillingAccountService/ListCloudAccounts", _ => new ListCloudAccountsResponse());
    }

    [Fact]
    public void Without_the_console_account_the_workspaces_are_listed_and_the_method_is_not()
    {
        var page = Render<WorkspacesPage>();

        page.WaitForAssertion(() => Assert.Contains("Production", page.Find("[data-testid=bound-workspaces] tbody").TextContent));
        Assert.Contains("2026-11-02 09:30", page.Find("[data-testid=bound-workspaces] tbody").TextContent);
        Assert.Contains("China 1 (Hangzhou)", page.Find("[data-testid=bound-workspaces] tbody").TextContent);
        Assert.NotNull(page.Find("[data-testid=console-sign-in-needed]"));
        Assert.Empty(Host.CallsOf<GetSettlementRequest>("SettlementService/GetSettlement"));
        var list = Assert.Single(Host.Calls, c => c.Method == "BillingAccountService/ListBoundWorkspaces");
        Assert.Equal(BillingCenterToken, list.Token);
    }

    [Fact]
    public async Task The_owner_changes_the_method_with_the_console_token_and_a_refusal_is_shown_in_words()
    {
        await SignInAsync();
        Host.On<GetSettlementRequest, GetSettlementResponse>("SettlementService/GetSettlement", _ => new GetSettlementResponse { Settlement = Settlement(SettlementMethod.BillingCenter) });
        var calls = 0;
        Host.On<ChangeSettlementMethodRequest, ChangeSettlementMethodResponse>("SettlementService/ChangeSettlementMethod", _ => ++calls == 1
            ? throw FakeHost.Failure(Grpc.Core.StatusCode.FailedPrecondition, "SETTLEMENT_METHOD_CHANGED_THIS_MONTH", "The settlement method was changed this month already; it can be changed again from 2026-12-01.")
            : new ChangeSettlementMethodResponse { Settlement = Settlement(SettlementMethod.BillingCenter) });
        Services.GetRequiredService<NavigationManager>().NavigateTo($"billing-center/workspaces?workspace={WorkspaceId}");

        var page = Render<WorkspacesPage>();

        page.WaitForAssertion(() => Assert.Equal("Billing-center account", page.Find("[data-testid=method]").TextContent.Trim()));
        Assert.NotNull(page.Find("[data-testid=method-form]"));
        // When it last changed, and the first day it may change again: a day of the workspace's site (cn1: China time).
        Assert.Equal("It was changed on 2026-11-02 09:30 UTC+8; it can be changed again from 2026-12-01 (UTC+8).", page.Find("[data-testid=next-change-day]").TextContent.Trim());
        page.Find("[data-testid=save-method]").Click();
        page.WaitForAssertion(() => Assert.Contains("it can be changed again from 2026-12-01", page.Find("[data-testid=error]").TextContent));
        Assert.DoesNotContain("SETTLEMENT_METHOD_CHANGED_THIS_MONTH", page.Markup);
        var change = Assert.Single(Host.Calls, c => c.Method == "SettlementService/ChangeSettlementMethod");
        Assert.Equal(Token, change.Token);
        Assert.Equal((WorkspaceId, SettlementMethod.BillingCenter, ""), (((ChangeSettlementMethodRequest)change.Request).WorkspaceId, ((ChangeSettlementMethodRequest)change.Request).Method, ((ChangeSettlementMethodRequest)change.Request).CloudAccountId));
        Assert.Equal(Token, Host.Calls.Single(c => c.Method == "SettlementService/GetSettlement").Token);
    }

    [Fact]
    public async Task A_cloud_method_without_a_cloud_account_of_that_cloud_says_where_to_add_one()
    {
        await SignInAsync();
        Host.On<GetSettlementRequest, GetSettlementResponse>("SettlementService/GetSettlement", _ => new GetSettlementResponse { Settlement = Settlement(SettlementMethod.BillingCenter) });
        Services.GetRequiredService<NavigationManager>().NavigateTo($"billing-center/workspaces?workspace={WorkspaceId}");
        var page = Render<WorkspacesPage>();
        page.WaitForElement("[data-testid=method-form]");

        await page.InvokeAsync(() => page.FindComponent<MudBlazor.MudSelect<SettlementMethod>>().Instance.ValueChanged.InvokeAsync(SettlementMethod.AlibabaCloud));

        page.WaitForAssertion(() => Assert.Contains("has no Alibaba Cloud account yet", page.Find("[data-testid=no-cloud-account]").TextContent, StringComparison.Ordinal));
        Assert.Empty(page.FindAll("[data-testid=cloud-account-id]"));
    }

    private static V1.Settlement Settlement(SettlementMethod method) => new()
    {
        WorkspaceId = WorkspaceId, Plan = Plan.Commercial, BillingAccountId = BillingAccountId, Method = method,
        AllowedMethods = { SettlementMethod.BillingCenter, SettlementMethod.AlibabaCloud },
        MethodChangeTime = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 11, 2, 1, 30, 0, TimeSpan.Zero)),
        NextMethodChangeDay = new BillingDay { Year = 2026, Month = 12, Day = 1 },
    };
}
