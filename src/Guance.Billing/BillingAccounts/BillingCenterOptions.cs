namespace Guance.Billing.BillingAccounts;

/// <summary>The <c>Guance:BillingCenter</c> configuration section.</summary>
public sealed class BillingCenterOptions
{
    public const string Section = "Guance:BillingCenter";

    /// <summary>How long a billing-center session from sign-in (or registration) works.</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(12);

    /// <summary>How long a binding code can be redeemed.</summary>
    public TimeSpan BindingCodeLifetime { get; set; } = TimeSpan.FromMinutes(10);
}
