namespace Guance.Billing.Notifications.Webhooks;

/// <summary>One POST of a webhook delivery: what the endpoint answered (a status code) or why nothing came back (an error), and how long it took.</summary>
public sealed class WebhookAttempt
{
    public required string Id { get; init; }
    public required string DeliveryId { get; init; }

    /// <summary>The delivery's attempt count when it was made (1 for the first).</summary>
    public int Number { get; init; }

    public DateTimeOffset AttemptedAt { get; init; }

    /// <summary>The HTTP status code; null when no response came (timeout, connection error).</summary>
    public int? StatusCode { get; init; }

    public string? Error { get; init; }
    public long DurationMilliseconds { get; init; }
}
