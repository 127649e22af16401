namespace Guance.Billing.Notifications;

/// <summary>The <c>Guance:Notifications</c> configuration section.</summary>
public sealed class NotificationOptions
{
    public const string Section = "Guance:Notifications";

    /// <summary>Whether this host's scheduler delivers notifications (see <c>Guance:Jobs</c> for how often).</summary>
    public bool DeliveryEnabled { get; set; } = true;

    /// <summary>How long a claim holds a notification before another host may try it.</summary>
    public TimeSpan ClaimLease { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Notifications claimed per round.</summary>
    public int BatchSize { get; set; } = 100;
}
