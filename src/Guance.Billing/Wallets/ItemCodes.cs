namespace Guance.Billing.Wallets;

/// <summary>
/// The charge engine's billing items are strings in lower snake case: the codes of the usage
/// catalog's items (for example <c>time_series</c>, <c>logs</c>, <c>apm_trace</c>, <c>rum_pv</c>,
/// <c>sms</c>, <c>synthetic_tests</c>), and no other, so that a typo is refused rather than charged (and paid by
/// vouchers, which pay every item but two).
/// </summary>
public static class ItemCodes
{
    public const string Sms = "sms";
    public const string SyntheticTests = "synthetic_tests";

    /// <summary>Items that only prepaid cards and cash (or the cloud account) may pay, never vouchers.</summary>
    public static readonly IReadOnlySet<string> NotPayableByVouchers = new HashSet<string>(StringComparer.Ordinal) { Sms, SyntheticTests };

    public static bool IsPayableByVouchers(string itemCode) => !NotPayableByVouchers.Contains(itemCode);

    public static bool IsKnown(string? itemCode) => itemCode is not null && Usage.BillingItems.FindByCode(itemCode) is not null;

    public const string Rule = "must be the code of a billing item (ListBillingItems), for example \"logs\", \"time_series\" or \"sms\"";
}
