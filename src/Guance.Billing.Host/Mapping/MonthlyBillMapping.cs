using Guance.Billing.MonthlyBills;
using V1 = Guance.Billing.V1;

namespace Guance.Billing.Host.Mapping;

/// <summary>Monthly bills as messages of the contract.</summary>
public static class MonthlyBillMapping
{
    public static V1.MonthlyBill ToMessage(this MonthlyBill bill) => new()
    {
        MonthlyBillId = bill.Id,
        BillingAccountId = bill.BillingAccountId,
        Year = bill.Year,
        Month = bill.Month,
        Total = bill.Total.ToMoney(),
        Payments = Payments(bill.PaidByVouchers, bill.PaidByPrepaidCards, bill.PaidByCash, bill.Arrears, bill.CloudAmount),
        DailyBills = bill.DailyBills,
        WorkspaceCount = bill.Workspaces,
        GenerateTime = bill.GeneratedAt.ToTimestamp(),
    };

    public static V1.MonthlyBill ToMessage(this MonthlyBillView view)
    {
        var message = view.Bill.ToMessage();
        message.Workspaces.Add(view.Workspaces.Select(w =>
        {
            var workspace = new V1.MonthlyBillWorkspace
            {
                WorkspaceId = w.WorkspaceId,
                WorkspaceName = view.WorkspaceNames.GetValueOrDefault(w.WorkspaceId, ""),
                SiteCode = w.SiteCode,
                Days = w.Days,
                Total = w.Total.ToMoney(),
                Payments = Payments(w.PaidByVouchers, w.PaidByPrepaidCards, w.PaidByCash, w.Arrears, w.CloudAmount),
            };
            workspace.Items.Add(view.Lines[w.WorkspaceId].Select(l => new V1.MonthlyBillItem
            {
                Item = (V1.BillingItem)l.Item,
                Amount = l.Amount.ToMoney(),
                Days = l.Days,
            }));
            return workspace;
        }));
        return message;
    }

    private static V1.MonthlyPayments Payments(long vouchers, long cards, long cash, long arrears, long cloud) => new()
    {
        PaidByVouchers = vouchers.ToMoney(),
        PaidByPrepaidCards = cards.ToMoney(),
        PaidByCash = cash.ToMoney(),
        Arrears = arrears.ToMoney(),
        CloudAmount = cloud.ToMoney(),
    };
}
