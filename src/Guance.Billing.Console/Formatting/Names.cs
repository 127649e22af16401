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

    /// <summary>A workspace's member by display name, or by e-mail address when they gave none.</summary>
    public static string Of(Member member) => member.DisplayName.Length > 0 ? member.DisplayName : member.Email;

    public static string Of(WorkspaceRole role) => role switch
    {
        WorkspaceRole.Owner => "Owner",
        WorkspaceRole.Administrator => "Administrator",
        WorkspaceRole.Standard => "Standard",
        WorkspaceRole.ReadOnly => "Read-only",
        _ => "",
    };

    public static string Of(DataType type) => type switch
    {
        DataType.Metrics => "Metrics",
        DataType.Logs => "Logs",
        DataType.Apm => "APM",
        DataType.Rum => "RUM",
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

    public static string Of(TransactionKind kind) => kind switch
    {
        TransactionKind.Recharge => "Recharge",
        TransactionKind.VoucherGrant => "Voucher",
        TransactionKind.PrepaidCardPurchase => "Prepaid card bought",
        TransactionKind.Charge => "Charge",
        TransactionKind.Expiry => "Expired",
        _ => "",
    };

    public static string Of(VoucherKind kind) => kind switch
    {
        VoucherKind.Ordinary => "Ordinary",
        VoucherKind.FullReduction => "Full reduction",
        _ => "",
    };

    public static string Of(LotState state) => state switch
    {
        LotState.Unredeemed => "Not redeemed",
        LotState.NotYetValid => "Not valid yet",
        LotState.Active => "Usable",
        LotState.Exhausted => "Used up",
        LotState.Expired => "Expired",
        _ => "",
    };

    public static string Of(PrepaidCardOrigin origin) => origin switch
    {
        PrepaidCardOrigin.BillingCenter => "Billing center",
        PrepaidCardOrigin.HuaweiCloud => "Huawei Cloud",
        _ => "",
    };

    /// <summary>The cloud of a marketplace activation; unspecified for the official website (docs/domain.md §2).</summary>
    public static CloudProvider MarketplaceOf(ActivationChannel channel) => channel switch
    {
        ActivationChannel.AlibabaCloudMarketplace => CloudProvider.AlibabaCloud,
        ActivationChannel.AwsMarketplace => CloudProvider.Aws,
        ActivationChannel.HuaweiCloudMarketplace => CloudProvider.HuaweiCloud,
        _ => CloudProvider.Unspecified,
    };

    /// <summary>The cloud of a cloud settlement method; unspecified for the billing center.</summary>
    public static CloudProvider CloudOf(SettlementMethod method) => method switch
    {
        SettlementMethod.AlibabaCloud => CloudProvider.AlibabaCloud,
        SettlementMethod.Aws => CloudProvider.Aws,
        SettlementMethod.HuaweiCloud => CloudProvider.HuaweiCloud,
        _ => CloudProvider.Unspecified,
    };
}
