using Guance.Billing.Wallets;
using Guance.Billing.Workspaces;

namespace Guance.Billing.Settlement;

/// <summary>How a workspace's daily bills are paid (values equal the contract's).</summary>
public enum SettlementMethod
{
    /// <summary>The billing-center wallet: vouchers, prepaid cards, cash, then arrears.</summary>
    BillingCenter = 1,
    AlibabaCloud = 2,
    Aws = 3,
    HuaweiCloud = 4,
}

public static class SettlementMethods
{
    public static readonly IReadOnlyList<SettlementMethod> All =
        [SettlementMethod.BillingCenter, SettlementMethod.AlibabaCloud, SettlementMethod.Aws, SettlementMethod.HuaweiCloud];

    public static bool IsCloud(this SettlementMethod method) => method != SettlementMethod.BillingCenter;

    /// <summary>The cloud of a cloud method; null for the billing center.</summary>
    public static CloudProvider? Provider(this SettlementMethod method) => method switch
    {
        SettlementMethod.AlibabaCloud => CloudProvider.AlibabaCloud,
        SettlementMethod.Aws => CloudProvider.Aws,
        SettlementMethod.HuaweiCloud => CloudProvider.HuaweiCloud,
        _ => null,
    };

    public static SettlementMethod Of(CloudProvider provider) => provider switch
    {
        CloudProvider.AlibabaCloud => SettlementMethod.AlibabaCloud,
        CloudProvider.Aws => SettlementMethod.Aws,
        CloudProvider.HuaweiCloud => SettlementMethod.HuaweiCloud,
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, null),
    };

    /// <summary>How the charge engine settles a bill of this method.</summary>
    public static ChargeMode ChargeMode(this SettlementMethod method) => method.IsCloud() ? Wallets.ChargeMode.Cloud : Wallets.ChargeMode.Wallet;

    public static string Name(this SettlementMethod method) => method switch
    {
        SettlementMethod.BillingCenter => "the billing center",
        SettlementMethod.AlibabaCloud => "an Alibaba Cloud account",
        SettlementMethod.Aws => "an AWS account",
        SettlementMethod.HuaweiCloud => "a Huawei Cloud account",
        _ => method.ToString(),
    };

    public static string ContractName(this SettlementMethod method) => method switch
    {
        SettlementMethod.BillingCenter => "SETTLEMENT_METHOD_BILLING_CENTER",
        SettlementMethod.AlibabaCloud => "SETTLEMENT_METHOD_ALIBABA_CLOUD",
        SettlementMethod.Aws => "SETTLEMENT_METHOD_AWS",
        SettlementMethod.HuaweiCloud => "SETTLEMENT_METHOD_HUAWEI_CLOUD",
        _ => method.ToString(),
    };
}
