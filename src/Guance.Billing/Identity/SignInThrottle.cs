namespace Guance.Billing.Identity;

/// <summary>
/// Failed sign-ins of one e-mail address (whether or not an account has it, so that the throttle
/// tells nothing about which addresses exist) within the current window.
/// </summary>
public sealed class SignInThrottle
{
    public required string Email { get; init; }
    public int Failures { get; set; }
    public DateTimeOffset WindowStartedAt { get; set; }
    public DateTimeOffset? BlockedUntil { get; set; }
}
