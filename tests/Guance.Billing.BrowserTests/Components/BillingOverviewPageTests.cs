using Bunit;
using Google.Protobuf.WellKnownTypes;
using Guance.Billing.Client;
using Guance.Billing.Console.Pages.Billing;
using Guance.Billing.V1;

namespace Guance.Billing.BrowserTests.Components;

/// <summary>The billing overview: the account and its balances, the lock countdown, and the buttons by role (docs/domain.md §2, §6).</summary>
public sealed class BillingOverviewPageTests : ConsoleContext
{
    private static readonly DateTimeOffset HostNow = new(2026, 11, 20, 2, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task The_owner_of_an_experience_workspace_is_offered_the_upgrade_only()
    {
        await SignInAsync();
        Workspace(WorkspaceRole.Owner);
        Overview(new BillingOverview { Plan = Plan.Experience, Actions = { BillingAction.UpgradeToCommercial } });

        var page = Render<BillingOverviewPage>(p => p.Add(x => x.WorkspaceId, WorkspaceId));

        var action = page.WaitForElement("[data-testid=action]");
        Assert.Equal("Upgrade", action.TextContent.Trim());
        Assert.EndsWith($"workspaces/{WorkspaceId}/billing/upgrade", action.GetAttribute("href"));
        Assert.Contains("None yet", page.Find("[data-testid=account-name]").TextContent);
    }

    [Fact]
    public async Task The_owner_of_a_commercial_workspace_sees_the_account_its_balances_and_the_four_actions()
    {
        await SignInAsync();
        Workspace(WorkspaceRole.Owner, Plan.Commercial);
        Overview(new BillingOverview
        {
            Plan = Plan.Commercial,
            Method = SettlementMethod.BillingCenter,
            BillingAccountId = "ba_1",
            BillingAccountUsername = "acme-finance",
            BillingAccountDisplayName = "Acme Finance",
            Cash = MoneyAmounts.FromDecimal(120.50m),
            OrdinaryVouchers = MoneyAmounts.FromDecimal(10m),
            FullReductionVouchers = MoneyAmounts.FromDecimal(5.25m),
            PrepaidCards = MoneyAmounts.FromDecimal(100m),
            Arrears = MoneyAmounts.FromDecimal(0m),
            Available = MoneyAmounts.FromDecimal(235.75m),
            Actions = { BillingAction.Recharge, BillingAction.OpenBillingCenter, BillingAction.ChangeSettlementMethod, BillingAction.ChangeBinding },
        });

        var page = Render<BillingOverviewPage>(p => p.Add(x => x.WorkspaceId, WorkspaceId));

        page.WaitForAssertion(() => Assert.Equal("Acme Finance", page.Find("[data-testid=account-name]").TextContent.Trim()));
        Assert.Equal("User name acme-finance · Billing-center account", page.Find("[data-testid=account-method]").TextContent.Trim());
        Assert.Equal("CNY\u00A0120.50", page.Find("[data-testid=cash]").TextContent.Trim());
        Assert.Equal("CNY\u00A015.25", page.Find("[data-testid=vouchers]").TextContent.Trim());
        Assert.Equal("CNY\u00A0100.00", page.Find("[data-testid=cards]").TextContent.Trim());
        Assert.Equal("CNY\u00A00.00", page.Find("[data-testid=arrears]").TextContent.Trim());
        Assert.Equal(["Recharge", "Billing center", "Settlement method", "Change binding"],
            page.FindAll("[data-testid=action]").Select(a => a.TextContent.Trim()));
        Assert.Equal(
            ["billing-center/wallet#recharge", "billing-center/wallet", $"workspaces/{WorkspaceId}/billing/settlement", $"workspaces/{WorkspaceId}/billing/binding"],
            page.FindAll("[data-testid=action]").Select(a => a.GetAttribute("href")));
        Assert.All(page.FindAll("[data-testid=action]"), a => Assert.Null(a.GetAttribute("disabled")));
    }

    [Theory]
    [InlineData("")]
    [InlineData("acme-finance")]
    public async Task An_account_named_by_its_user_name_alone_is_named_once(string displayName)
    {
        await SignInAsync();
        Workspace(WorkspaceRole.Administrator, Plan.Commercial);
        Overview(new BillingOverview
        {
            Plan = Plan.Commercial, Method = SettlementMethod.BillingCenter, BillingAccountId = "ba_1", BillingAccountUsername = "acme-finance",
            BillingAccountDisplayName = displayName,
        });

        var page = Render<BillingOverviewPage>(p => p.Add(x => x.WorkspaceId, WorkspaceId));

        page.WaitForAssertion(() => Assert.Equal("acme-finance", page.Find("[data-testid=account-name]").TextContent.Trim()));
        Assert.Equal("Billing-center account", page.Find("[data-testid=account-method]").TextContent.Trim());
    }

    [Fact]
    public async Task An_administrator_sees_the_overview_without_any_button()
    {
        await SignInAsync();
        Workspace(WorkspaceRole.Administrator, Plan.Commercial);
        Overview(new BillingOverview { Plan = Plan.Commercial, BillingAccountId = "ba_1", BillingAccountDisplayName = "Acme Finance", Cash = MoneyAmounts.FromDecimal(1m) });

        var page = Render<BillingOverviewPage>(p => p.Add(x => x.WorkspaceId, WorkspaceId));

        page.WaitForAssertion(() => Assert.Equal("CNY\u00A01.00", page.Find("[data-testid=cash]").TextContent.Trim()));
        Assert.Empty(page.FindAll("[data-testid=actions]"));
        Assert.StartsWith("Only the workspace's Owner upgrades it", page.Find("[data-testid=owner-only]").TextContent.Trim(), StringComparison.Ordinal);
        Assert.Empty(page.FindAll("button, a.mud-button-root"));
    }

    [Fact]
    public async Task Arrears_show_the_lock_countdown_on_the_hosts_clock()
    {
        await SignInAsync();
        Workspace(WorkspaceRole.Owner, Plan.Commercial);
        Overview(new BillingOverview
        {
            Plan = Plan.Commercial,
            BillingAccountId = "ba_1",
            Arrears = MoneyAmounts.FromDecimal(12.30m),
            ArrearsSince = Timestamp.FromDateTimeOffset(HostNow.AddDays(-10)),
            LockTime = Timestamp.FromDateTimeOffset(HostNow.AddDays(3).AddHours(4)),
        });
        Host.On<GetUsageStatisticsRequest, GetUsageStatisticsResponse>("UsageService/GetUsageStatistics",
            _ => new GetUsageStatisticsResponse { AsOfTime = Timestamp.FromDateTimeOffset(HostNow) });

        var page = Render<BillingOverviewPage>(p => p.Add(x => x.WorkspaceId, WorkspaceId));

        var warning = page.WaitForElement("[data-testid=lock]");
        Assert.Contains("3 days 4 hours left", warning.TextContent);
        // Site time (Asia/Shanghai, UTC+8): the lock is at 2026-11-23 06:00 UTC.
        Assert.Contains("2026-11-23 14:00", warning.TextContent);
    }

    [Theory]
    [InlineData(WorkspaceRole.Standard)]
    [InlineData(WorkspaceRole.ReadOnly)]
    public async Task Standard_and_read_only_members_get_no_access_and_nothing_is_asked_of_the_host(WorkspaceRole role)
    {
        await SignInAsync();
        Workspace(role);

        var page = Render<BillingOverviewPage>(p => p.Add(x => x.WorkspaceId, WorkspaceId));

        Assert.Contains("No access", page.WaitForElement("[data-testid=no-access]").TextContent);
        Assert.DoesNotContain(Host.Calls, c => c.Method == "SettlementService/GetBillingOverview");
    }

    private void Overview(BillingOverview overview) =>
        Host.On<GetBillingOverviewRequest, GetBillingOverviewResponse>("SettlementService/GetBillingOverview", _ => new GetBillingOverviewResponse { Overview = overview });
}
