using Grpc.Core;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.IntegrationTests.Settlement;
using Guance.Billing.V1;

namespace Guance.Billing.IntegrationTests.Hosting;

/// <summary>
/// A page token belongs to the list it came from, its owner included: the same list of another billing account,
/// workspace or user refuses it (INVALID_ARGUMENT on page_token) instead of answering a page of its own list after
/// another list's key, which would look like the end of the list or skip rows.
/// </summary>
public sealed class PageTokenScopeTests : IClassFixture<BillingHost>
{
    private readonly BillingHost host;

    public PageTokenScopeTests(BillingHost host)
    {
        this.host = host;
        host.Settings["Guance:Wallet:ExpiryJobEnabled"] = "false";
        host.Settings["Guance:BillingCenter:SessionLifetime"] = "365.00:00:00";
    }

    [Fact]
    public async Task A_billing_account_s_page_token_is_refused_by_another_account_s_lists()
    {
        var first = await host.RegisterBillingAccountAsync("pages-a");
        var second = await host.RegisterBillingAccountAsync("pages-b");
        foreach (var _ in Enumerable.Range(0, 2))
        {
            await host.RechargeAsync(first.Id, 10m);
            await host.GrantVoucherAsync(first.Id, 5m);
            await host.IssueCardAsync(first.Id, 100m);
            await host.UpgradeAsync(await host.CreateWorkspaceAsync(), first);
        }
        await host.AddCloudAccountAsync(first.Id, CloudProvider.AlibabaCloud);
        await host.AddCloudAccountAsync(first.Id, CloudProvider.Aws);
        var accounts = first.Client;

        await RefusedElsewhereAsync(
            (await accounts.ListTransactionsAsync(new ListTransactionsRequest { BillingAccountId = first.Id, PageSize = 1 })).NextPageToken,
            token => second.Client.ListTransactionsAsync(new ListTransactionsRequest { BillingAccountId = second.Id, PageSize = 1, PageToken = token }));
        await RefusedElsewhereAsync(
            (await accounts.ListVouchersAsync(new ListVouchersRequest { BillingAccountId = first.Id, PageSize = 1 })).NextPageToken,
            token => second.Client.ListVouchersAsync(new ListVouchersRequest { BillingAccountId = second.Id, PageSize = 1, PageToken = token }));
        await RefusedElsewhereAsync(
            (await accounts.ListPrepaidCardsAsync(new ListPrepaidCardsRequest { BillingAccountId = first.Id, PageSize = 1 })).NextPageToken,
            token => second.Client.ListPrepaidCardsAsync(new ListPrepaidCardsRequest { BillingAccountId = second.Id, PageSize = 1, PageToken = token }));
        await RefusedElsewhereAsync(
            (await accounts.ListBindingCodesAsync(new ListBindingCodesRequest { BillingAccountId = first.Id, PageSize = 1 })).NextPageToken,
            token => second.Client.ListBindingCodesAsync(new ListBindingCodesRequest { BillingAccountId = second.Id, PageSize = 1, PageToken = token }));
        await RefusedElsewhereAsync(
            (await accounts.ListBoundWorkspacesAsync(new ListBoundWorkspacesRequest { BillingAccountId = first.Id, PageSize = 1 })).NextPageToken,
            token => second.Client.ListBoundWorkspacesAsync(new ListBoundWorkspacesRequest { BillingAccountId = second.Id, PageSize = 1, PageToken = token }));
        await RefusedElsewhereAsync(
            (await accounts.ListCloudAccountsAsync(new ListCloudAccountsRequest { BillingAccountId = first.Id, PageSize = 1 })).NextPageToken,
            token => second.Client.ListCloudAccountsAsync(new ListCloudAccountsRequest { BillingAccountId = second.Id, PageSize = 1, PageToken = token }));
    }

    [Fact]
    public async Task A_workspace_s_page_token_is_refused_by_another_workspace_s_lists()
    {
        var first = await host.CreateWorkspaceAsync();
        var second = await host.CreateWorkspaceAsync();
        foreach (var name in new[] { "a", "b" })
        {
            await first.Owner.Api.Workspaces.CreateCollectorTokenAsync(new CreateCollectorTokenRequest { WorkspaceId = first.Id, DisplayName = name });
        }
        var workspaces = first.Owner.Api.Workspaces;

        await RefusedElsewhereAsync(
            (await workspaces.ListMembersAsync(new ListMembersRequest { WorkspaceId = first.Id, PageSize = 1 })).NextPageToken,
            token => second.Owner.Api.Workspaces.ListMembersAsync(new ListMembersRequest { WorkspaceId = second.Id, PageSize = 1, PageToken = token }));
        await RefusedElsewhereAsync(
            (await workspaces.ListCollectorTokensAsync(new ListCollectorTokensRequest { WorkspaceId = first.Id, PageSize = 1 })).NextPageToken,
            token => second.Owner.Api.Workspaces.ListCollectorTokensAsync(new ListCollectorTokensRequest { WorkspaceId = second.Id, PageSize = 1, PageToken = token }));
    }

    [Fact]
    public async Task A_user_s_page_token_is_refused_by_another_user_s_lists()
    {
        var first = await host.CreateWorkspaceAsync();
        var second = await host.CreateWorkspaceAsync();
        var owner = first.Owner.Api;
        await owner.Workspaces.CreateWorkspaceAsync(new CreateWorkspaceRequest { Name = "second", SiteCode = "cn1", ActivationChannel = ActivationChannel.OfficialWebsite });
        foreach (var name in new[] { "ci", "deploy" })
        {
            await owner.Identity.CreateApiTokenAsync(new CreateApiTokenRequest { DisplayName = name });
        }

        await RefusedElsewhereAsync(
            (await owner.Workspaces.ListWorkspacesAsync(new ListWorkspacesRequest { PageSize = 1 })).NextPageToken,
            token => second.Owner.Api.Workspaces.ListWorkspacesAsync(new ListWorkspacesRequest { PageSize = 1, PageToken = token }));
        await RefusedElsewhereAsync(
            (await owner.Identity.ListApiTokensAsync(new ListApiTokensRequest { PageSize = 1 })).NextPageToken,
            token => second.Owner.Api.Identity.ListApiTokensAsync(new ListApiTokensRequest { PageSize = 1, PageToken = token }));
    }

    private static async Task RefusedElsewhereAsync<T>(string token, Func<string, AsyncUnaryCall<T>> otherList)
    {
        Assert.NotEmpty(token);
        await RpcAssert.InvalidFields(() => otherList(token), "page_token");
    }
}
