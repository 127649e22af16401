using Guance.Billing.Common;
using Guance.Billing.Workspaces;

namespace Guance.Billing.Settlement;

/// <summary>The refusals of settlement, each with a stable reason and a PreconditionFailure that says what to do.</summary>
public static class SettlementErrors
{
    public static BillingException NotCommercial(string workspaceId) =>
        Errors.Precondition(ErrorReasons.NotCommercial, $"workspaces/{workspaceId}",
            "The workspace is on the experience plan; it settles nothing until it is upgraded (UpgradeToCommercial).");

    public static BillingException AlreadyCommercial(string workspaceId) =>
        Errors.Precondition(ErrorReasons.AlreadyCommercial, $"workspaces/{workspaceId}",
            "The workspace is already on the commercial plan; to pay through another billing account use ChangeBinding.");

    public static BillingException AlreadyBound(string workspaceId, string billingAccountId) =>
        Errors.Precondition(ErrorReasons.AlreadyBound, $"billing_accounts/{billingAccountId}",
                "The workspace is already bound to this billing account.")
            .With("workspace_id", workspaceId)
            .With("billing_account_id", billingAccountId);

    public static BillingException CertificationRequired(string billingAccountId, bool current) =>
        Errors.Precondition(ErrorReasons.CertificationRequired, $"billing_accounts/{billingAccountId}",
                $"Changing the binding needs both billing accounts certified for the same enterprise; the {(current ? "current" : "new")} billing account has no approved enterprise certification.")
            .With("billing_account_id", billingAccountId);

    public static BillingException EnterpriseMismatch(string currentAccountId, string newAccountId) =>
        Errors.Precondition(ErrorReasons.EnterpriseMismatch, $"billing_accounts/{newAccountId}",
                "The two billing accounts are certified for different enterprises (enterprise name and taxpayer ID must both be equal); a workspace moves only between accounts of one enterprise.")
            .With("current_billing_account_id", currentAccountId)
            .With("billing_account_id", newAccountId);

    public static BillingException SettlesThroughCloud(string workspaceId, string? cloudAccountId) =>
        Errors.Precondition(ErrorReasons.SettlesThroughCloudAccount, $"workspaces/{workspaceId}",
                "The workspace settles through a cloud account of its billing account; it keeps that account until the cloud subscription is cancelled and it settles through the billing center.")
            .With("cloud_account_id", cloudAccountId ?? "");

    public static BillingException ArrearsOutstanding(string workspaceId, DateTimeOffset lockAt) =>
        Errors.Precondition(ErrorReasons.ArrearsOutstanding, $"workspaces/{workspaceId}",
                "The billing account the workspace pays through is in arrears; pay the arrears first (the workspace is locked at the end of the settlement period).")
            .With("lock_time", Errors.Instant(lockAt));

    public static BillingException MethodNotAllowed(Site site, ActivationChannel channel, SettlementMethod method) =>
        Errors.Precondition(ErrorReasons.SettlementMethodNotAllowed, $"sites/{site.Code}", SettlementMethodRules.WhyNot(site, channel, method))
            .With("method", method.ContractName())
            .With("site_code", site.Code);

    public static BillingException CloudLockIn(string workspaceId, string? cloudAccountId) =>
        Errors.Precondition(ErrorReasons.CloudLockIn, $"workspaces/{workspaceId}",
                "The workspace settles through a cloud account; it cannot move to another method or cloud account unless that cloud subscription is cancelled.")
            .With("cloud_account_id", cloudAccountId ?? "");

    public static BillingException ChangedThisMonth(string workspaceId, DateOnly nextChangeDay) =>
        Errors.Precondition(ErrorReasons.SettlementMethodChangedThisMonth, $"workspaces/{workspaceId}",
                $"The settlement method changes at most once a calendar month; the next change is possible from {nextChangeDay:yyyy-MM-dd} (site time).")
            .With("next_change_day", nextChangeDay.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));

    public static BillingException CloudAccountRequired(string workspaceId, CloudProvider marketplace) =>
        Errors.Precondition(ErrorReasons.CloudAccountRequired, $"workspaces/{workspaceId}",
                $"The workspace was activated through a cloud marketplace: from the upgrade on it settles only through {SettlementMethods.Of(marketplace).Name()} of the binding billing account. Name that account in cloud_account_id (AddCloudAccount adds one).")
            .With("method", SettlementMethods.Of(marketplace).ContractName());

    public static BillingException ProviderMismatch(string cloudAccountId, CloudProvider provider, SettlementMethod method) =>
        Errors.Precondition(ErrorReasons.CloudProviderMismatch, $"cloud_accounts/{cloudAccountId}",
                $"Cloud account {cloudAccountId} is {SettlementMethods.Of(provider).Name()}; {method.Name()} is needed.")
            .With("cloud_account_id", cloudAccountId);

    public static BillingException CloudAccountNotFound(string cloudAccountId, string billingAccountId) =>
        Errors.NotFound(ResourceTypes.CloudAccount, cloudAccountId).With("billing_account_id", billingAccountId);

    /// <summary>A close asked for before the day's end plus the late grace: agents may still send that day's records.</summary>
    public static BillingException DayNotEnded(Site site, DateOnly day, DateTimeOffset closesAt) =>
        Errors.Precondition(ErrorReasons.DayNotEnded, $"billing_days/{day:yyyy-MM-dd}",
                $"The billing day {day:yyyy-MM-dd} of site {site.Code} takes late records until {Errors.SiteTime(site, closesAt)} (its end plus the late grace); close it after that.")
            .With("site_code", site.Code)
            .With("day_end", Errors.Instant(site.StartOf(day.AddDays(1))))
            .With("closes_at", Errors.Instant(closesAt));

    public static BillingException NoPriceList(Site site, DateOnly day) =>
        Errors.Precondition(ErrorReasons.NoPriceList, $"sites/{site.Code}", $"No {site.PriceRegion.Name()} price list is in force on {day:yyyy-MM-dd} (site {site.Code}), so the day cannot be rated; it stays open.");
}
