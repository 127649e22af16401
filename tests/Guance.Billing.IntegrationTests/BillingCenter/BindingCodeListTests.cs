using Grpc.Core;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.V1;

namespace Guance.Billing.IntegrationTests.BillingCenter;

/// <summary>
/// ListBindingCodes and RevokeBindingCode (docs/domain.md §1, §2): the account's codes with their state,
/// and the revocation of an unused code, after which the code binds no workspace.
/// </summary>
public sealed class BindingCodeListTests : IClassFixture<BillingHost>
{
    private readonly BillingHost host;

    public BindingCodeListTests(BillingHost host)
    {
        this.host = host;
        host.Settings["Guance:Wallet:ExpiryJobEnabled"] = "false";
        host.Settings["Guance:BillingCenter:SessionLifetime"] = "365.00:00:00";
    }

    private static async Task<CreateBindingCodeResponse> CreateAsync(TestBillingAccount account) =>
        await account.Client.CreateBindingCodeAsync(new CreateBindingCodeRequest { BillingAccountId = account.Id });

    private static RevokeBindingCodeRequest Revoke(TestBillingAccount account, string codeId) => new() { BillingAccountId = account.Id, BindingCodeId = codeId };

    [Fact]
    public async Task The_list_shows_each_code_s_state_newest_first_page_by_page()
    {
        var account = await host.RegisterBillingAccountAsync("codes");
        var expired = await CreateAsync(account);
        host.Clock.Advance(TimeSpan.FromMinutes(11));
        var used = await CreateAsync(account);
        var workspace = await host.CreateWorkspaceAsync();
        await workspace.Owner.Api.Settlement.UpgradeToCommercialAsync(new UpgradeToCommercialRequest { WorkspaceId = workspace.Id, BindingCode = used.BindingCode });
        var usedAt = host.Clock.GetUtcNow();
        host.Clock.Advance(TimeSpan.FromSeconds(1));
        var revoked = await CreateAsync(account);
        await account.Client.RevokeBindingCodeAsync(Revoke(account, revoked.BindingCodeId));
        var unused = await CreateAsync(account);

        var first = await account.Client.ListBindingCodesAsync(new ListBindingCodesRequest { BillingAccountId = account.Id, PageSize = 3 });
        var second = await account.Client.ListBindingCodesAsync(new ListBindingCodesRequest { BillingAccountId = account.Id, PageSize = 3, PageToken = first.NextPageToken });
        Assert.Equal("", second.NextPageToken);
        var codes = first.BindingCodes.Concat(second.BindingCodes).ToList();
        Assert.Equal(
            [(unused.BindingCodeId, BindingCodeState.Unused), (revoked.BindingCodeId, BindingCodeState.Revoked),
             (used.BindingCodeId, BindingCodeState.Used), (expired.BindingCodeId, BindingCodeState.Expired)],
            codes.Select(c => (c.BindingCodeId, c.State)));
        Assert.All(codes, c => Assert.Equal(account.Id, c.BillingAccountId));
        Assert.Equal(unused.ExpireTime, codes[0].ExpireTime);
        Assert.Equal(unused.ExpireTime.ToDateTimeOffset() - TimeSpan.FromMinutes(10), codes[0].CreateTime.ToDateTimeOffset());
        Assert.Equal((workspace.Id, usedAt), (codes[2].UsedByWorkspaceId, codes[2].UseTime.ToDateTimeOffset()));
        Assert.Equal(("", null, null), (codes[0].UsedByWorkspaceId, codes[0].UseTime, codes[0].RevokeTime));
        Assert.NotNull(codes[1].RevokeTime);
        // Another account's list has none of them.
        var other = await host.RegisterBillingAccountAsync("codes-other");
        Assert.Empty((await other.Client.ListBindingCodesAsync(new ListBindingCodesRequest { BillingAccountId = other.Id })).BindingCodes);
    }

    [Fact]
    public async Task A_revoked_code_binds_no_workspace_and_revoking_it_again_answers_the_same()
    {
        var account = await host.RegisterBillingAccountAsync("revoke");
        var code = await CreateAsync(account);
        var revoked = await account.Client.RevokeBindingCodeAsync(Revoke(account, code.BindingCodeId));
        Assert.Equal((BindingCodeState.Revoked, host.Clock.GetUtcNow()), (revoked.BindingCode.State, revoked.BindingCode.RevokeTime.ToDateTimeOffset()));
        host.Clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(revoked, await account.Client.RevokeBindingCodeAsync(Revoke(account, code.BindingCodeId)));
        Assert.Equal(revoked, await host.Operator.BillingAccounts.RevokeBindingCodeAsync(Revoke(account, code.BindingCodeId)));

        // The Owner's upgrade with it is refused and changes nothing; a fresh code still works.
        var workspace = await host.CreateWorkspaceAsync();
        await RpcAssert.Precondition(() => workspace.Owner.Api.Settlement.UpgradeToCommercialAsync(new UpgradeToCommercialRequest
        {
            WorkspaceId = workspace.Id, BindingCode = code.BindingCode,
        }), "BINDING_CODE_REVOKED");
        var listed = (await account.Client.ListBindingCodesAsync(new ListBindingCodesRequest { BillingAccountId = account.Id })).BindingCodes;
        Assert.Equal(revoked.BindingCode, Assert.Single(listed));
        Assert.Empty((await account.Client.ListBoundWorkspacesAsync(new ListBoundWorkspacesRequest { BillingAccountId = account.Id })).Workspaces);
        await host.UpgradeAsync(workspace, account);
        Assert.Single((await account.Client.ListBoundWorkspacesAsync(new ListBoundWorkspacesRequest { BillingAccountId = account.Id })).Workspaces);
    }

    [Fact]
    public async Task A_used_or_expired_code_cannot_be_revoked_and_stays_as_it_was()
    {
        var account = await host.RegisterBillingAccountAsync("revoke-late");
        var used = await CreateAsync(account);
        var workspace = await host.CreateWorkspaceAsync();
        await workspace.Owner.Api.Settlement.UpgradeToCommercialAsync(new UpgradeToCommercialRequest { WorkspaceId = workspace.Id, BindingCode = used.BindingCode });
        await RpcAssert.Precondition(() => account.Client.RevokeBindingCodeAsync(Revoke(account, used.BindingCodeId)), "BINDING_CODE_USED");

        var expired = await CreateAsync(account);
        host.Clock.Advance(TimeSpan.FromMinutes(10));
        await RpcAssert.Precondition(() => account.Client.RevokeBindingCodeAsync(Revoke(account, expired.BindingCodeId)), "BINDING_CODE_EXPIRED");

        var codes = (await account.Client.ListBindingCodesAsync(new ListBindingCodesRequest { BillingAccountId = account.Id })).BindingCodes;
        Assert.Equal([BindingCodeState.Expired, BindingCodeState.Used], codes.Select(c => c.State));
        Assert.All(codes, c => Assert.Null(c.RevokeTime));
    }

    [Fact]
    public async Task A_revocation_and_an_upgrade_at_the_same_moment_never_both_succeed()
    {
        var account = await host.RegisterBillingAccountAsync("revoke-race");
        var code = await CreateAsync(account);
        var workspace = await host.CreateWorkspaceAsync();

        var upgrade = Succeeds(workspace.Owner.Api.Settlement.UpgradeToCommercialAsync(new UpgradeToCommercialRequest { WorkspaceId = workspace.Id, BindingCode = code.BindingCode }));
        var revoke = Succeeds(account.Client.RevokeBindingCodeAsync(Revoke(account, code.BindingCodeId)));
        var (upgraded, revoked) = (await upgrade, await revoke);

        Assert.True(upgraded ^ revoked, $"upgraded {upgraded}, revoked {revoked}");
        var listed = Assert.Single((await account.Client.ListBindingCodesAsync(new ListBindingCodesRequest { BillingAccountId = account.Id })).BindingCodes);
        Assert.Equal(upgraded ? BindingCodeState.Used : BindingCodeState.Revoked, listed.State);
        var bound = (await account.Client.ListBoundWorkspacesAsync(new ListBoundWorkspacesRequest { BillingAccountId = account.Id })).Workspaces;
        Assert.Equal(upgraded ? 1 : 0, bound.Count);
    }

    /// <summary>True when the call succeeds, false when it fails with FAILED_PRECONDITION (the other call won).</summary>
    private static async Task<bool> Succeeds<T>(AsyncUnaryCall<T> call)
    {
        try
        {
            await call;
            return true;
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.FailedPrecondition)
        {
            return false;
        }
        finally
        {
            call.Dispose();
        }
    }

    [Fact]
    public async Task Bad_requests_name_their_fields_and_another_account_s_code_is_not_found()
    {
        var account = await host.RegisterBillingAccountAsync("codes-bad");
        var code = await CreateAsync(account);
        var client = account.Client;
        await RpcAssert.InvalidFields(() => client.RevokeBindingCodeAsync(new RevokeBindingCodeRequest()), "billing_account_id", "binding_code_id");
        await RpcAssert.InvalidFields(() => client.RevokeBindingCodeAsync(Revoke(account, "ws_01kb0000000000000000000000")), "binding_code_id");
        await RpcAssert.InvalidFields(() => client.ListBindingCodesAsync(new ListBindingCodesRequest
        {
            BillingAccountId = account.Id, PageSize = -1, PageToken = "not-a-token",
        }), "page_size", "page_token");
        await RpcAssert.InvalidFields(() => client.ListBindingCodesAsync(new ListBindingCodesRequest { BillingAccountId = "x" }), "billing_account_id");

        // Another account naming its own id and this account's code: the code is not found (and stays unused).
        var other = await host.RegisterBillingAccountAsync("codes-thief");
        await RpcAssert.Fails(StatusCode.NotFound, () => other.Client.RevokeBindingCodeAsync(Revoke(other, code.BindingCodeId)), "BINDING_CODE_NOT_FOUND");
        await RpcAssert.Fails(StatusCode.NotFound, () => host.Operator.BillingAccounts.RevokeBindingCodeAsync(Revoke(other, code.BindingCodeId)), "BINDING_CODE_NOT_FOUND");
        await RpcAssert.Fails(StatusCode.NotFound, () => client.RevokeBindingCodeAsync(Revoke(account, "bc_01kb0000000000000000000000")), "BINDING_CODE_NOT_FOUND");
        var listed = (await client.ListBindingCodesAsync(new ListBindingCodesRequest { BillingAccountId = account.Id })).BindingCodes;
        Assert.Equal(BindingCodeState.Unused, Assert.Single(listed).State);
    }

    [Fact]
    public async Task Listing_and_revoking_are_for_the_account_s_session_or_the_operator()
    {
        var account = await host.RegisterBillingAccountAsync("codes-who");
        var code = await CreateAsync(account);
        await host.AssertCallersAsync(account, BillingAccess.AccountOrOperator,
            (client, id) => client.ListBindingCodesAsync(new ListBindingCodesRequest { BillingAccountId = id }));
        // Revoking again answers the same, so the allowed callers may repeat it.
        await host.AssertCallersAsync(account, BillingAccess.AccountOrOperator,
            (client, id) => client.RevokeBindingCodeAsync(new RevokeBindingCodeRequest { BillingAccountId = id, BindingCodeId = code.BindingCodeId }));
    }
}
