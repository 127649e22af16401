namespace Guance.Billing.Notifications;

/// <summary>The <c>Guance:Notifications</c> configuration section.</summary>
public sealed class NotificationOptions
{
    public const string Section = "Guance:Notifications";

    /// <summary>Whether this host runs the delivery loop.</summary>
    public bool DeliveryEnabled { get; set; } = true;

    /// <summary>How often the delivery loop looks for due notifications.</summary>
    public TimeSpan DeliveryInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a claim holds a notification before another host may try it.</summary>
    public TimeSpan ClaimLease { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Notifications claimed per round.</summary>
    public int BatchSize { get; set; } = 100;
}
