using Guance.Billing.BillingAccounts;
using Guance.Billing.Common;
using Guance.Billing.Identity;

namespace Guance.Billing.Tests.BillingAccounts;

public sealed class BillingAccountAccessTests
{
    private static readonly Caller Account = new(CallerKind.BillingAccount, "ba_01kb0000000000000000000001", "bs_1");
    private static readonly Caller Console = new(CallerKind.User, "usr_01kb0000000000000000000001", "tok_1");
    private static readonly Caller Collector = new(CallerKind.Collector, "ws_01kb0000000000000000000001", "ct_1");

    public static TheoryData<string, BillingAccountPermission, string?> Cases => new()
    {
        { "account", BillingAccountPermission.View, null },
        { "account", BillingAccountPermission.Manage, null },
        { "account", BillingAccountPermission.Consent, null },
        { "account", BillingAccountPermission.Operate, "OPERATOR_REQUIRED" },
        { "operator", BillingAccountPermission.View, null },
        { "operator", BillingAccountPermission.Manage, null },
        { "operator", BillingAccountPermission.Operate, null },
        { "operator", BillingAccountPermission.Consent, "BILLING_SESSION_REQUIRED" },
        { "console", BillingAccountPermission.View, "BILLING_CENTER_ONLY" },
        { "console", BillingAccountPermission.Operate, "OPERATOR_REQUIRED" },
        { "collector", BillingAccountPermission.Manage, "BILLING_CENTER_ONLY" },
        { "collector", BillingAccountPermission.Consent, "BILLING_CENTER_ONLY" },
        { "anonymous", BillingAccountPermission.View, "TOKEN_MISSING" },
        { "anonymous", BillingAccountPermission.Operate, "TOKEN_MISSING" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Each_kind_of_caller_may_do_what_the_rule_says(string who, BillingAccountPermission permission, string? refusal)
    {
        var caller = who switch
        {
            "account" => Account,
            "operator" => Caller.Operator,
            "console" => Console,
            "collector" => Collector,
            _ => Caller.Anonymous,
        };
        if (refusal is null)
        {
            BillingAccountAccess.RequireCallerKind(caller, permission);
            return;
        }
        var error = Assert.Throws<BillingException>(() => BillingAccountAccess.RequireCallerKind(caller, permission));
        Assert.Equal(refusal, error.Reason);
        Assert.Equal(who == "anonymous" ? ErrorKind.Unauthenticated : ErrorKind.PermissionDenied, error.Kind);
    }
}
