namespace Guance.Billing.Notifications.Webhooks;

/// <summary>
/// A URL that receives a billing account's notices, signed with its secret per the Standard Webhooks
/// specification (docs/domain.md §9). The secret is stored as given, not hashed: the host needs it to
/// sign. After a rotation the previous secret signs beside the new one until <see cref="PreviousSecretExpiresAt"/>.
/// </summary>
public sealed class WebhookEndpoint
{
    public required string Id { get; init; }
    public required string BillingAccountId { get; init; }
    public required string Url { get; set; }

    /// <summary>The kinds it receives (<see cref="WebhookKinds"/>); empty means every kind.</summary>
    public string Kinds { get; set; } = "";

    public string Description { get; set; } = "";
    public bool Enabled { get; private set; } = true;
    public required string Secret { get; set; }
    public string? PreviousSecret { get; set; }
    public DateTimeOffset? PreviousSecretExpiresAt { get; set; }
    /// <summary>Deliveries in a row that failed for good (every retry of a day); a sent one resets it.</summary>
    public int ConsecutiveFailures { get; set; }

    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>
    /// Turns it on or off. Turned on again, it starts its count of failures afresh: the account has mended the
    /// receiver, and the host waits for 20 more failures before it gives up again.
    /// </summary>
    public void Turn(bool on)
    {
        if (on && !Enabled)
        {
            ConsecutiveFailures = 0;
        }
        Enabled = on;
    }

    /// <summary>The secrets that sign a message sent at <paramref name="now"/>: the current one, and the previous one during its overlap.</summary>
    public IReadOnlyList<string> SigningSecrets(DateTimeOffset now) =>
        PreviousSecret is not null && PreviousSecretExpiresAt > now ? [Secret, PreviousSecret] : [Secret];

    /// <summary>Whether it receives notices of <paramref name="kind"/>.</summary>
    public bool Wants(NotificationKind kind) => Enabled && (Kinds.Length == 0 || WebhookKinds.Parse(Kinds).Contains(kind));
}
