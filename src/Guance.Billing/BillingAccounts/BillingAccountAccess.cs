using Guance.Billing.Common;
using Guance.Billing.Data;
using Guance.Billing.Identity;
using Microsoft.EntityFrameworkCore;

namespace Guance.Billing.BillingAccounts;

/// <summary>
/// The one gate of every request about a billing account. A billing-center session sees only its own
/// account (another account's id is NOT_FOUND, so ids of other tenants tell nothing); the operator
/// sees all; console user and collector tokens are PERMISSION_DENIED; no token is UNAUTHENTICATED.
/// </summary>
public sealed class BillingAccountAccess(BillingDbContext db)
{
    /// <summary>
    /// Authenticates and checks the caller's kind, then validates the request (the account id plus
    /// whatever <paramref name="request"/> collected), then finds the account, in that order.
    /// </summary>
    public async Task<BillingAccount> AuthorizeAsync(
        Caller caller, string billingAccountId, BillingAccountPermission permission, CancellationToken cancellationToken,
        RequestValidator? request = null, bool tracked = false)
    {
        RequireCallerKind(caller, permission);
        (request ?? new RequestValidator()).Id(billingAccountId, "billing_account_id", "ba").ThrowIfInvalid();
        if (caller.Kind == CallerKind.BillingAccount && caller.SubjectId != billingAccountId)
        {
            throw NotFound(billingAccountId);
        }
        var accounts = tracked ? db.BillingAccounts : db.BillingAccounts.AsNoTracking();
        return await accounts.FirstOrDefaultAsync(a => a.Id == billingAccountId, cancellationToken)
            ?? throw NotFound(billingAccountId);
    }

    /// <summary>The authentication and caller-kind half of <see cref="AuthorizeAsync"/>, for calls that name no account.</summary>
    public static void RequireCallerKind(Caller caller, BillingAccountPermission permission)
    {
        if (permission == BillingAccountPermission.Operate)
        {
            caller.RequireOperator();
            return;
        }
        caller.RequireAuthenticated();
        switch (caller.Kind)
        {
            case CallerKind.BillingAccount:
                return;
            case CallerKind.Operator when permission != BillingAccountPermission.Consent:
                return;
            case CallerKind.Operator:
                throw Errors.PermissionDenied(ErrorReasons.BillingSessionRequired, "Only the billing account itself, signed in, may do this.");
            default:
                throw Errors.PermissionDenied(ErrorReasons.BillingCenterOnly, "This call needs a billing-center session or the operator token.");
        }
    }

    public static BillingException NotFound(string billingAccountId) => Errors.NotFound(ResourceTypes.BillingAccount, billingAccountId);
}
