using Guance.Billing.V1;
using Guance.Billing.IntegrationTests.Settlement;
using V1 = Guance.Billing.V1;

namespace Guance.Billing.IntegrationTests.Infrastructure;

/// <summary>Upgrades, day closes and bills through the public API.</summary>
public static class SettlementScenario
{
    /// <summary>A fresh binding code of the account (its own session).</summary>
    public static async Task<string> BindingCodeAsync(this TestBillingAccount account) =>
        (await account.Client.CreateBindingCodeAsync(new CreateBindingCodeRequest { BillingAccountId = account.Id })).BindingCode;

    /// <summary>
    /// The Owner upgrades the workspace, bound to <paramref name="account"/> (a new billing account when
    /// null); a marketplace workspace names a new cloud account of its marketplace's cloud, added to that account.
    /// </summary>
    public static async Task<TestBillingAccount> UpgradeAsync(this BillingHost host, TestWorkspace workspace, TestBillingAccount? account = null)
    {
        account ??= await host.RegisterBillingAccountAsync("payer");
        var request = new UpgradeToCommercialRequest { WorkspaceId = workspace.Id, BindingCode = await account.BindingCodeAsync() };
        if (MarketplaceCloud(workspace.Workspace.ActivationChannel) is { } cloud)
        {
            request.CloudAccountId = await host.AddCloudAccountAsync(account.Id, cloud);
        }
        await workspace.Owner.Api.Settlement.UpgradeToCommercialAsync(request);
        return account;
    }

    /// <summary>The cloud of a marketplace activation channel; null for the official website.</summary>
    public static CloudProvider? MarketplaceCloud(ActivationChannel channel) => channel switch
    {
        ActivationChannel.AlibabaCloudMarketplace => CloudProvider.AlibabaCloud,
        ActivationChannel.AwsMarketplace => CloudProvider.Aws,
        ActivationChannel.HuaweiCloudMarketplace => CloudProvider.HuaweiCloud,
        _ => null,
    };

    public static BillingDay Day(DateOnly day) => new() { Year = day.Year, Month = day.Month, Day = day.Day };

    public static DateOnly ToDateOnly(this BillingDay day) => new(day.Year, day.Month, day.Day);

    public static async Task<DayClose> CloseDayAsync(this BillingHost host, string siteCode, DateOnly day) =>
        (await host.Operator.Settlement.CloseDayAsync(new CloseDayRequest { SiteCode = siteCode, Day = Day(day) })).DayClose;

    /// <summary>The workspace's bills of a month, every page, as the operator sees them.</summary>
    public static async Task<List<DailyBill>> BillsAsync(this BillingHost host, string workspaceId, int year, int month)
    {
        var bills = new List<DailyBill>();
        var request = new ListDailyBillsRequest { WorkspaceId = workspaceId, Year = year, Month = month, PageSize = 1000 };
        do
        {
            var page = await host.Operator.Settlement.ListDailyBillsAsync(request);
            bills.AddRange(page.DailyBills);
            request.PageToken = page.NextPageToken;
        }
        while (request.PageToken.Length > 0);
        return bills;
    }

    /// <summary>The workspace's bill of one day.</summary>
    public static async Task<DailyBill> BillAsync(this BillingHost host, string workspaceId, DateOnly day) =>
        (await host.BillsAsync(workspaceId, day.Year, day.Month)).Single(b => b.Day.ToDateOnly() == day);

    public static async Task<V1.Settlement> SettlementAsync(this BillingHost host, string workspaceId) =>
        (await host.Operator.Settlement.GetSettlementAsync(new GetSettlementRequest { WorkspaceId = workspaceId })).Settlement;

    /// <summary>Cents of a Money.</summary>
    public static long Cents(this Money money) => money.Units * 100 + money.Nanos / 10_000_000;
}
