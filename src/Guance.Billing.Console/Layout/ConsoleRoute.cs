using Microsoft.AspNetCore.Components;

namespace Guance.Billing.Console.Layout;

/// <summary>The console account's sign-in and where it leads back to (the billing center has its own, <see cref="BillingCenterRoute"/>).</summary>
public static class ConsoleRoute
{
    public const string SignIn = "signin";

    /// <summary>The console sign-in, returning to the current console page afterwards (<see cref="ReturnPath"/>).</summary>
    public static string SignInReturningTo(NavigationManager navigation) => ReturnPath.SignInFrom(navigation, SignIn, IsReturnable);

    /// <summary>Where to go after signing in: the page asked for when it is a local console page, else the start page.</summary>
    public static string AfterSignIn(string? returnTo) => ReturnPath.IsLocal(returnTo) && IsReturnable(returnTo!) ? returnTo! : "";

    // Not the sign-in or sign-up pages themselves, and not the billing center (another session).
    private static bool IsReturnable(string relative) =>
        !relative.StartsWith(SignIn, StringComparison.Ordinal) && !relative.StartsWith("signup", StringComparison.Ordinal)
        && !relative.StartsWith("billing-center", StringComparison.Ordinal);
}
