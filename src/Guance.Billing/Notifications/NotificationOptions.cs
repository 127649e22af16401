namespace Guance.Billing.Notifications;

/// <summary>The <c>Guance:Notifications</c> configuration section.</summary>
public sealed class NotificationOptions
{
    public const string Section = "Guance:Notifications";

    /// <summary>Whether this host's scheduler delivers notifications (see <c>Guance:Jobs</c> for how often).</summary>
    public bool DeliveryEnabled { get; set; } = true;

    /// <summary>How long a claim holds a delivery before another host may take it (longer than one send may take).</summary>
    public TimeSpan ClaimLease { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Deliveries claimed per round.</summary>
    public int BatchSize { get; set; } = 100;

    /// <summary>Deliveries of a round sent at once (each e-mail or POST waits for its receiver).</summary>
    public int DeliveryConcurrency { get; set; } = 16;

    /// <summary>Of those, e-mails sent at once: each is a connection to the mail relay, which may take only a few.</summary>
    public int EmailConcurrency { get; set; } = 4;

    /// <summary>The back-off after the first failed attempt; it doubles with each further failure.</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest back-off between two attempts.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long after a notice its deliveries are still retried: the last retry is due then (a day, docs/domain.md §9).</summary>
    public TimeSpan RetryFor { get; set; } = TimeSpan.FromDays(1);

    /// <summary>The language of a notice when neither its account nor a workspace's site decides it.</summary>
    public string DefaultLanguage { get; set; } = NotificationLanguages.English;

    /// <summary>The time zone (IANA id) of the instants in an English notice without a site; Chinese ones use Asia/Shanghai.</summary>
    public string DefaultTimeZone { get; set; } = "UTC";

    /// <summary>How long one POST to a webhook endpoint may take before it counts as a failed attempt.</summary>
    public TimeSpan WebhookTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Whether webhooks may go to a loopback address (http://localhost, for development): off, since a POST to a local admin endpoint is what an attacker would want.</summary>
    public bool WebhookLoopback { get; set; }

    /// <summary>Whether webhooks may go to private, link-local, shared or unique-local addresses (receivers inside the operator's network).</summary>
    public bool WebhookPrivateNetworks { get; set; }
}
