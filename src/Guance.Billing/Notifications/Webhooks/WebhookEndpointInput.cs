namespace Guance.Billing.Notifications.Webhooks;

/// <summary>The fields of an endpoint that a caller gives (create, update).</summary>
public sealed record WebhookEndpointInput(string? Url, IReadOnlyCollection<NotificationKind> Kinds, string? Description, bool Enabled);

/// <summary>An endpoint with its secret, as created or rotated: the only time the secret is shown.</summary>
public sealed record WebhookEndpointWithSecret(WebhookEndpoint Endpoint, string Secret);
