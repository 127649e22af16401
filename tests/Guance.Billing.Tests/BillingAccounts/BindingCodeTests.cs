using Guance.Billing.BillingAccounts;
using Guance.Billing.Common;
using Guance.Billing.Identity;
using Guance.Billing.Tests.Wallets;
using Microsoft.Extensions.DependencyInjection;

namespace Guance.Billing.Tests.BillingAccounts;

public sealed class BindingCodeTests
{
    private const string Workspace = "ws_01kb0000000000000000000001";

    private static Task<BindingCodeGrant> CreateAsync(WalletTestBed bed, string accountId) =>
        bed.InScopeAsync(s => s.GetRequiredService<BindingCodeManager>()
            .CreateAsync(new Caller(CallerKind.BillingAccount, accountId, "bs_session"), accountId, CancellationToken.None));

    private static Task<BindingCodeRedemption> RedeemAsync(WalletTestBed bed, string code, string workspaceId = Workspace) =>
        bed.InScopeAsync(s => s.GetRequiredService<BindingCodeManager>().RedeemBindingCodeAsync(code, workspaceId, CancellationToken.None));

    [Fact]
    public async Task A_code_names_its_account_once()
    {
        await using var bed = await WalletTestBed.CreateAsync();
        var account = await bed.RegisterAsync();
        var grant = await CreateAsync(bed, account);

        var redeemed = await RedeemAsync(bed, grant.Code.Replace("-", " ").ToLowerInvariant());
        Assert.Equal(account, redeemed.BillingAccountId);
        Assert.Equal(grant.BindingCode.Id, redeemed.BindingCodeId);

        var again = await Assert.ThrowsAsync<BillingException>(() => RedeemAsync(bed, grant.Code, "ws_01kb0000000000000000000002"));
        Assert.Equal("BINDING_CODE_USED", again.Reason);
        Assert.Equal(ErrorKind.FailedPrecondition, again.Kind);
    }

    [Fact]
    public async Task A_code_expires_after_its_lifetime()
    {
        await using var bed = await WalletTestBed.CreateAsync(new() { ["Guance:BillingCenter:BindingCodeLifetime"] = "00:05:00" });
        var account = await bed.RegisterAsync();
        var grant = await CreateAsync(bed, account);
        Assert.Equal(bed.Clock.GetUtcNow().AddMinutes(5), grant.BindingCode.ExpiresAt);

        bed.Clock.Advance(TimeSpan.FromMinutes(5));
        var expired = await Assert.ThrowsAsync<BillingException>(() => RedeemAsync(bed, grant.Code));
        Assert.Equal("BINDING_CODE_EXPIRED", expired.Reason);

        // A fresh one works, just before its end.
        var fresh = await CreateAsync(bed, account);
        bed.Clock.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromTicks(10));
        Assert.Equal(account, (await RedeemAsync(bed, fresh.Code)).BillingAccountId);
    }

    [Fact]
    public async Task Unknown_and_malformed_codes_are_refused()
    {
        await using var bed = await WalletTestBed.CreateAsync();
        var unknown = await Assert.ThrowsAsync<BillingException>(() => RedeemAsync(bed, "AAAA-BBBB-CCCC"));
        Assert.Equal("BINDING_CODE_INVALID", unknown.Reason);
        var malformed = await Assert.ThrowsAsync<BillingException>(() => RedeemAsync(bed, "not a code", "bad"));
        Assert.Equal(["binding_code", "workspace_id"], malformed.FieldViolations.Select(v => v.Field).Order());
    }

    [Fact]
    public async Task Two_workspaces_racing_for_one_code_get_it_once()
    {
        await using var bed = await WalletTestBed.CreateAsync();
        var account = await bed.RegisterAsync();
        var grant = await CreateAsync(bed, account);
        var attempts = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
        {
            try
            {
                await RedeemAsync(bed, grant.Code, $"ws_01kb000000000000000000000{i}");
                return true;
            }
            catch (BillingException e) when (e.Reason == "BINDING_CODE_USED")
            {
                return false;
            }
        })));
        Assert.Single(attempts, won => won);
    }
}
