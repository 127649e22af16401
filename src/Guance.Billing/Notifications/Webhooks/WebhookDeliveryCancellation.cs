using Guance.Billing.Data;
using Microsoft.EntityFrameworkCore;

namespace Guance.Billing.Notifications.Webhooks;

/// <summary>
/// An endpoint that is disabled or deleted gets nothing more (docs/domain.md §9): its pending deliveries
/// are failed with a last error that says why, in the caller's transaction, and never sent. A delivery
/// being sent at that moment loses its claim; what it sends is the last thing the endpoint gets.
/// </summary>
public static class WebhookDeliveryCancellation
{
    public const string Disabled = "Cancelled: the webhook endpoint was disabled.";
    public const string Deleted = "Cancelled: the webhook endpoint was deleted.";
    public const string DisabledAfterFailures = "Cancelled: the webhook endpoint was disabled after its deliveries kept failing.";

    public static Task<int> CancelPendingAsync(BillingDbContext db, string webhookEndpointId, string lastError, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.NoticeDeliveries
            .Where(d => d.Channel == NotificationChannel.Webhook && d.Recipient == webhookEndpointId && d.State == DeliveryState.Pending)
            .ExecuteUpdateAsync(s => s
                .SetProperty(d => d.State, DeliveryState.Failed)
                .SetProperty(d => d.LastError, lastError)
                .SetProperty(d => d.CompletedAt, now)
                .SetProperty(d => d.ClaimedBy, (string?)null)
                .SetProperty(d => d.LeaseUntil, (DateTimeOffset?)null), cancellationToken);
}
