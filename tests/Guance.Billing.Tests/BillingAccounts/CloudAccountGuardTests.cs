using Guance.Billing.BillingAccounts;
using Guance.Billing.Common;
using Guance.Billing.Identity;
using Guance.Billing.Tests.Wallets;
using Guance.Billing.Workspaces;
using Microsoft.Extensions.DependencyInjection;

namespace Guance.Billing.Tests.BillingAccounts;

public sealed class CloudAccountGuardTests
{
    private sealed class SettlingThrough(string cloudAccountId) : ICloudAccountGuard
    {
        public Task<IReadOnlyList<string>> WorkspacesSettlingThroughAsync(string id, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<string>>(id == cloudAccountId ? ["ws_01kb0000000000000000000001"] : []);
    }

    [Fact]
    public async Task A_cloud_account_that_a_workspace_settles_through_cannot_be_removed()
    {
        string? inUse = null;
        await using var bed = await WalletTestBed.CreateAsync(configure: s => s.AddScoped<ICloudAccountGuard>(_ => new SettlingThrough(inUse!)));
        var account = await bed.RegisterAsync();
        var caller = new Caller(CallerKind.BillingAccount, account, "bs_session");
        var added = await bed.InScopeAsync(s => s.GetRequiredService<CloudAccountManager>()
            .AddAsync(caller, account, CloudProvider.AlibabaCloud, "1234567890123456", "cmgj-1", null, CancellationToken.None));
        var free = await bed.InScopeAsync(s => s.GetRequiredService<CloudAccountManager>()
            .AddAsync(caller, account, CloudProvider.AlibabaCloud, "1234567890123456", "cmgj-2", null, CancellationToken.None));
        inUse = added.Id;

        var refused = await Assert.ThrowsAsync<BillingException>(() => bed.InScopeAsync(s => s.GetRequiredService<CloudAccountManager>()
            .RemoveAsync(caller, account, added.Id, CancellationToken.None)));
        Assert.Equal("CLOUD_ACCOUNT_IN_USE", refused.Reason);
        Assert.Equal("ws_01kb0000000000000000000001", refused.Metadata["workspace_ids"]);

        await bed.InScopeAsync(s => s.GetRequiredService<CloudAccountManager>().RemoveAsync(caller, account, free.Id, CancellationToken.None));
        var (left, _) = await bed.InScopeAsync(s => s.GetRequiredService<CloudAccountManager>().ListAsync(caller, account, 0, null, CancellationToken.None));
        Assert.Equal([added.Id], left.Select(c => c.Id));
    }
}
