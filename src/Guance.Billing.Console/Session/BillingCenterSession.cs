namespace Guance.Billing.Console.Session;

/// <summary>The signed-in billing-center account of this tab: its session token (gcb_...) and which account it is.</summary>
public sealed record SignedInBillingAccount(string Token, string SessionId, string BillingAccountId, string Username, string DisplayName) : ISignedIn;

/// <summary>
/// The tab's billing-center session: separate from the console account's (another key, another
/// token), so signing in or out of one leaves the other as it is (docs/domain.md §1).
/// </summary>
public sealed class BillingCenterSession(ISessionStore store) : TabSession<SignedInBillingAccount>(store, "guance.billing-center.session");
