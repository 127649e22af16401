using Grpc.Core;
using Guance.Billing.BillingAccounts;
using Guance.Billing.Common;
using Guance.Billing.Data;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.V1;
using Microsoft.Extensions.DependencyInjection;
using CloudProvider = Guance.Billing.V1.CloudProvider;

namespace Guance.Billing.IntegrationTests.BillingCenter;

public sealed class CloudAccountAndBindingTests : IClassFixture<BillingHost>
{
    private readonly BillingHost host;

    public CloudAccountAndBindingTests(BillingHost host)
    {
        this.host = host;
        host.Settings["Guance:Wallet:ExpiryJobEnabled"] = "false";
        // Tests here move the clock by days; sessions outlive that.
        host.Settings["Guance:BillingCenter:SessionLifetime"] = "365.00:00:00";
    }

    [Fact]
    public async Task Cloud_accounts_are_added_listed_and_removed()
    {
        var account = await host.RegisterBillingAccountAsync("cloud");
        var aws = (await account.Client.AddCloudAccountAsync(new AddCloudAccountRequest
        {
            BillingAccountId = account.Id, Provider = CloudProvider.Aws, ProviderAccountId = "123456789012", MarketplaceInstanceId = "prod-abc123", DisplayName = "AWS prod",
        })).CloudAccount;
        Assert.StartsWith("ca_", aws.CloudAccountId);
        Assert.Equal(CloudProvider.Aws, aws.Provider);
        var alibaba = (await account.Client.AddCloudAccountAsync(new AddCloudAccountRequest
        {
            BillingAccountId = account.Id, Provider = CloudProvider.AlibabaCloud, ProviderAccountId = "1234567890123456", MarketplaceInstanceId = "cmgj-0001",
        })).CloudAccount;

        var listed = await account.Client.ListCloudAccountsAsync(new ListCloudAccountsRequest { BillingAccountId = account.Id, PageSize = 1 });
        Assert.Equal(new[] { aws }, listed.CloudAccounts);
        var rest = await account.Client.ListCloudAccountsAsync(new ListCloudAccountsRequest { BillingAccountId = account.Id, PageToken = listed.NextPageToken });
        Assert.Equal(new[] { alibaba }, rest.CloudAccounts);
        Assert.Equal("", rest.NextPageToken);

        // The same marketplace account cannot be added twice, even by another billing account.
        var other = await host.RegisterBillingAccountAsync("cloud-other");
        await RpcAssert.Fails(StatusCode.AlreadyExists, () => other.Client.AddCloudAccountAsync(new AddCloudAccountRequest
        {
            BillingAccountId = other.Id, Provider = CloudProvider.Aws, ProviderAccountId = "123456789012", MarketplaceInstanceId = "prod-abc123",
        }), "CLOUD_ACCOUNT_TAKEN");

        await account.Client.RemoveCloudAccountAsync(new RemoveCloudAccountRequest { BillingAccountId = account.Id, CloudAccountId = aws.CloudAccountId });
        Assert.Equal(new[] { alibaba }, (await account.Client.ListCloudAccountsAsync(new ListCloudAccountsRequest { BillingAccountId = account.Id })).CloudAccounts);
        await RpcAssert.Fails(StatusCode.NotFound,
            () => account.Client.RemoveCloudAccountAsync(new RemoveCloudAccountRequest { BillingAccountId = account.Id, CloudAccountId = aws.CloudAccountId }), "CLOUD_ACCOUNT_NOT_FOUND");
        // Another account's cloud account is not found through one's own id.
        await RpcAssert.Fails(StatusCode.NotFound,
            () => other.Client.RemoveCloudAccountAsync(new RemoveCloudAccountRequest { BillingAccountId = other.Id, CloudAccountId = alibaba.CloudAccountId }), "CLOUD_ACCOUNT_NOT_FOUND");
        // Once removed, it may be added again.
        await other.Client.AddCloudAccountAsync(new AddCloudAccountRequest
        {
            BillingAccountId = other.Id, Provider = CloudProvider.Aws, ProviderAccountId = "123456789012", MarketplaceInstanceId = "prod-abc123",
        });
    }

    [Fact]
    public async Task AddCloudAccount_names_every_invalid_field()
    {
        var account = await host.RegisterBillingAccountAsync("cloud-bad");
        await RpcAssert.InvalidFields(() => account.Client.AddCloudAccountAsync(new AddCloudAccountRequest { BillingAccountId = account.Id }),
            "provider", "provider_account_id", "marketplace_instance_id");
        await RpcAssert.InvalidFields(() => account.Client.AddCloudAccountAsync(new AddCloudAccountRequest
        {
            BillingAccountId = account.Id, Provider = CloudProvider.Aws, ProviderAccountId = "12345678901", MarketplaceInstanceId = "has space", DisplayName = new string('x', 65),
        }), "provider_account_id", "marketplace_instance_id", "display_name");
        await RpcAssert.InvalidFields(() => account.Client.AddCloudAccountAsync(new AddCloudAccountRequest
        {
            BillingAccountId = account.Id, Provider = CloudProvider.HuaweiCloud, ProviderAccountId = "not/valid", MarketplaceInstanceId = "i-1",
        }), "provider_account_id");
        await RpcAssert.InvalidFields(() => account.Client.RemoveCloudAccountAsync(new RemoveCloudAccountRequest { BillingAccountId = account.Id, CloudAccountId = "x" }),
            "cloud_account_id");
        Assert.Empty((await account.Client.ListCloudAccountsAsync(new ListCloudAccountsRequest { BillingAccountId = account.Id })).CloudAccounts);
    }

    [Fact]
    public async Task Cloud_account_calls_are_for_the_account_and_the_operator()
    {
        var account = await host.RegisterBillingAccountAsync("cloud-perm");
        var n = 0;
        await host.AssertCallersAsync(account, BillingAccess.AccountOrOperator, (client, id) => client.AddCloudAccountAsync(new AddCloudAccountRequest
        {
            BillingAccountId = id, Provider = CloudProvider.HuaweiCloud, ProviderAccountId = "hw" + Guid.NewGuid().ToString("N"), MarketplaceInstanceId = $"i-{n++}",
        }));
        await host.AssertCallersAsync(account, BillingAccess.AccountOrOperator, (client, id) => client.ListCloudAccountsAsync(new ListCloudAccountsRequest { BillingAccountId = id }));
        await host.AssertCallersAsync(account, BillingAccess.AccountOrOperator, async (client, id) =>
        {
            var added = await host.Operator.BillingAccounts.AddCloudAccountAsync(new AddCloudAccountRequest
            {
                BillingAccountId = account.Id, Provider = CloudProvider.AlibabaCloud, ProviderAccountId = "ali" + Guid.NewGuid().ToString("N")[..8], MarketplaceInstanceId = "i-1",
            });
            await client.RemoveCloudAccountAsync(new RemoveCloudAccountRequest { BillingAccountId = id, CloudAccountId = added.CloudAccount.CloudAccountId });
        });
    }

    [Fact]
    public async Task A_binding_code_is_shown_once_expires_in_minutes_and_is_the_account_s_own_consent()
    {
        var account = await host.RegisterBillingAccountAsync("bind");
        var created = await account.Client.CreateBindingCodeAsync(new CreateBindingCodeRequest { BillingAccountId = account.Id });
        Assert.Matches("^[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$", created.BindingCode);
        Assert.Equal(host.Clock.GetUtcNow().AddMinutes(10), created.ExpireTime.ToDateTimeOffset());

        // Redeemed (as daily settlement will, for the workspace Owner) it names the account, once.
        var workspace = await host.CreateWorkspaceAsync();
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var codes = scope.ServiceProvider.GetRequiredService<BindingCodeManager>();
            var redemption = await codes.RedeemBindingCodeAsync(created.BindingCode.ToLowerInvariant(), workspace.Id, CancellationToken.None);
            Assert.Equal(account.Id, redemption.BillingAccountId);
            var again = await Assert.ThrowsAsync<BillingException>(() => codes.RedeemBindingCodeAsync(created.BindingCode, workspace.Id, CancellationToken.None));
            Assert.Equal("BINDING_CODE_USED", again.Reason);
        }

        await host.AssertCallersAsync(account, BillingAccess.AccountOnly, (client, id) => client.CreateBindingCodeAsync(new CreateBindingCodeRequest { BillingAccountId = id }));
    }

    [Fact]
    public async Task ListBoundWorkspaces_lists_what_settlement_bound_to_the_account()
    {
        var account = await host.RegisterBillingAccountAsync("bound");
        Assert.Empty((await account.Client.ListBoundWorkspacesAsync(new ListBoundWorkspacesRequest { BillingAccountId = account.Id })).Workspaces);

        var first = await host.CreateWorkspaceAsync();
        var second = await host.CreateWorkspaceAsync("cn4");
        var unrelated = await host.CreateWorkspaceAsync();
        var other = await host.RegisterBillingAccountAsync("bound-other");
        await using (var scope = host.Services.CreateAsyncScope())
        {
            // What daily settlement writes when an Owner upgrades or changes the binding.
            var db = scope.ServiceProvider.GetRequiredService<BillingDbContext>();
            db.WorkspaceBindings.Add(new WorkspaceBinding { WorkspaceId = first.Id, BillingAccountId = account.Id, BoundAt = host.Clock.GetUtcNow() });
            db.WorkspaceBindings.Add(new WorkspaceBinding { WorkspaceId = second.Id, BillingAccountId = account.Id, BoundAt = host.Clock.GetUtcNow() });
            db.WorkspaceBindings.Add(new WorkspaceBinding { WorkspaceId = unrelated.Id, BillingAccountId = other.Id, BoundAt = host.Clock.GetUtcNow() });
            await db.SaveChangesAsync();
        }

        var page = await account.Client.ListBoundWorkspacesAsync(new ListBoundWorkspacesRequest { BillingAccountId = account.Id, PageSize = 1 });
        var next = await account.Client.ListBoundWorkspacesAsync(new ListBoundWorkspacesRequest { BillingAccountId = account.Id, PageToken = page.NextPageToken });
        var bound = page.Workspaces.Concat(next.Workspaces).ToList();
        Assert.Equal(new[] { first.Id, second.Id }.Order(StringComparer.Ordinal), bound.Select(w => w.WorkspaceId));
        Assert.Equal("cn4", bound.Single(w => w.WorkspaceId == second.Id).SiteCode);
        Assert.Equal("Observability", bound[0].Name);

        await RpcAssert.InvalidFields(() => account.Client.ListBoundWorkspacesAsync(new ListBoundWorkspacesRequest { BillingAccountId = account.Id, PageSize = -1 }), "page_size");
        await host.AssertCallersAsync(account, BillingAccess.AccountOrOperator, (client, id) => client.ListBoundWorkspacesAsync(new ListBoundWorkspacesRequest { BillingAccountId = id }));
    }
}
