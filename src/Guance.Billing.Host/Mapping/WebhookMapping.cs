using Guance.Billing.Notifications;
using Guance.Billing.Notifications.Webhooks;
using V1 = Guance.Billing.V1;

namespace Guance.Billing.Host.Mapping;

/// <summary>Webhook endpoints as messages of the contract (never their secrets).</summary>
public static class WebhookMapping
{
    private static readonly Google.Protobuf.Reflection.EnumDescriptor KindNames =
        V1.BillingAccountServiceReflection.Descriptor.FindTypeByName<Google.Protobuf.Reflection.EnumDescriptor>("NotificationKind");

    public static V1.WebhookEndpoint ToMessage(this WebhookEndpoint endpoint)
    {
        var message = new V1.WebhookEndpoint
        {
            WebhookEndpointId = endpoint.Id,
            BillingAccountId = endpoint.BillingAccountId,
            Url = endpoint.Url,
            Description = endpoint.Description,
            Enabled = endpoint.Enabled,
            CreateTime = endpoint.CreatedAt.ToTimestamp(),
            UpdateTime = endpoint.UpdatedAt.ToTimestamp(),
            PreviousSecretExpireTime = endpoint.PreviousSecretExpiresAt.ToTimestamp(),
            ConsecutiveFailures = endpoint.ConsecutiveFailures,
        };
        message.Kinds.Add(WebhookKinds.Parse(endpoint.Kinds).Select(k => (V1.NotificationKind)k));
        return message;
    }

    public static V1.WebhookDelivery ToMessage(this WebhookDeliveryView view)
    {
        var delivery = view.Delivery;
        var message = new V1.WebhookDelivery
        {
            DeliveryId = delivery.Id,
            NoticeId = delivery.NotificationId,
            Kind = (V1.NotificationKind)view.Kind,
            State = (V1.WebhookDeliveryState)delivery.State,
            CreateTime = delivery.CreatedAt.ToTimestamp(),
            NextAttemptTime = delivery.State == DeliveryState.Pending ? delivery.NextAttemptAt.ToTimestamp() : null,
            CompleteTime = delivery.CompletedAt.ToTimestamp(),
            LastError = delivery.LastError ?? "",
        };
        message.Attempts.Add(view.Attempts.Select(a => new V1.WebhookAttempt
        {
            Number = a.Number,
            AttemptTime = a.AttemptedAt.ToTimestamp(),
            StatusCode = a.StatusCode ?? 0,
            Error = a.Error ?? "",
            DurationMs = a.DurationMilliseconds,
        }));
        return message;
    }

    /// <summary>The JSON body of a webhook delivery.</summary>
    public static V1.WebhookEvent ToWebhookEvent(this Notification notification) => new()
    {
        Type = KindNames.FindValueByNumber((int)notification.Kind)?.Name ?? ((int)notification.Kind).ToString(System.Globalization.CultureInfo.InvariantCulture),
        NoticeId = notification.Id,
        BillingAccountId = notification.BillingAccountId ?? "",
        OccurredAt = notification.CreatedAt.ToTimestamp(),
        Subject = notification.Subject,
        Body = notification.Body,
        Reference = notification.Reference,
    };

    public static WebhookEndpointInput ToInput(this V1.WebhookEndpoint? endpoint) =>
        endpoint is null
            ? new WebhookEndpointInput(null, [], null, false)
            : new WebhookEndpointInput(endpoint.Url, endpoint.Kinds.Select(k => (NotificationKind)k).ToList(), endpoint.Description, endpoint.Enabled);
}
