using Grpc.Core;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.V1;
using static Guance.Billing.IntegrationTests.Settlement.SettlementRulesKit;
using CloudProvider = Guance.Billing.V1.CloudProvider;

namespace Guance.Billing.IntegrationTests.Settlement;

/// <summary>
/// ChangeSettlementMethod under every rule of docs/domain.md §7, each allowed and each refused case with
/// its precondition violation: the site (China 4 the billing center only, Alibaba-operated sites the
/// billing center or Alibaba Cloud, AWS-operated sites the billing center or AWS), the activation
/// channel, once per site-local calendar month, the cloud lock-in, the operator's arbitrary
/// selection; the cloud account's checks; RemoveCloudAccount while a workspace settles through it;
/// GetSettlement's fields. A refused change changes nothing.
/// </summary>
public sealed class SettlementMethodTests : IClassFixture<BillingHost>
{
    private const SettlementMethod Center = SettlementMethod.BillingCenter;
    private const SettlementMethod Alibaba = SettlementMethod.AlibabaCloud;
    private const SettlementMethod Aws = SettlementMethod.Aws;
    private const SettlementMethod Huawei = SettlementMethod.HuaweiCloud;
    private static readonly SettlementMethod[] Every = [Center, Alibaba, Aws, Huawei];

    private readonly BillingHost host;

    public SettlementMethodTests(BillingHost host)
    {
        this.host = host;
        host.WithLongSessions();
    }

    private static CloudProvider ProviderOf(SettlementMethod method) => method switch
    {
        Alibaba => CloudProvider.AlibabaCloud,
        Aws => CloudProvider.Aws,
        Huawei => CloudProvider.HuaweiCloud,
        _ => throw new ArgumentOutOfRangeException(nameof(method)),
    };

    private static string ContractName(SettlementMethod method) => method switch
    {
        Center => "SETTLEMENT_METHOD_BILLING_CENTER",
        Alibaba => "SETTLEMENT_METHOD_ALIBABA_CLOUD",
        Aws => "SETTLEMENT_METHOD_AWS",
        Huawei => "SETTLEMENT_METHOD_HUAWEI_CLOUD",
        _ => throw new ArgumentOutOfRangeException(nameof(method)),
    };

    private async Task<(TestWorkspace Workspace, TestBillingAccount Account)> CommercialAsync(string site = "cn1",
        ActivationChannel channel = ActivationChannel.OfficialWebsite)
    {
        var workspace = await host.CreateWorkspaceAsync(site, channel);
        var account = await host.UpgradeAsync(workspace);
        return (workspace, account);
    }

    [Theory]
    [InlineData("cn1", SettlementMethod.AlibabaCloud)]
    [InlineData("cn2", SettlementMethod.Aws)]
    [InlineData("cn4", null)]
    [InlineData("cn6", SettlementMethod.AlibabaCloud)]
    [InlineData("us1", SettlementMethod.Aws)]
    [InlineData("eu1", SettlementMethod.Aws)]
    [InlineData("ap1", SettlementMethod.Aws)]
    public async Task A_site_allows_the_billing_center_and_the_cloud_that_operates_it_only(string site, SettlementMethod? cloud)
    {
        var (workspace, account) = await CommercialAsync(site);
        var expected = cloud is { } c ? new[] { Center, c } : new[] { Center };
        var before = await host.SettlementAsync(workspace.Id);
        Assert.Equal(expected, before.AllowedMethods);

        foreach (var refused in Every.Except(expected))
        {
            var cloudAccount = await host.AddCloudAccountAsync(account.Id, ProviderOf(refused));
            var refusal = await RefusedAsync(() => workspace.Owner.Api.Settlement.ChangeSettlementMethodAsync(MethodRequest(workspace, refused, cloudAccount)),
                "SETTLEMENT_METHOD_NOT_ALLOWED", $"sites/{site}");
            Assert.Equal(ContractName(refused), refusal.Metadata["method"]);
            Assert.Equal(site, refusal.Metadata["site_code"]);
            Assert.Equal(before, await host.SettlementAsync(workspace.Id));
        }

        if (cloud is { } allowed)
        {
            var cloudAccount = await host.AddCloudAccountAsync(account.Id, ProviderOf(allowed));
            var changed = (await workspace.ChangeMethodAsync(allowed, cloudAccount)).Settlement;
            Assert.Equal(allowed, changed.Method);
            Assert.Equal(cloudAccount, changed.CloudAccountId);
            Assert.True(changed.CloudLockedIn);
            Assert.Equal(changed, await host.SettlementAsync(workspace.Id));
        }
    }

    [Theory]
    [InlineData("cn1", ActivationChannel.AlibabaCloudMarketplace, SettlementMethod.AlibabaCloud)]
    [InlineData("cn6", ActivationChannel.AlibabaCloudMarketplace, SettlementMethod.AlibabaCloud)]
    [InlineData("cn2", ActivationChannel.AwsMarketplace, SettlementMethod.Aws)]
    [InlineData("us1", ActivationChannel.AwsMarketplace, SettlementMethod.Aws)]
    // China 4 is the billing center only for workspaces of the official website; one activated through
    // the Huawei Cloud marketplace settles through Huawei Cloud (the only place that method exists).
    [InlineData("cn4", ActivationChannel.HuaweiCloudMarketplace, SettlementMethod.HuaweiCloud)]
    public async Task A_workspace_activated_through_a_marketplace_settles_only_through_that_cloud(string site, ActivationChannel channel, SettlementMethod cloud)
    {
        var (workspace, account) = await CommercialAsync(site, channel);
        var before = await host.SettlementAsync(workspace.Id);
        Assert.Equal(new[] { cloud }, before.AllowedMethods);
        // It settles through the cloud account its upgrade named (UpgradeAndBindingTests), and stays there.
        Assert.Equal(cloud, before.Method);
        Assert.True(before.CloudLockedIn);

        foreach (var refused in Every.Where(m => m != cloud && m != Center))
        {
            var other = await host.AddCloudAccountAsync(account.Id, ProviderOf(refused));
            var refusal = await RefusedAsync(() => workspace.Owner.Api.Settlement.ChangeSettlementMethodAsync(MethodRequest(workspace, refused, other)),
                "SETTLEMENT_METHOD_NOT_ALLOWED", $"sites/{site}");
            Assert.Contains("marketplace", refusal.Violation.Description);
            Assert.Equal(before, await host.SettlementAsync(workspace.Id));
        }

        await RefusedAsync(() => workspace.Owner.Api.Settlement.ChangeSettlementMethodAsync(MethodRequest(workspace, Center)),
            "SETTLEMENT_METHOD_NOT_ALLOWED", $"sites/{site}");
        var another = await host.AddCloudAccountAsync(account.Id, ProviderOf(cloud));
        await RefusedAsync(() => workspace.Owner.Api.Settlement.ChangeSettlementMethodAsync(MethodRequest(workspace, cloud, another)),
            "CLOUD_LOCK_IN", $"workspaces/{workspace.Id}");
        Assert.Equal(before, await host.SettlementAsync(workspace.Id));
    }

    [Fact]
    public async Task China_4_settles_through_the_billing_center_only_until_an_operator_allows_any_method()
    {
        var (workspace, account) = await CommercialAsync("cn4");
        var aws = await host.AddCloudAccountAsync(account.Id, CloudProvider.Aws);
        var huawei = await host.AddCloudAccountAsync(account.Id, CloudProvider.HuaweiCloud);
        await RefusedAsync(() => workspace.Owner.Api.Settlement.ChangeSettlementMethodAsync(MethodRequest(workspace, Huawei, huawei)),
            "SETTLEMENT_METHOD_NOT_ALLOWED", "sites/cn4");

        var enabled = (await host.Operator.Settlement.EnableArbitrarySettlementAsync(new EnableArbitrarySettlementRequest
        {
            WorkspaceId = workspace.Id, Enabled = true,
        })).Settlement;
        Assert.True(enabled.ArbitrarySelection);
        Assert.Equal(Every, enabled.AllowedMethods);
        Assert.Equal(Center, enabled.Method);
        // Enabling again changes nothing.
        Assert.Equal(enabled, (await host.Operator.Settlement.EnableArbitrarySettlementAsync(new EnableArbitrarySettlementRequest
        {
            WorkspaceId = workspace.Id, Enabled = true,
        })).Settlement);

        var changed = (await workspace.ChangeMethodAsync(Aws, aws)).Settlement;
        Assert.Equal(Aws, changed.Method);
        Assert.Equal(aws, changed.CloudAccountId);

        // Taking it back restores the site's rule for the future; the workspace stays where it is.
        var disabled = (await host.Operator.Settlement.EnableArbitrarySettlementAsync(new EnableArbitrarySettlementRequest
        {
            WorkspaceId = workspace.Id, Enabled = false,
        })).Settlement;
        Assert.False(disabled.ArbitrarySelection);
        Assert.Equal(new[] { Center }, disabled.AllowedMethods);
        Assert.Equal(Aws, disabled.Method);
    }

    [Fact]
    public async Task Arbitrary_selection_also_lifts_the_activation_channel()
    {
        var (workspace, account) = await CommercialAsync("cn1", ActivationChannel.AlibabaCloudMarketplace);
        var aws = await host.AddCloudAccountAsync(account.Id, CloudProvider.Aws);
        await RefusedAsync(() => workspace.Owner.Api.Settlement.ChangeSettlementMethodAsync(MethodRequest(workspace, Aws, aws)),
            "SETTLEMENT_METHOD_NOT_ALLOWED", "sites/cn1");
        await host.Operator.Settlement.EnableArbitrarySettlementAsync(new EnableArbitrarySettlementRequest { WorkspaceId = workspace.Id, Enabled = true });
        // It settles through its Alibaba Cloud account since the upgrade: it leaves it once that subscription ends.
        await host.CancelCloudSubscriptionAsync(workspace.Id);
        Assert.Equal(Aws, (await workspace.ChangeMethodAsync(Aws, aws)).Settlement.Method);
    }

    [Fact]
    public async Task EnableArbitrarySettlement_is_for_active_commercial_workspaces_and_checks_its_input()
    {
        var experience = await host.CreateWorkspaceAsync();
        await RefusedAsync(() => host.Operator.Settlement.EnableArbitrarySettlementAsync(new EnableArbitrarySettlementRequest
        {
            WorkspaceId = experience.Id, Enabled = true,
        }), "NOT_COMMERCIAL", $"workspaces/{experience.Id}");
        await RpcAssert.InvalidFields(() => host.Operator.Settlement.EnableArbitrarySettlementAsync(new EnableArbitrarySettlementRequest { WorkspaceId = "nope" }),
            "workspace_id");
        await RpcAssert.Fails(StatusCode.NotFound, () => host.Operator.Settlement.EnableArbitrarySettlementAsync(new EnableArbitrarySettlementRequest
        {
            WorkspaceId = Workspaces.WorkspaceSteps.UnknownWorkspaceId, Enabled = true,
        }), "WORKSPACE_NOT_FOUND");

        var (dissolved, _) = await CommercialAsync();
        await dissolved.Owner.Api.Workspaces.DissolveWorkspaceAsync(new DissolveWorkspaceRequest { WorkspaceId = dissolved.Id });
        await RefusedAsync(() => host.Operator.Settlement.EnableArbitrarySettlementAsync(new EnableArbitrarySettlementRequest
        {
            WorkspaceId = dissolved.Id, Enabled = true,
        }), "WORKSPACE_DISSOLVED", $"workspaces/{dissolved.Id}");
        Assert.False((await host.SettlementAsync(dissolved.Id)).ArbitrarySelection);
    }

    [Fact]
    public async Task On_a_cloud_account_a_workspace_moves_nowhere_until_the_subscription_is_cancelled()
    {
        var (workspace, account) = await CommercialAsync("cn1");
        var first = await host.AddCloudAccountAsync(account.Id, CloudProvider.AlibabaCloud);
        var second = await host.AddCloudAccountAsync(account.Id, CloudProvider.AlibabaCloud);
        var aws = await host.AddCloudAccountAsync(account.Id, CloudProvider.Aws);
        var onCloud = (await workspace.ChangeMethodAsync(Alibaba, first)).Settlement;
        Assert.True(onCloud.CloudLockedIn);

        // Back to the billing center, to another account of the same cloud, and (even with arbitrary
        // selection, which lifts only the site and channel rules) to another cloud: all refused.
        var toCenter = await RefusedAsync(() => workspace.Owner.Api.Settlement.ChangeSettlementMethodAsync(MethodRequest(workspace, Center)),
            "CLOUD_LOCK_IN", $"workspaces/{workspace.Id}");
        Assert.Equal(first, toCenter.Metadata["cloud_account_id"]);
        await RefusedAsync(() => workspace.Owner.Api.Settlement.ChangeSettlementMethodAsync(MethodRequest(workspace, Alibaba, second)),
            "CLOUD_LOCK_IN", $"workspaces/{workspace.Id}");
        await host.Operator.Settlement.EnableArbitrarySettlementAsync(new EnableArbitrarySettlementRequest { WorkspaceId = workspace.Id, Enabled = true });
        onCloud = await host.SettlementAsync(workspace.Id);
        await RefusedAsync(() => workspace.Owner.Api.Settlement.ChangeSettlementMethodAsync(MethodRequest(workspace, Aws, aws)),
            "CLOUD_LOCK_IN", $"workspaces/{workspace.Id}");
        // ChangeBinding is refused too: the cloud account belongs to the bound billing account.
        await RefusedAsync(() => workspace.Owner.Api.Settlement.ChangeBindingAsync(new ChangeBindingRequest
        {
            WorkspaceId = workspace.Id, BindingCode = "K7QM-3XPA-9WRT",
        }), "SETTLES_THROUGH_CLOUD_ACCOUNT", $"workspaces/{workspace.Id}");
        // Asking for what it already is changes nothing and is no refusal.
        Assert.Equal(onCloud, (await workspace.ChangeMethodAsync(Alibaba, first)).Settlement);
        Assert.Equal(onCloud, await host.SettlementAsync(workspace.Id));

        // Once the subscription is cancelled the lock-in ends (the month rule still holds: see below).
        await host.CancelCloudSubscriptionAsync(workspace.Id);
        Assert.False((await host.SettlementAsync(workspace.Id)).CloudLockedIn);
        await RefusedAsync(() => workspace.Owner.Api.Settlement.ChangeSettlementMethodAsync(MethodRequest(workspace, Center)),
            "SETTLEMENT_METHOD_CHANGED_THIS_MONTH", $"workspaces/{workspace.Id}");
        host.MoveClockTo(host.NextMonthStart("Asia/Shanghai"));
        var back = (await workspace.ChangeMethodAsync(Center)).Settlement;
        Assert.Equal(Center, back.Method);
        Assert.Equal("", back.CloudAccountId);
        Assert.False(back.CloudLockedIn);
    }

    [Fact]
    public async Task The_method_changes_once_per_site_local_calendar_month()
    {
        // The instant a month begins in Shanghai is still the last morning of the month in Los Angeles.
        var shanghaiMonth = host.NextMonthStart("Asia/Shanghai");
        host.MoveClockTo(shanghaiMonth.AddHours(-1));
        var (china, chinaAccount) = await CommercialAsync("cn1");
        var (oregon, oregonAccount) = await CommercialAsync("us1");

        // Asking for the current method is not a change and does not use the month's change up.
        await china.ChangeMethodAsync(Center);
        Assert.Null((await host.SettlementAsync(china.Id)).MethodChangeTime);

        var changedAt = host.Clock.GetUtcNow();
        var china1 = (await china.ChangeMethodAsync(Alibaba, await host.AddCloudAccountAsync(chinaAccount.Id, CloudProvider.AlibabaCloud))).Settlement;
        var oregon1 = (await oregon.ChangeMethodAsync(Aws, await host.AddCloudAccountAsync(oregonAccount.Id, CloudProvider.Aws))).Settlement;
        var chinaNext = LocalDay(shanghaiMonth, "Asia/Shanghai");
        var oregonNext = LocalDay(host.NextMonthStart("America/Los_Angeles"), "America/Los_Angeles");
        Assert.Equal(changedAt, china1.MethodChangeTime.ToDateTimeOffset());
        Assert.Equal(chinaNext, china1.NextMethodChangeDay.ToDateOnly());
        Assert.Equal(1, chinaNext.Day);
        Assert.Equal(oregonNext, oregon1.NextMethodChangeDay.ToDateOnly());
        await host.CancelCloudSubscriptionAsync(china.Id);
        await host.CancelCloudSubscriptionAsync(oregon.Id);

        // A second change in the same month is refused, to the last minute of the site's month.
        var refusal = await RefusedAsync(() => china.Owner.Api.Settlement.ChangeSettlementMethodAsync(MethodRequest(china, Center)),
            "SETTLEMENT_METHOD_CHANGED_THIS_MONTH", $"workspaces/{china.Id}");
        Assert.Equal(chinaNext.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), refusal.Metadata["next_change_day"]);
        host.MoveClockTo(shanghaiMonth.AddSeconds(-1));
        await RefusedAsync(() => china.Owner.Api.Settlement.ChangeSettlementMethodAsync(MethodRequest(china, Center)),
            "SETTLEMENT_METHOD_CHANGED_THIS_MONTH", $"workspaces/{china.Id}");
        Assert.Equal(china1.Method, (await host.SettlementAsync(china.Id)).Method);

        // At 00:00 of the 1st in Shanghai the Chinese workspace may change again; the Oregon one,
        // whose month has 16 more hours to run, may not.
        host.MoveClockTo(shanghaiMonth);
        var china2 = (await china.ChangeMethodAsync(Center)).Settlement;
        Assert.Equal(Center, china2.Method);
        Assert.Equal(LocalDay(host.NextMonthStart("Asia/Shanghai"), "Asia/Shanghai"), china2.NextMethodChangeDay.ToDateOnly());
        var oregonRefusal = await RefusedAsync(() => oregon.Owner.Api.Settlement.ChangeSettlementMethodAsync(MethodRequest(oregon, Center)),
            "SETTLEMENT_METHOD_CHANGED_THIS_MONTH", $"workspaces/{oregon.Id}");
        Assert.Equal(oregonNext.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), oregonRefusal.Metadata["next_change_day"]);
        Assert.Equal(Aws, (await host.SettlementAsync(oregon.Id)).Method);

        host.MoveClockTo(host.NextMonthStart("America/Los_Angeles"));
        Assert.Equal(Center, (await oregon.ChangeMethodAsync(Center)).Settlement.Method);
    }

    [Fact]
    public async Task No_change_while_the_billing_account_is_in_arrears()
    {
        var (workspace, account) = await CommercialAsync("cn1");
        var alibaba = await host.AddCloudAccountAsync(account.Id, CloudProvider.AlibabaCloud);
        // A charge of 10.00 on an empty wallet: 10.00 of arrears.
        await host.Operator.BillingAccounts.ChargeAsync(BillingCenterScenario.Charge(account.Id, ("logs", 10m)));
        var inArrears = await host.SettlementAsync(workspace.Id);
        Assert.Equal(host.Clock.GetUtcNow(), inArrears.ArrearsSince.ToDateTimeOffset());
        Assert.Equal(host.Clock.GetUtcNow().AddDays(14), inArrears.LockTime.ToDateTimeOffset());

        var refusal = await RefusedAsync(() => workspace.Owner.Api.Settlement.ChangeSettlementMethodAsync(MethodRequest(workspace, Alibaba, alibaba)),
            "ARREARS_OUTSTANDING", $"workspaces/{workspace.Id}");
        Assert.Equal(host.Clock.GetUtcNow().AddDays(14), DateTimeOffset.Parse(refusal.Metadata["lock_time"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(inArrears, await host.SettlementAsync(workspace.Id));

        await host.RechargeAsync(account.Id, 10m);
        Assert.Null((await host.SettlementAsync(workspace.Id)).LockTime);
        Assert.Equal(Alibaba, (await workspace.ChangeMethodAsync(Alibaba, alibaba)).Settlement.Method);
    }

    [Fact]
    public async Task The_cloud_account_must_be_the_bound_billing_accounts_own_and_of_that_cloud()
    {
        var (workspace, account) = await CommercialAsync("cn1");
        var stranger = await host.RegisterBillingAccountAsync("stranger");
        var strangers = await host.AddCloudAccountAsync(stranger.Id, CloudProvider.AlibabaCloud);
        var aws = await host.AddCloudAccountAsync(account.Id, CloudProvider.Aws);
        var removed = await host.AddCloudAccountAsync(account.Id, CloudProvider.AlibabaCloud);
        await host.Operator.BillingAccounts.RemoveCloudAccountAsync(new RemoveCloudAccountRequest { BillingAccountId = account.Id, CloudAccountId = removed });
        var before = await host.SettlementAsync(workspace.Id);

        await RpcAssert.Fails(StatusCode.NotFound, () => workspace.ChangeMethodAsync(Alibaba, strangers), "CLOUD_ACCOUNT_NOT_FOUND");
        await RpcAssert.Fails(StatusCode.NotFound, () => workspace.ChangeMethodAsync(Alibaba, removed), "CLOUD_ACCOUNT_NOT_FOUND");
        await RpcAssert.Fails(StatusCode.NotFound, () => workspace.ChangeMethodAsync(Alibaba, "ca_01kb0000000000000000000000"), "CLOUD_ACCOUNT_NOT_FOUND");
        var mismatch = await RefusedAsync(() => workspace.Owner.Api.Settlement.ChangeSettlementMethodAsync(MethodRequest(workspace, Alibaba, aws)),
            "CLOUD_PROVIDER_MISMATCH", $"cloud_accounts/{aws}");
        Assert.Equal(aws, mismatch.Metadata["cloud_account_id"]);
        Assert.Equal(before, await host.SettlementAsync(workspace.Id));
    }

    [Fact]
    public async Task ChangeSettlementMethod_names_every_invalid_field_and_needs_a_commercial_workspace()
    {
        var (workspace, account) = await CommercialAsync("cn1");
        var alibaba = await host.AddCloudAccountAsync(account.Id, CloudProvider.AlibabaCloud);
        var settlement = workspace.Owner.Api.Settlement;
        await RpcAssert.InvalidFields(() => settlement.ChangeSettlementMethodAsync(new ChangeSettlementMethodRequest { WorkspaceId = "ws" }), "workspace_id", "method");
        await RpcAssert.InvalidFields(() => settlement.ChangeSettlementMethodAsync(MethodRequest(workspace, (SettlementMethod)9, alibaba)), "method");
        await RpcAssert.InvalidFields(() => settlement.ChangeSettlementMethodAsync(MethodRequest(workspace, Alibaba)), "cloud_account_id");
        await RpcAssert.InvalidFields(() => settlement.ChangeSettlementMethodAsync(MethodRequest(workspace, Alibaba, "not-an-id")), "cloud_account_id");
        await RpcAssert.InvalidFields(() => settlement.ChangeSettlementMethodAsync(MethodRequest(workspace, Center, alibaba)), "cloud_account_id");
        Assert.Equal(Center, (await host.SettlementAsync(workspace.Id)).Method);

        var experience = await host.CreateWorkspaceAsync("cn1");
        await RefusedAsync(() => experience.Owner.Api.Settlement.ChangeSettlementMethodAsync(MethodRequest(experience, Center)),
            "NOT_COMMERCIAL", $"workspaces/{experience.Id}");
    }

    [Fact]
    public async Task A_cloud_account_cannot_be_removed_while_a_workspace_settles_through_it()
    {
        var (workspace, account) = await CommercialAsync("cn2");
        var used = await host.AddCloudAccountAsync(account.Id, CloudProvider.Aws);
        var spare = await host.AddCloudAccountAsync(account.Id, CloudProvider.Aws);
        await workspace.ChangeMethodAsync(Aws, used);

        var refusal = await RefusedAsync(() => account.Client.RemoveCloudAccountAsync(new RemoveCloudAccountRequest { BillingAccountId = account.Id, CloudAccountId = used }),
            "CLOUD_ACCOUNT_IN_USE", $"cloud_accounts/{used}");
        Assert.Equal(workspace.Id, refusal.Metadata["workspace_ids"]);
        await RefusedAsync(() => host.Operator.BillingAccounts.RemoveCloudAccountAsync(new RemoveCloudAccountRequest { BillingAccountId = account.Id, CloudAccountId = used }),
            "CLOUD_ACCOUNT_IN_USE", $"cloud_accounts/{used}");
        var listed = await account.Client.ListCloudAccountsAsync(new ListCloudAccountsRequest { BillingAccountId = account.Id });
        Assert.Equal(new[] { used, spare }, listed.CloudAccounts.Select(c => c.CloudAccountId));

        // An account no workspace settles through goes at once.
        await account.Client.RemoveCloudAccountAsync(new RemoveCloudAccountRequest { BillingAccountId = account.Id, CloudAccountId = spare });

        // Once the workspace has left it (subscription cancelled, next month), it can go too.
        await host.CancelCloudSubscriptionAsync(workspace.Id);
        await RefusedAsync(() => account.Client.RemoveCloudAccountAsync(new RemoveCloudAccountRequest { BillingAccountId = account.Id, CloudAccountId = used }),
            "CLOUD_ACCOUNT_IN_USE", $"cloud_accounts/{used}");
        host.MoveClockTo(host.NextMonthStart("Asia/Shanghai"));
        await workspace.ChangeMethodAsync(Center);
        await account.Client.RemoveCloudAccountAsync(new RemoveCloudAccountRequest { BillingAccountId = account.Id, CloudAccountId = used });
        Assert.Empty((await account.Client.ListCloudAccountsAsync(new ListCloudAccountsRequest { BillingAccountId = account.Id })).CloudAccounts);
    }

    [Fact]
    public async Task One_cloud_account_settles_workspaces_of_several_sites()
    {
        var account = await host.RegisterBillingAccountAsync("multi-site");
        var alibaba = await host.AddCloudAccountAsync(account.Id, CloudProvider.AlibabaCloud);
        var aws = await host.AddCloudAccountAsync(account.Id, CloudProvider.Aws);
        foreach (var (site, method, cloudAccount) in new[] { ("cn1", Alibaba, alibaba), ("cn6", Alibaba, alibaba), ("cn2", Aws, aws), ("us1", Aws, aws), ("eu1", Aws, aws) })
        {
            var workspace = await host.CreateWorkspaceAsync(site);
            await host.UpgradeAsync(workspace, account);
            var changed = (await workspace.ChangeMethodAsync(method, cloudAccount)).Settlement;
            Assert.Equal(method, changed.Method);
            Assert.Equal(cloudAccount, changed.CloudAccountId);
        }
        var refusal = await RefusedAsync(() => account.Client.RemoveCloudAccountAsync(new RemoveCloudAccountRequest { BillingAccountId = account.Id, CloudAccountId = aws }),
            "CLOUD_ACCOUNT_IN_USE", $"cloud_accounts/{aws}");
        Assert.Equal(3, refusal.Metadata["workspace_ids"].Split(',').Length);
    }

    [Fact]
    public async Task Concurrent_changes_in_one_month_let_exactly_one_through()
    {
        var (workspace, account) = await CommercialAsync("cn1");
        var cloudAccounts = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            cloudAccounts.Add(await host.AddCloudAccountAsync(account.Id, CloudProvider.AlibabaCloud));
        }
        var attempts = cloudAccounts.Select(async id =>
        {
            try
            {
                return (Id: id, Error: (RpcException?)null, Settlement: (await workspace.ChangeMethodAsync(Alibaba, id)).Settlement);
            }
            catch (RpcException e)
            {
                return (Id: id, Error: e, Settlement: (Guance.Billing.V1.Settlement?)null);
            }
        }).ToList();
        var results = await Task.WhenAll(attempts);

        var winner = Assert.Single(results, r => r.Error is null);
        Assert.All(results.Where(r => r.Error is not null), r => Assert.True(
            r.Error!.StatusCode is StatusCode.Aborted or StatusCode.FailedPrecondition, $"{r.Error.StatusCode}: {r.Error.Status.Detail}"));
        var settlement = await host.SettlementAsync(workspace.Id);
        Assert.Equal(winner.Id, settlement.CloudAccountId);
        Assert.Equal(winner.Settlement, settlement);
    }

    [Fact]
    public async Task A_cloud_account_removed_while_a_workspace_moves_onto_it_ends_with_one_of_the_two()
    {
        var account = await host.RegisterBillingAccountAsync("race");
        var workspaces = new List<TestWorkspace>();
        for (var i = 0; i < 12; i++)
        {
            var workspace = await host.CreateWorkspaceAsync("cn1");
            await host.UpgradeAsync(workspace, account);
            workspaces.Add(workspace);
        }
        foreach (var workspace in workspaces)
        {
            var cloudAccount = await host.AddCloudAccountAsync(account.Id, CloudProvider.AlibabaCloud);
            async Task<bool> Succeeds(Func<Task> call)
            {
                try
                {
                    await call();
                    return true;
                }
                catch (RpcException e) when (e.StatusCode is StatusCode.NotFound or StatusCode.FailedPrecondition or StatusCode.Aborted)
                {
                    return false;
                }
            }
            var change = Succeeds(() => workspace.ChangeMethodAsync(Alibaba, cloudAccount));
            var remove = Succeeds(() => account.Client.RemoveCloudAccountAsync(new RemoveCloudAccountRequest { BillingAccountId = account.Id, CloudAccountId = cloudAccount }).ResponseAsync);
            var (changed, removed) = (await change, await remove);

            // Never both: a workspace settling through a removed cloud account could not be billed.
            Assert.True(changed != removed, $"changed: {changed}, removed: {removed}");
            var listed = (await account.Client.ListCloudAccountsAsync(new ListCloudAccountsRequest { BillingAccountId = account.Id, PageSize = 1000 }))
                .CloudAccounts.Select(c => c.CloudAccountId).ToList();
            var settlement = await host.SettlementAsync(workspace.Id);
            Assert.Equal(changed ? Alibaba : Center, settlement.Method);
            Assert.Equal(changed, listed.Contains(cloudAccount));
        }
    }

    [Fact]
    public async Task GetSettlement_shows_binding_method_rules_and_countdown()
    {
        var experience = await host.CreateWorkspaceAsync("cn1");
        var before = (await experience.Owner.Api.Settlement.GetSettlementAsync(new GetSettlementRequest { WorkspaceId = experience.Id })).Settlement;
        Assert.Equal(experience.Id, before.WorkspaceId);
        Assert.Equal(Plan.Experience, before.Plan);
        Assert.Null(before.UpgradeTime);
        Assert.Equal("", before.BillingAccountId);
        Assert.Equal("", before.BillingAccountUsername);
        Assert.Null(before.BindTime);
        Assert.Equal(SettlementMethod.Unspecified, before.Method);
        Assert.Empty(before.AllowedMethods);
        Assert.False(before.Locked);

        var upgradedAt = host.Clock.GetUtcNow();
        var account = await host.UpgradeAsync(experience);
        var today = LocalDay(upgradedAt, "Asia/Shanghai");
        var settlement = (await experience.Administrator.Api.Settlement.GetSettlementAsync(new GetSettlementRequest { WorkspaceId = experience.Id })).Settlement;
        Assert.Equal(new Guance.Billing.V1.Settlement
        {
            WorkspaceId = experience.Id,
            Plan = Plan.Commercial,
            UpgradeTime = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(upgradedAt),
            BillingAccountId = account.Id,
            BillingAccountUsername = account.Username,
            BindTime = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(upgradedAt),
            Method = Center,
            CloudAccountId = "",
            ArbitrarySelection = false,
            AllowedMethods = { Center, Alibaba },
            NextMethodChangeDay = SettlementScenario.Day(today),
            CloudLockedIn = false,
            Locked = false,
        }, settlement);

        host.Clock.Advance(TimeSpan.FromMinutes(5));
        var changedAt = host.Clock.GetUtcNow();
        var alibaba = await host.AddCloudAccountAsync(account.Id, CloudProvider.AlibabaCloud);
        var changed = (await experience.ChangeMethodAsync(Alibaba, alibaba)).Settlement;
        var thisMonth = LocalDay(changedAt, "Asia/Shanghai");
        Assert.Equal(Alibaba, changed.Method);
        Assert.Equal(alibaba, changed.CloudAccountId);
        Assert.Equal(changedAt, changed.MethodChangeTime.ToDateTimeOffset());
        Assert.Equal(new DateOnly(thisMonth.Year, thisMonth.Month, 1).AddMonths(1), changed.NextMethodChangeDay.ToDateOnly());
        Assert.True(changed.CloudLockedIn);
        Assert.Equal(upgradedAt, changed.BindTime.ToDateTimeOffset());
        Assert.Equal(changed, (await experience.Owner.Api.Settlement.GetSettlementAsync(new GetSettlementRequest { WorkspaceId = experience.Id })).Settlement);
    }
}
