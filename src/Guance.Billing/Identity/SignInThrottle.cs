namespace Guance.Billing.Identity;

/// <summary>
/// Failed sign-ins of one throttle key within the current window, whether or not an account has
/// that name (so that the throttle tells nothing about which names exist). The key is a console
/// e-mail address as it is, or a prefixed name from another account system (see <see cref="SignInThrottler"/>).
/// </summary>
public sealed class SignInThrottle
{
    public required string Key { get; init; }
    public int Failures { get; set; }
    public DateTimeOffset WindowStartedAt { get; set; }
    public DateTimeOffset? BlockedUntil { get; set; }
}
