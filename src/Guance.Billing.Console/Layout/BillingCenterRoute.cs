using Microsoft.AspNetCore.Components;

namespace Guance.Billing.Console.Layout;

/// <summary>The billing center's addresses, all under /billing-center/ (never a token in them).</summary>
public static class BillingCenterRoute
{
    public const string SignIn = "billing-center/signin";
    public const string Register = "billing-center/register";
    public const string Wallet = "billing-center/wallet";
    public const string Transactions = "billing-center/transactions";
    public const string Vouchers = "billing-center/vouchers";
    public const string PrepaidCards = "billing-center/prepaid-cards";
    public const string Workspaces = "billing-center/workspaces";
    public const string BindingCodes = "billing-center/binding-codes";
    public const string Consumption = "billing-center/consumption";
    public const string MonthlyBills = "billing-center/monthly-bills";
    public const string Invoices = "billing-center/invoices";
    public const string Tickets = "billing-center/tickets";
    public const string Account = "billing-center/account";
    public const string Notifications = "billing-center/notifications";

    /// <summary>The billing-center sign-in, returning to the current billing-center page afterwards (<see cref="ReturnPath"/>).</summary>
    public static string SignInReturningTo(NavigationManager navigation) => ReturnPath.SignInFrom(navigation, SignIn, IsReturnable);

    /// <summary>Where to go after signing in: the page asked for when it is a local billing-center page, else the wallet.</summary>
    public static string AfterSignIn(string? returnTo) => ReturnPath.IsLocal(returnTo) && IsReturnable(returnTo!) ? returnTo! : Wallet;

    private static bool IsReturnable(string relative) =>
        relative.StartsWith("billing-center/", StringComparison.Ordinal) && !relative.StartsWith(SignIn, StringComparison.Ordinal)
        && !relative.StartsWith(Register, StringComparison.Ordinal);

    /// <summary>One monthly bill, for example <c>billing-center/monthly-bills/mb_...</c>.</summary>
    public static string MonthlyBill(string monthlyBillId) => $"{MonthlyBills}/{Uri.EscapeDataString(monthlyBillId)}";

    /// <summary>The deliveries of one webhook endpoint, for example <c>billing-center/notifications/webhooks/whe_...</c>.</summary>
    public static string WebhookDeliveries(string webhookEndpointId) => $"{Notifications}/webhooks/{Uri.EscapeDataString(webhookEndpointId)}";

    /// <summary>
    /// The billing center's time zone: its accounts and bills are in China time (docs/domain.md §2:
    /// China sites are UTC+8, Asia/Shanghai).
    /// </summary>
    public static TimeZoneInfo Zone { get; } =
        TimeZoneInfo.TryFindSystemTimeZoneById("Asia/Shanghai", out var zone) ? zone : TimeZoneInfo.CreateCustomTimeZone("UTC+8", TimeSpan.FromHours(8), "UTC+8", "UTC+8");
}
