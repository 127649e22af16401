using Grpc.Core;
using Guance.Billing.IntegrationTests.Cloud;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.IntegrationTests.Usage;
using Guance.Billing.V1;
using static Guance.Billing.IntegrationTests.Infrastructure.BillingCenterScenario;
using static Guance.Billing.IntegrationTests.Settlement.SettlementRulesKit;
using static Guance.Billing.IntegrationTests.Usage.UsageTestKit;

namespace Guance.Billing.IntegrationTests.Settlement;

/// <summary>
/// UpgradeToCommercial (docs/domain.md §2: Owner only, a one-time expiring binding code, irreversible,
/// experience usage neither billed nor shown afterwards) and ChangeBinding (§1: only between billing
/// accounts certified for the same enterprise; bills already written stay with the old account).
/// Every refusal is FAILED_PRECONDITION with its PreconditionFailure, and changes nothing: the
/// binding code of a refused call is not used up.
/// </summary>
public sealed class UpgradeAndBindingTests : IClassFixture<BillingHost>
{
    private const string Shanghai = "Asia/Shanghai";
    private readonly BillingHost host;

    public UpgradeAndBindingTests(BillingHost host)
    {
        this.host = host;
        host.WithLongSessions();
    }

    private DateTimeOffset Now => host.Clock.GetUtcNow();

    private static DateTimeOffset At(DateOnly day, int hour, int minute = 0) => new(day.ToDateTime(new TimeOnly(hour, minute)), TimeSpan.FromHours(8));

    private static UpgradeToCommercialRequest Upgrade(TestWorkspace workspace, string code) => new() { WorkspaceId = workspace.Id, BindingCode = code };

    private async Task<Workspace> WorkspaceAsync(string id) =>
        (await host.Operator.Workspaces.GetWorkspaceAsync(new GetWorkspaceRequest { WorkspaceId = id })).Workspace;

    // ---- UpgradeToCommercial ----

    [Fact]
    public async Task The_Owner_upgrades_binds_and_settles_through_the_billing_center()
    {
        var workspace = await host.CreateWorkspaceAsync("cn1");
        var account = await host.RegisterBillingAccountAsync("payer");
        var upgradedAt = Now;
        var response = await workspace.Owner.Api.Settlement.UpgradeToCommercialAsync(Upgrade(workspace, await account.BindingCodeAsync()));

        Assert.Equal(Plan.Commercial, response.Workspace.Plan);
        Assert.Equal(upgradedAt, response.Workspace.UpgradeTime.ToDateTimeOffset());
        // The commercial retention defaults take effect at once: metrics 7, logs 14, APM 7, RUM 7 days.
        Assert.Equal(new Dictionary<DataType, int> { [DataType.Metrics] = 7, [DataType.Logs] = 14, [DataType.Apm] = 7, [DataType.Rum] = 7 },
            response.Workspace.Retentions.ToDictionary(r => r.DataType, r => r.Days));
        var settlement = response.Settlement;
        Assert.Equal(account.Id, settlement.BillingAccountId);
        Assert.Equal(account.Username, settlement.BillingAccountUsername);
        Assert.Equal(SettlementMethod.BillingCenter, settlement.Method);
        Assert.Equal(upgradedAt, settlement.BindTime.ToDateTimeOffset());
        Assert.Equal(settlement, await host.SettlementAsync(workspace.Id));
        var bound = await account.Client.ListBoundWorkspacesAsync(new ListBoundWorkspacesRequest { BillingAccountId = account.Id });
        Assert.Equal(new[] { workspace.Id }, bound.Workspaces.Select(w => w.WorkspaceId));

        // The upgrade is a notice (docs/domain.md §9) to the paying account, the Owner and the Administrators, each once,
        // in the site's language and time zone, with when the billing starts.
        var notices = (await host.Operator.BillingAccounts.ListNotificationsAsync(new ListNotificationsRequest
        {
            BillingAccountId = account.Id, Kinds = { NotificationKind.WorkspaceUpgraded },
        })).Notifications;
        Assert.Equal(new[] { account.Account.Email, workspace.Owner.Email, workspace.Administrator.Email }.Order(StringComparer.Ordinal),
            notices.Select(n => n.Recipient).Order(StringComparer.Ordinal));
        Assert.All(notices, n =>
        {
            Assert.Equal($"工作空间 {workspace.Workspace.Name} 已升级为商业版", n.Subject);
            Assert.Contains(workspace.Id, n.Body, StringComparison.Ordinal);
            Assert.Contains(upgradedAt.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture) + " (UTC+08:00)", n.Body, StringComparison.Ordinal);
            Assert.Contains(account.Username, n.Body, StringComparison.Ordinal);
            Assert.DoesNotContain("云市场", n.Body, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task Only_the_Owner_upgrades_and_a_refused_call_leaves_the_code_unused()
    {
        var workspace = await host.CreateWorkspaceAsync("cn1");
        var account = await host.RegisterBillingAccountAsync("payer");
        var code = await account.BindingCodeAsync();

        var administrator = await RpcAssert.Fails(StatusCode.PermissionDenied, () => workspace.Administrator.Api.Settlement.UpgradeToCommercialAsync(Upgrade(workspace, code)), "ROLE_NOT_PERMITTED");
        // The refusal says who may: the Owner only.
        Assert.Equal("The Administrator role may not do this in this workspace: only the Owner may.", administrator.Status.Detail);
        Assert.Equal("Owner", administrator.GetRpcStatus()!.GetDetail<Google.Rpc.ErrorInfo>().Metadata["required_role"]);
        await RpcAssert.Fails(StatusCode.PermissionDenied, () => workspace.Standard.Api.Settlement.UpgradeToCommercialAsync(Upgrade(workspace, code)), "ROLE_NOT_PERMITTED");
        await RpcAssert.Fails(StatusCode.PermissionDenied, () => workspace.ReadOnly.Api.Settlement.UpgradeToCommercialAsync(Upgrade(workspace, code)), "ROLE_NOT_PERMITTED");
        await RpcAssert.Fails(StatusCode.NotFound, () => workspace.Outsider.Api.Settlement.UpgradeToCommercialAsync(Upgrade(workspace, code)), "WORKSPACE_NOT_FOUND");
        await RpcAssert.Fails(StatusCode.Unauthenticated, () => host.Api().Settlement.UpgradeToCommercialAsync(Upgrade(workspace, code)), "TOKEN_MISSING");
        // The billing account's own session consents by its code; it is no member of the workspace.
        var session = await RpcAssert.Fails(StatusCode.PermissionDenied, () => account.Api.Settlement.UpgradeToCommercialAsync(Upgrade(workspace, code)), "CONSOLE_USER_REQUIRED");
        // It names the one token that may, not the operator's, which is refused the Owner's actions too.
        Assert.Equal("Only the workspace Owner may do this: call with the Owner's console user token.", session.Status.Detail);
        Assert.Equal(Plan.Experience, (await WorkspaceAsync(workspace.Id)).Plan);

        await workspace.Owner.Api.Settlement.UpgradeToCommercialAsync(Upgrade(workspace, code));
        Assert.Equal(Plan.Commercial, (await WorkspaceAsync(workspace.Id)).Plan);
    }

    [Fact]
    public async Task A_binding_code_works_once_and_not_after_it_expires()
    {
        var account = await host.RegisterBillingAccountAsync("payer");
        var first = await host.CreateWorkspaceAsync("cn1");
        var second = await host.CreateWorkspaceAsync("cn2");
        var code = await account.BindingCodeAsync();
        // Lower case and without dashes is the same code.
        await first.Owner.Api.Settlement.UpgradeToCommercialAsync(Upgrade(first, code.Replace("-", "").ToLowerInvariant()));

        await RefusedAsync(() => second.Owner.Api.Settlement.UpgradeToCommercialAsync(Upgrade(second, code)), "BINDING_CODE_USED", "binding_code");
        Assert.Equal(Plan.Experience, (await WorkspaceAsync(second.Id)).Plan);

        // A code lives 10 minutes: at 9:59 it works, at 10:00 it has expired.
        var early = await account.BindingCodeAsync();
        var late = await account.BindingCodeAsync();
        host.Clock.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromSeconds(1));
        var third = await host.CreateWorkspaceAsync("cn1");
        await third.Owner.Api.Settlement.UpgradeToCommercialAsync(Upgrade(third, early));
        host.Clock.Advance(TimeSpan.FromSeconds(1));
        await RefusedAsync(() => second.Owner.Api.Settlement.UpgradeToCommercialAsync(Upgrade(second, late)), "BINDING_CODE_EXPIRED", "binding_code");

        // A well-formed code that no account issued.
        await RefusedAsync(() => second.Owner.Api.Settlement.UpgradeToCommercialAsync(Upgrade(second, "K7QM-3XPA-9WRT")), "BINDING_CODE_INVALID", "binding_code");
        Assert.Equal(Plan.Experience, (await WorkspaceAsync(second.Id)).Plan);
        Assert.Equal("", (await host.SettlementAsync(second.Id)).BillingAccountId);
    }

    [Fact]
    public async Task Two_upgrades_at_once_bind_one_account_and_leave_the_other_code_unused()
    {
        var workspace = await host.CreateWorkspaceAsync("cn1");
        var accounts = new List<TestBillingAccount>();
        var codes = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var account = await host.RegisterBillingAccountAsync("racer");
            accounts.Add(account);
            codes.Add(await account.BindingCodeAsync());
        }
        var results = await Task.WhenAll(codes.Select(async code =>
        {
            try
            {
                return (Code: code, Error: (RpcException?)null, Response: await workspace.Owner.Api.Settlement.UpgradeToCommercialAsync(Upgrade(workspace, code)));
            }
            catch (RpcException e)
            {
                return (Code: code, Error: e, Response: (UpgradeToCommercialResponse?)null);
            }
        }));

        var winner = Assert.Single(results, r => r.Error is null);
        Assert.All(results.Where(r => r.Error is not null), r => Assert.True(
            r.Error!.StatusCode is StatusCode.FailedPrecondition or StatusCode.Aborted, $"{r.Error.StatusCode}: {r.Error.Status.Detail}"));
        Assert.Equal(winner.Response!.Settlement, await host.SettlementAsync(workspace.Id));
        // The losers' codes were not used up: each still upgrades another workspace.
        foreach (var loser in results.Where(r => r.Error is not null))
        {
            var other = await host.CreateWorkspaceAsync("cn1");
            await other.Owner.Api.Settlement.UpgradeToCommercialAsync(Upgrade(other, loser.Code));
        }
    }

    [Fact]
    public async Task UpgradeToCommercial_names_every_invalid_field()
    {
        var workspace = await host.CreateWorkspaceAsync("cn1");
        var settlement = workspace.Owner.Api.Settlement;
        await RpcAssert.InvalidFields(() => settlement.UpgradeToCommercialAsync(new UpgradeToCommercialRequest()), "workspace_id", "binding_code");
        await RpcAssert.InvalidFields(() => settlement.UpgradeToCommercialAsync(new UpgradeToCommercialRequest { WorkspaceId = "ws_x", BindingCode = "K7QM-3XPA" }),
            "workspace_id", "binding_code");
        // 0, 1, I and O are not in the alphabet of binding codes. The Owner is told where a code comes from, in words (no RPC name).
        var malformed = await RpcAssert.InvalidFields(() => settlement.UpgradeToCommercialAsync(Upgrade(workspace, "K7QM-3XPA-9WR0")), "binding_code");
        Assert.EndsWith("made by the paying billing-center account on its Binding codes page", malformed.FieldViolations.Single().Description, StringComparison.Ordinal);
        await RpcAssert.InvalidFields(() => settlement.UpgradeToCommercialAsync(Upgrade(workspace, new string('A', 40))), "binding_code");
        await RpcAssert.InvalidFields(() => settlement.UpgradeToCommercialAsync(new UpgradeToCommercialRequest
        {
            WorkspaceId = workspace.Id, BindingCode = "K7QM-3XPA-9WRT", CloudAccountId = "huawei-1",
        }), "cloud_account_id");
        Assert.Equal(Plan.Experience, (await WorkspaceAsync(workspace.Id)).Plan);
    }

    // ---- Workspaces activated through a cloud marketplace (docs/domain.md §2, §7) ----

    public static TheoryData<string, ActivationChannel, CloudProvider, SettlementMethod> Marketplaces => new()
    {
        { "cn4", ActivationChannel.HuaweiCloudMarketplace, CloudProvider.HuaweiCloud, SettlementMethod.HuaweiCloud },
        { "cn2", ActivationChannel.AwsMarketplace, CloudProvider.Aws, SettlementMethod.Aws },
        { "cn1", ActivationChannel.AlibabaCloudMarketplace, CloudProvider.AlibabaCloud, SettlementMethod.AlibabaCloud },
    };

    [Theory]
    [MemberData(nameof(Marketplaces))]
    public async Task A_marketplace_workspace_settles_through_its_cloud_account_from_the_upgrade_on(
        string site, ActivationChannel channel, CloudProvider provider, SettlementMethod method)
    {
        var day = host.StartNextChinaDay();
        var workspace = await host.CreateWorkspaceAsync(site, channel);
        var account = await host.RegisterBillingAccountAsync("payer");
        await host.RechargeAsync(account.Id, 10m);
        var cloudAccount = await host.AddCloudAccountAsync(account.Id, provider);

        var upgraded = (await workspace.Owner.Api.Settlement.UpgradeToCommercialAsync(new UpgradeToCommercialRequest
        {
            WorkspaceId = workspace.Id, BindingCode = await account.BindingCodeAsync(), CloudAccountId = cloudAccount,
        })).Settlement;
        Assert.Equal((account.Id, method, cloudAccount, true), (upgraded.BillingAccountId, upgraded.Method, upgraded.CloudAccountId, upgraded.CloudLockedIn));
        Assert.Equal(new[] { method }, upgraded.AllowedMethods);
        Assert.Equal(upgraded, await host.SettlementAsync(workspace.Id));
        // The upgrade's notice says the usage goes through the cloud account (all three sites are China sites: Chinese).
        var notice = (await host.Operator.BillingAccounts.ListNotificationsAsync(new ListNotificationsRequest
        {
            BillingAccountId = account.Id, Kinds = { NotificationKind.WorkspaceUpgraded },
        })).Notifications.First(n => n.Recipient == account.Account.Email);
        Assert.Contains("每日通过其云市场账号结算", notice.Body, StringComparison.Ordinal);

        // Its first bill is metered to the cloud account; the cash is not touched.
        // 2,000,000 logs at 14 days on CN: 2.00 units × 1.5 = 3.00.
        var collector = await host.CollectorAsync(workspace);
        host.MoveClockTo(At(day, 10));
        await collector.ReportAsync("host-1", 1, Record(BillingItem.Logs, 2_000_000, Now));
        host.MoveClockTo(At(day.AddDays(1), 0, 40));
        await host.CloseDayAsync(site, day);
        var bill = await host.BillAsync(workspace.Id, day);
        Assert.Equal((method, cloudAccount, 300L, 300L, 0L),
            (bill.Method, bill.CloudAccountId, bill.Total.Cents(), bill.CloudAmount.Cents(), bill.PaidByCash.Cents()));
        Assert.Equal(1000, (await host.WalletAsync(account.Id)).Cash.Cents());
        var metered = await host.PendingBatchesAsync(provider, cloudAccount);
        Assert.Equal(300, metered.SelectMany(b => b.Records).Sum(r => r.Quantity));
    }

    [Theory]
    [MemberData(nameof(Marketplaces))]
    public async Task A_marketplace_workspace_upgrades_only_with_a_cloud_account_of_its_cloud_and_its_billing_account(
        string site, ActivationChannel channel, CloudProvider provider, SettlementMethod method)
    {
        var workspace = await host.CreateWorkspaceAsync(site, channel);
        var account = await host.RegisterBillingAccountAsync("payer");
        var other = await host.RegisterBillingAccountAsync("other");
        var code = await account.BindingCodeAsync();
        var otherCloud = await host.AddCloudAccountAsync(account.Id, provider == CloudProvider.Aws ? CloudProvider.HuaweiCloud : CloudProvider.Aws);
        var othersAccount = await host.AddCloudAccountAsync(other.Id, provider);
        UpgradeToCommercialRequest With(string cloudAccountId) => new() { WorkspaceId = workspace.Id, BindingCode = code, CloudAccountId = cloudAccountId };

        var missing = await RefusedAsync(() => workspace.Owner.Api.Settlement.UpgradeToCommercialAsync(With("")), "CLOUD_ACCOUNT_REQUIRED", $"workspaces/{workspace.Id}");
        Assert.Contains("marketplace", missing.Violation.Description);
        await RefusedAsync(() => workspace.Owner.Api.Settlement.UpgradeToCommercialAsync(With(otherCloud)), "CLOUD_PROVIDER_MISMATCH", $"cloud_accounts/{otherCloud}");
        await RpcAssert.Fails(StatusCode.NotFound, () => workspace.Owner.Api.Settlement.UpgradeToCommercialAsync(With(othersAccount)), "CLOUD_ACCOUNT_NOT_FOUND");

        // Nothing changed, and the code was not used up.
        Assert.Equal(Plan.Experience, (await WorkspaceAsync(workspace.Id)).Plan);
        Assert.Equal("", (await host.SettlementAsync(workspace.Id)).BillingAccountId);
        var own = await host.AddCloudAccountAsync(account.Id, provider);
        Assert.Equal(method, (await workspace.Owner.Api.Settlement.UpgradeToCommercialAsync(With(own))).Settlement.Method);
    }

    [Fact]
    public async Task A_workspace_of_the_official_website_upgrades_to_the_billing_center_and_names_no_cloud_account()
    {
        var workspace = await host.CreateWorkspaceAsync("cn1");
        var account = await host.RegisterBillingAccountAsync("payer");
        var cloudAccount = await host.AddCloudAccountAsync(account.Id, CloudProvider.AlibabaCloud);
        var code = await account.BindingCodeAsync();

        await RpcAssert.InvalidFields(() => workspace.Owner.Api.Settlement.UpgradeToCommercialAsync(new UpgradeToCommercialRequest
        {
            WorkspaceId = workspace.Id, BindingCode = code, CloudAccountId = cloudAccount,
        }), "cloud_account_id");
        Assert.Equal(Plan.Experience, (await WorkspaceAsync(workspace.Id)).Plan);
        var settlement = (await workspace.Owner.Api.Settlement.UpgradeToCommercialAsync(Upgrade(workspace, code))).Settlement;
        Assert.Equal((SettlementMethod.BillingCenter, ""), (settlement.Method, settlement.CloudAccountId));
    }

    [Fact]
    public async Task The_upgrade_is_irreversible_and_a_second_one_is_refused_without_using_the_code()
    {
        var workspace = await host.CreateWorkspaceAsync("cn1");
        var account = await host.UpgradeAsync(workspace);
        var other = await host.RegisterBillingAccountAsync("other");
        var code = await other.BindingCodeAsync();

        await RefusedAsync(() => workspace.Owner.Api.Settlement.UpgradeToCommercialAsync(Upgrade(workspace, code)), "ALREADY_COMMERCIAL", $"workspaces/{workspace.Id}");
        Assert.Equal(account.Id, (await host.SettlementAsync(workspace.Id)).BillingAccountId);

        // The refused code is still good for another workspace.
        var another = await host.CreateWorkspaceAsync("cn1");
        var upgraded = await another.Owner.Api.Settlement.UpgradeToCommercialAsync(Upgrade(another, code));
        Assert.Equal(other.Id, upgraded.Settlement.BillingAccountId);
    }

    [Fact]
    public async Task Experience_usage_is_neither_shown_nor_billed_after_the_upgrade()
    {
        var day = host.StartNextChinaDay();
        var workspace = await host.CreateWorkspaceAsync("cn1");
        var collector = await host.CollectorAsync(workspace);
        // The experience period: 900,000 logs and 2,000 time series, within the free quotas.
        host.MoveClockTo(At(day, 9, 10));
        await collector.ReportAsync("host-1", 1, Record(BillingItem.Logs, 900_000, Now), Record(BillingItem.TimeSeries, 2_000, Now));
        var experience = await workspace.StatisticsAsync();
        Assert.Equal(900_000, experience[BillingItem.Logs].Today);
        Assert.True(experience[BillingItem.Logs].HasQuota);

        host.MoveClockTo(At(day, 9, 30));
        var upgradedAt = Now;
        var account = await host.UpgradeAsync(workspace);
        await host.RechargeAsync(account.Id, 10m);

        // Right after the upgrade nothing is shown: the experience hours are not counted.
        var response = await workspace.Owner.Api.Usage.GetUsageStatisticsAsync(new GetUsageStatisticsRequest { WorkspaceId = workspace.Id });
        Assert.Equal(upgradedAt, response.CountedSinceTime.ToDateTimeOffset());
        var justUpgraded = response.Items.ToDictionary(i => i.Item);
        Assert.Equal(0, justUpgraded[BillingItem.Logs].Today);
        Assert.Equal(0, justUpgraded[BillingItem.Logs].MonthToDate);
        Assert.Equal(0, justUpgraded[BillingItem.TimeSeries].Today);
        Assert.False(justUpgraded[BillingItem.Logs].HasQuota);

        // Commercial usage in the next hour: 2,500,000 logs (no quota now) and 1,500 time series.
        host.MoveClockTo(At(day, 10, 5));
        await collector.ReportAsync("host-1", 2, Record(BillingItem.Logs, 2_500_000, Now), Record(BillingItem.TimeSeries, 1_500, Now));
        var commercial = await workspace.StatisticsAsync();
        Assert.Equal(2_500_000, commercial[BillingItem.Logs].Today);
        // The day's largest hour is the commercial 1,500, not the experience 2,000.
        Assert.Equal(1_500, commercial[BillingItem.TimeSeries].Today);
        var hours = await workspace.PointsAsync(BillingItem.Logs, UsagePointGranularity.Hourly, At(day, 0), At(day.AddDays(1), 0));
        Assert.Equal(new[] { 2_500_000L }, hours.Select(p => p.Quantity));

        host.MoveClockTo(At(day.AddDays(1), 0, 30));
        await host.CloseDayAsync("cn1", day);
        var bill = await host.BillAsync(workspace.Id, day);
        var lines = bill.Lines.ToDictionary(l => l.Item);
        // Logs at 14 days' retention on CN: 1.5 per 1,000,000; 2,500,000 / 1,000,000 = 2.50 units; 2.50 × 1.5 = 3.75.
        Assert.Equal(2_500_000, lines[BillingItem.Logs].Quantity);
        Assert.Equal("2.50", lines[BillingItem.Logs].Units);
        Assert.Equal(375, lines[BillingItem.Logs].Amount.Cents());
        // Time series at 7 days' retention: 0.7 per 1,000; 1,500 / 1,000 = 1.50 units; 1.50 × 0.7 = 1.05.
        Assert.Equal(1_500, lines[BillingItem.TimeSeries].Quantity);
        Assert.Equal("1.50", lines[BillingItem.TimeSeries].Units);
        Assert.Equal(105, lines[BillingItem.TimeSeries].Amount.Cents());
        Assert.Equal(new[] { BillingItem.Logs, BillingItem.TimeSeries }.Order(), lines.Keys.Order());
        // 3.75 + 1.05 = 4.80, paid from 10.00 of cash: 5.20 left.
        Assert.Equal(480, bill.Total.Cents());
        Assert.Equal(480, bill.PaidByCash.Cents());
        Assert.Equal(520, (await host.WalletAsync(account.Id)).Cash.Cents());
    }

    // ---- ChangeBinding ----

    private static ChangeBindingRequest Rebind(TestWorkspace workspace, string code) => new() { WorkspaceId = workspace.Id, BindingCode = code };

    /// <summary>A commercial workspace bound to a first account, and a second account.</summary>
    private async Task<(TestWorkspace Workspace, TestBillingAccount Current, TestBillingAccount Next)> TwoAccountsAsync()
    {
        var workspace = await host.CreateWorkspaceAsync("cn1");
        var current = await host.UpgradeAsync(workspace);
        var next = await host.RegisterBillingAccountAsync("next");
        return (workspace, current, next);
    }

    [Fact]
    public async Task The_binding_moves_between_accounts_of_one_certified_enterprise_and_old_bills_stay()
    {
        var day = host.StartNextChinaDay();
        var (workspace, current, next) = await TwoAccountsAsync();
        await host.CertifyAsync(current);
        await host.CertifyAsync(next);
        await host.RechargeAsync(current.Id, 10m);
        await host.RechargeAsync(next.Id, 5m);
        var collector = await host.CollectorAsync(workspace);

        // Day 1 under the first account: 2,000,000 logs; 2.00 units × 1.5 = 3.00.
        host.MoveClockTo(At(day, 10));
        await collector.ReportAsync("host-1", 1, Record(BillingItem.Logs, 2_000_000, Now));
        host.MoveClockTo(At(day.AddDays(1), 0, 40));
        await host.CloseDayAsync("cn1", day);

        var movedAt = Now;
        var moved = await workspace.Owner.Api.Settlement.ChangeBindingAsync(Rebind(workspace, await next.BindingCodeAsync()));
        Assert.Equal(current.Id, moved.PreviousBillingAccountId);
        Assert.Equal(next.Id, moved.Settlement.BillingAccountId);
        Assert.Equal(next.Username, moved.Settlement.BillingAccountUsername);
        Assert.Equal(movedAt, moved.Settlement.BindTime.ToDateTimeOffset());
        Assert.Equal(SettlementMethod.BillingCenter, moved.Settlement.Method);
        Assert.Equal(moved.Settlement, await host.SettlementAsync(workspace.Id));
        Assert.Empty((await current.Client.ListBoundWorkspacesAsync(new ListBoundWorkspacesRequest { BillingAccountId = current.Id })).Workspaces);
        Assert.Equal(new[] { workspace.Id },
            (await next.Client.ListBoundWorkspacesAsync(new ListBoundWorkspacesRequest { BillingAccountId = next.Id })).Workspaces.Select(w => w.WorkspaceId));

        // Day 2 under the new account: 1,234,567 logs; 1.23 units (truncated) × 1.5 = 1.845, half-up 1.85.
        host.MoveClockTo(At(day.AddDays(1), 1, 0));
        await collector.ReportAsync("host-1", 2, Record(BillingItem.Logs, 1_234_567, Now));
        host.MoveClockTo(At(day.AddDays(2), 0, 40));
        await host.CloseDayAsync("cn1", day.AddDays(1));

        var first = await host.BillAsync(workspace.Id, day);
        var second = await host.BillAsync(workspace.Id, day.AddDays(1));
        Assert.Equal(current.Id, first.BillingAccountId);
        Assert.Equal(300, first.Total.Cents());
        Assert.Equal(next.Id, second.BillingAccountId);
        Assert.Equal(185, second.Total.Cents());
        // Each account paid its own day: 10.00 - 3.00 = 7.00 and 5.00 - 1.85 = 3.15.
        Assert.Equal(700, (await host.WalletAsync(current.Id)).Cash.Cents());
        Assert.Equal(315, (await host.WalletAsync(next.Id)).Cash.Cents());
        // Each account's own list of bills has its day only.
        var currentBills = await current.Api.Settlement.ListDailyBillsAsync(new ListDailyBillsRequest { BillingAccountId = current.Id, Year = day.Year, Month = day.Month });
        Assert.Equal(new[] { first.DailyBillId }, currentBills.DailyBills.Where(b => b.WorkspaceId == workspace.Id).Select(b => b.DailyBillId));
        var nextMonth = day.AddDays(1);
        var nextBills = await next.Api.Settlement.ListDailyBillsAsync(new ListDailyBillsRequest { BillingAccountId = next.Id, Year = nextMonth.Year, Month = nextMonth.Month });
        Assert.Equal(new[] { second.DailyBillId }, nextBills.DailyBills.Select(b => b.DailyBillId));

        // The old account's bill still names the workspace, as it is called now.
        Assert.Equal(workspace.Workspace.Name, currentBills.DailyBills.Single(b => b.WorkspaceId == workspace.Id).WorkspaceName);
        await workspace.Owner.Api.Workspaces.UpdateWorkspaceAsync(new UpdateWorkspaceRequest
        {
            WorkspaceId = workspace.Id, Workspace = new Workspace { Name = "Renamed after the move" }, UpdateMask = new() { Paths = { "name" } },
        });
        currentBills = await current.Api.Settlement.ListDailyBillsAsync(new ListDailyBillsRequest { BillingAccountId = current.Id, Year = day.Year, Month = day.Month });
        Assert.Equal("Renamed after the move", currentBills.DailyBills.Single(b => b.WorkspaceId == workspace.Id).WorkspaceName);
        Assert.Equal("Renamed after the move", (await host.BillAsync(workspace.Id, day)).WorkspaceName);
    }

    [Fact]
    public async Task Without_a_certification_on_the_current_account_the_binding_stays()
    {
        var (workspace, current, next) = await TwoAccountsAsync();
        await host.CertifyAsync(next);
        var code = await next.BindingCodeAsync();
        var refusal = await RefusedAsync(() => workspace.Owner.Api.Settlement.ChangeBindingAsync(Rebind(workspace, code)),
            "CERTIFICATION_REQUIRED", $"billing_accounts/{current.Id}");
        Assert.Equal(current.Id, refusal.Metadata["billing_account_id"]);
        Assert.Contains("current", refusal.Violation.Description);
        Assert.Equal(current.Id, (await host.SettlementAsync(workspace.Id)).BillingAccountId);

        // Once it is certified, the same code works: the refusal did not use it up.
        await host.CertifyAsync(current);
        Assert.Equal(next.Id, (await workspace.Owner.Api.Settlement.ChangeBindingAsync(Rebind(workspace, code))).Settlement.BillingAccountId);
    }

    [Fact]
    public async Task A_new_account_without_an_approved_certification_is_refused_none_pending_or_rejected()
    {
        var (workspace, current, next) = await TwoAccountsAsync();
        await host.CertifyAsync(current);
        var code = await next.BindingCodeAsync();

        var none = await RefusedAsync(() => workspace.Owner.Api.Settlement.ChangeBindingAsync(Rebind(workspace, code)),
            "CERTIFICATION_REQUIRED", $"billing_accounts/{next.Id}");
        Assert.Equal(next.Id, none.Metadata["billing_account_id"]);
        Assert.Contains("new", none.Violation.Description);

        await host.CertifyAsync(next, decision: CertificationDecision.Reject);
        await RefusedAsync(() => workspace.Owner.Api.Settlement.ChangeBindingAsync(Rebind(workspace, code)),
            "CERTIFICATION_REQUIRED", $"billing_accounts/{next.Id}");

        await host.CertifyAsync(next, decision: null);
        await RefusedAsync(() => workspace.Owner.Api.Settlement.ChangeBindingAsync(Rebind(workspace, code)),
            "CERTIFICATION_REQUIRED", $"billing_accounts/{next.Id}");
        Assert.Equal(current.Id, (await host.SettlementAsync(workspace.Id)).BillingAccountId);

        await host.Operator.BillingAccounts.ReviewEnterpriseCertificationAsync(new ReviewEnterpriseCertificationRequest
        {
            BillingAccountId = next.Id, Decision = CertificationDecision.Approve,
        });
        Assert.Equal(next.Id, (await workspace.Owner.Api.Settlement.ChangeBindingAsync(Rebind(workspace, code))).Settlement.BillingAccountId);
    }

    [Theory]
    [InlineData("北京另一家科技有限公司", OtherTaxpayerId)] // another enterprise altogether
    [InlineData(Enterprise, OtherTaxpayerId)] // the same name, another taxpayer ID
    [InlineData("杭州观测云科技有限公司分公司", TaxpayerId)] // the same taxpayer ID, another name
    public async Task Accounts_certified_for_different_enterprises_are_refused(string enterprise, string taxpayerId)
    {
        var (workspace, current, next) = await TwoAccountsAsync();
        await host.CertifyAsync(current);
        await host.CertifyAsync(next, enterprise, taxpayerId);
        var code = await next.BindingCodeAsync();
        var refusal = await RefusedAsync(() => workspace.Owner.Api.Settlement.ChangeBindingAsync(Rebind(workspace, code)),
            "ENTERPRISE_MISMATCH", $"billing_accounts/{next.Id}");
        Assert.Equal(current.Id, refusal.Metadata["current_billing_account_id"]);
        Assert.Equal(next.Id, refusal.Metadata["billing_account_id"]);
        Assert.Equal(current.Id, (await host.SettlementAsync(workspace.Id)).BillingAccountId);
    }

    [Fact]
    public async Task ChangeBinding_refuses_its_own_account_used_codes_experience_workspaces_and_arrears()
    {
        var (workspace, current, next) = await TwoAccountsAsync();
        await host.CertifyAsync(current);
        await host.CertifyAsync(next);

        await RefusedAsync(() => workspace.Owner.Api.Settlement.ChangeBindingAsync(Rebind(workspace, "K7QM-3XPA-9WRT")), "BINDING_CODE_INVALID", "binding_code");
        var currentCode = await current.BindingCodeAsync();
        await RefusedAsync(() => workspace.Owner.Api.Settlement.ChangeBindingAsync(Rebind(workspace, currentCode)), "ALREADY_BOUND", $"billing_accounts/{current.Id}");

        var experience = await host.CreateWorkspaceAsync("cn1");
        await RefusedAsync(() => experience.Owner.Api.Settlement.ChangeBindingAsync(Rebind(experience, currentCode)), "NOT_COMMERCIAL", $"workspaces/{experience.Id}");

        // In arrears (a charge of 10.00 on an empty wallet) the workspace stays with the account that owes.
        await host.Operator.BillingAccounts.ChargeAsync(Charge(current.Id, ("logs", 10m)));
        var code = await next.BindingCodeAsync();
        await RefusedAsync(() => workspace.Owner.Api.Settlement.ChangeBindingAsync(Rebind(workspace, code)), "ARREARS_OUTSTANDING", $"workspaces/{workspace.Id}");
        Assert.Equal(current.Id, (await host.SettlementAsync(workspace.Id)).BillingAccountId);
        await host.RechargeAsync(current.Id, 10m);
        await workspace.Owner.Api.Settlement.ChangeBindingAsync(Rebind(workspace, code));

        // A code is used once: moving back needs a fresh one from the first account.
        await RefusedAsync(() => workspace.Owner.Api.Settlement.ChangeBindingAsync(Rebind(workspace, code)), "BINDING_CODE_USED", "binding_code");
        Assert.Equal(current.Id, (await workspace.Owner.Api.Settlement.ChangeBindingAsync(Rebind(workspace, await current.BindingCodeAsync()))).Settlement.BillingAccountId);
    }

    [Fact]
    public async Task Only_the_Owner_changes_the_binding_and_bad_input_names_its_fields()
    {
        var (workspace, current, next) = await TwoAccountsAsync();
        await host.CertifyAsync(current);
        await host.CertifyAsync(next);
        var code = await next.BindingCodeAsync();

        await RpcAssert.Fails(StatusCode.PermissionDenied, () => workspace.Administrator.Api.Settlement.ChangeBindingAsync(Rebind(workspace, code)), "ROLE_NOT_PERMITTED");
        await RpcAssert.Fails(StatusCode.PermissionDenied, () => workspace.Standard.Api.Settlement.ChangeBindingAsync(Rebind(workspace, code)), "ROLE_NOT_PERMITTED");
        await RpcAssert.Fails(StatusCode.PermissionDenied, () => workspace.ReadOnly.Api.Settlement.ChangeBindingAsync(Rebind(workspace, code)), "ROLE_NOT_PERMITTED");
        await RpcAssert.Fails(StatusCode.NotFound, () => workspace.Outsider.Api.Settlement.ChangeBindingAsync(Rebind(workspace, code)), "WORKSPACE_NOT_FOUND");
        await RpcAssert.Fails(StatusCode.Unauthenticated, () => host.Api().Settlement.ChangeBindingAsync(Rebind(workspace, code)), "TOKEN_MISSING");
        await RpcAssert.InvalidFields(() => workspace.Owner.Api.Settlement.ChangeBindingAsync(new ChangeBindingRequest()), "workspace_id", "binding_code");
        await RpcAssert.InvalidFields(() => workspace.Owner.Api.Settlement.ChangeBindingAsync(Rebind(workspace, "nope")), "binding_code");
        Assert.Equal(current.Id, (await host.SettlementAsync(workspace.Id)).BillingAccountId);

        Assert.Equal(next.Id, (await workspace.Owner.Api.Settlement.ChangeBindingAsync(Rebind(workspace, code))).Settlement.BillingAccountId);
    }
}
