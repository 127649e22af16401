namespace Guance.Billing.BillingAccounts;

/// <summary>What a call does with a billing account; <see cref="BillingAccountAccess"/> says who may.</summary>
public enum BillingAccountPermission
{
    /// <summary>Read the account, its wallet, lists and details: the account itself or the operator.</summary>
    View,

    /// <summary>Change the profile, certification, cloud accounts, redeem vouchers: the account itself or the operator.</summary>
    Manage,

    /// <summary>Move money in (recharge, vouchers, cards), charge, review: the operator only.</summary>
    Operate,

    /// <summary>Give consent or prove knowledge (binding codes, password): the account itself only, with its own session.</summary>
    Consent,
}
