using System.Text.RegularExpressions;

namespace Guance.Billing.Wallets;

/// <summary>
/// The charge engine's billing items are strings in lower snake case: the names of the usage
/// catalog's items (for example <c>time_series</c>, <c>logs</c>, <c>apm_trace</c>, <c>rum_pv</c>,
/// <c>sms</c>, <c>synthetic_tests</c>). The engine knows only which of them vouchers may not pay.
/// </summary>
public static partial class ItemCodes
{
    public const string Sms = "sms";
    public const string SyntheticTests = "synthetic_tests";

    /// <summary>Items that only prepaid cards and cash (or the cloud account) may pay, never vouchers.</summary>
    public static readonly IReadOnlySet<string> NotPayableByVouchers = new HashSet<string>(StringComparer.Ordinal) { Sms, SyntheticTests };

    public static bool IsPayableByVouchers(string itemCode) => !NotPayableByVouchers.Contains(itemCode);

    public static bool IsWellFormed(string? itemCode) => itemCode is not null && Pattern().IsMatch(itemCode);

    [GeneratedRegex("^[a-z][a-z0-9_]{0,63}$")]
    private static partial Regex Pattern();
}
