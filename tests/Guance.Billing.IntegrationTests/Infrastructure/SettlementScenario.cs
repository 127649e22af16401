using Guance.Billing.V1;
using V1 = Guance.Billing.V1;

namespace Guance.Billing.IntegrationTests.Infrastructure;

/// <summary>Upgrades, day closes and bills through the public API.</summary>
public static class SettlementScenario
{
    /// <summary>A fresh binding code of the account (its own session).</summary>
    public static async Task<string> BindingCodeAsync(this TestBillingAccount account) =>
        (await account.Client.CreateBindingCodeAsync(new CreateBindingCodeRequest { BillingAccountId = account.Id })).BindingCode;

    /// <summary>The Owner upgrades the workspace, bound to <paramref name="account"/> (a new billing account when null).</summary>
    public static async Task<TestBillingAccount> UpgradeAsync(this BillingHost host, TestWorkspace workspace, TestBillingAccount? account = null)
    {
        account ??= await host.RegisterBillingAccountAsync("payer");
        await workspace.Owner.Api.Settlement.UpgradeToCommercialAsync(new UpgradeToCommercialRequest
        {
            WorkspaceId = workspace.Id,
            BindingCode = await account.BindingCodeAsync(),
        });
        return account;
    }

    /// <summary>The operator upgrades a workspace it knows only by id, bound to a new billing account.</summary>
    public static async Task<TestBillingAccount> UpgradeAsync(this BillingHost host, string workspaceId)
    {
        var account = await host.RegisterBillingAccountAsync("payer");
        await host.Operator.Settlement.UpgradeToCommercialAsync(new UpgradeToCommercialRequest
        {
            WorkspaceId = workspaceId,
            BindingCode = await account.BindingCodeAsync(),
        });
        return account;
    }

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
