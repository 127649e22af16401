using Guance.Billing.V1;

namespace Guance.Billing.Console.Formatting;

/// <summary>The words for the contract's enums.</summary>
public static partial class Names
{
    public static string Of(Plan plan) => plan switch
    {
        Plan.Experience => "Experience",
        Plan.Commercial => "Commercial",
        _ => "",
    };

    public static string Of(WorkspaceRole role) => role switch
    {
        WorkspaceRole.Owner => "Owner",
        WorkspaceRole.Administrator => "Administrator",
        WorkspaceRole.Standard => "Standard",
        WorkspaceRole.ReadOnly => "Read-only",
        _ => "",
    };

    public static string Of(SettlementMethod method) => method switch
    {
        SettlementMethod.BillingCenter => "Billing-center account",
        SettlementMethod.AlibabaCloud => "Alibaba Cloud account",
        SettlementMethod.Aws => "AWS account",
        SettlementMethod.HuaweiCloud => "Huawei Cloud account",
        _ => "None",
    };

    public static string Of(BillingAction action) => action switch
    {
        BillingAction.Recharge => "Recharge",
        BillingAction.OpenBillingCenter => "Billing center",
        BillingAction.ChangeSettlementMethod => "Settlement method",
        BillingAction.ChangeBinding => "Change binding",
        BillingAction.UpgradeToCommercial => "Upgrade",
        _ => "",
    };

    public static string Of(DailyBillStatus status) => status switch
    {
        DailyBillStatus.Pending => "Being charged",
        DailyBillStatus.Charged => "Charged",
        DailyBillStatus.AwaitingCloud => "Waiting for the cloud account",
        DailyBillStatus.Unbound => "Not charged (no billing account)",
        _ => "",
    };
}
