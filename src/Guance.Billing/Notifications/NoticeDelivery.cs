namespace Guance.Billing.Notifications;

/// <summary>How a notice reaches people (values equal the contract's).</summary>
public enum NotificationChannel
{
    Email = 1,

    /// <summary>A webhook endpoint of the billing account; the delivery's recipient is the endpoint id.</summary>
    Webhook = 2,
}

/// <summary>Where a delivery stands (values equal the contract's).</summary>
public enum DeliveryState
{
    /// <summary>Waiting for its next attempt, or being sent under a claim.</summary>
    Pending = 1,

    Sent = 2,

    /// <summary>Every attempt of the retry window failed; nothing more is tried.</summary>
    Failed = 3,
}

/// <summary>
/// A notice on its way to one recipient over one channel (docs/domain.md §9). A host sends it only
/// under a claim: <see cref="ClaimedBy"/> and <see cref="LeaseUntil"/>, taken by a conditional update
/// (<see cref="DeliveryClaims"/>). A host that dies mid-send leaves a lease that expires, and the
/// delivery is taken again: at least once; receivers drop duplicates by the notice id.
/// </summary>
public sealed class NoticeDelivery
{
    public required string Id { get; init; }
    public required string NotificationId { get; init; }
    public NotificationChannel Channel { get; init; }

    /// <summary>An e-mail address, or a webhook endpoint id.</summary>
    public required string Recipient { get; init; }

    public DeliveryState State { get; set; } = DeliveryState.Pending;
    public int Attempts { get; set; }

    /// <summary>Not before this time: the first attempt, or a retry's back-off.</summary>
    public DateTimeOffset NextAttemptAt { get; set; }

    /// <summary>The delivery loop (host instance) that holds or held the claim.</summary>
    public string? ClaimedBy { get; set; }

    /// <summary>Until when the claim holds; null when nobody holds one.</summary>
    public DateTimeOffset? LeaseUntil { get; set; }

    public string? LastError { get; set; }
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it was sent, or given up.</summary>
    public DateTimeOffset? CompletedAt { get; set; }
}
