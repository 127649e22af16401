using Guance.Billing.BillingAccounts;
using Guance.Billing.Common;
using Guance.Billing.Data;
using Guance.Billing.Identity;
using Microsoft.EntityFrameworkCore;

namespace Guance.Billing.Notifications.Webhooks;

/// <summary>A webhook delivery as ListWebhookDeliveries shows it: the delivery, its notice's kind and its attempts, oldest first.</summary>
public sealed record WebhookDeliveryView(NoticeDelivery Delivery, NotificationKind Kind, IReadOnlyList<WebhookAttempt> Attempts);

/// <summary>
/// The delivery log of a webhook endpoint and its replay (docs/domain.md §9). Who sees an endpoint sees
/// its deliveries (the account, the operator); only the account's own session replays.
/// </summary>
public sealed class WebhookDeliveries(BillingDbContext db, TimeProvider clock)
{
    private const string DeliveryList = "webhook-deliveries";

    public async Task<(IReadOnlyList<WebhookDeliveryView> Deliveries, string NextPageToken)> ListAsync(
        Caller caller, string webhookEndpointId, int pageSize, string? pageToken, CancellationToken cancellationToken)
    {
        BillingAccountAccess.RequireCallerKind(caller, BillingAccountPermission.View);
        new RequestValidator().Id(webhookEndpointId, "webhook_endpoint_id", "whe")
            .Page(pageSize, pageToken, $"{DeliveryList}:{webhookEndpointId}", out var page).ThrowIfInvalid();
        await WebhookEndpoints.FindAsync(db, caller, webhookEndpointId, tracked: false, cancellationToken);
        var query = db.NoticeDeliveries.AsNoTracking().Where(d => d.Channel == NotificationChannel.Webhook && d.Recipient == webhookEndpointId);
        var (deliveries, next) = await page.FetchAsync(query, d => d.Id, cancellationToken);
        return (await ViewsAsync(deliveries, cancellationToken), next);
    }

    /// <summary>
    /// Makes a delivery pending and due now, whatever its state: the delivery job sends it with the same
    /// webhook-id. Refused (ABORTED) while a host holds a live claim on it: it is being sent right then.
    /// </summary>
    public async Task<WebhookDeliveryView> RetryAsync(Caller caller, string deliveryId, CancellationToken cancellationToken)
    {
        BillingAccountAccess.RequireCallerKind(caller, BillingAccountPermission.Consent);
        new RequestValidator().Id(deliveryId, "delivery_id", "ndl").ThrowIfInvalid();
        var delivery = await db.NoticeDeliveries.AsNoTracking()
            .FirstOrDefaultAsync(d => d.Id == deliveryId && d.Channel == NotificationChannel.Webhook, cancellationToken)
            ?? throw Errors.NotFound(ResourceTypes.WebhookDelivery, deliveryId);
        var endpoint = await db.WebhookEndpoints.AsNoTracking().FirstOrDefaultAsync(e => e.Id == delivery.Recipient, cancellationToken);
        if (endpoint is null || !WebhookEndpoints.Sees(caller, endpoint.BillingAccountId))
        {
            throw Errors.NotFound(ResourceTypes.WebhookDelivery, deliveryId);
        }
        if (!endpoint.Enabled)
        {
            throw EndpointDisabled(endpoint.Id);
        }
        var now = clock.GetUtcNow();
        // Conditional on the endpoint still being enabled: a disable in between leaves the delivery cancelled.
        var replayed = await db.NoticeDeliveries
            .Where(d => d.Id == deliveryId && (d.State != DeliveryState.Pending || d.LeaseUntil == null || d.LeaseUntil <= now))
            .Where(d => db.WebhookEndpoints.Any(e => e.Id == d.Recipient && e.Enabled))
            .ExecuteUpdateAsync(s => s
                .SetProperty(d => d.State, DeliveryState.Pending)
                .SetProperty(d => d.NextAttemptAt, now)
                .SetProperty(d => d.ClaimedBy, (string?)null)
                .SetProperty(d => d.LeaseUntil, (DateTimeOffset?)null)
                .SetProperty(d => d.CompletedAt, (DateTimeOffset?)null), cancellationToken);
        if (replayed == 0 && !await db.WebhookEndpoints.AnyAsync(e => e.Id == endpoint.Id && e.Enabled, cancellationToken))
        {
            throw EndpointDisabled(endpoint.Id);
        }
        if (replayed == 0)
        {
            throw Errors.Aborted(ErrorReasons.ConcurrentUpdate, "The delivery is being sent right now; list the deliveries again.");
        }
        var fresh = await db.NoticeDeliveries.AsNoTracking().SingleAsync(d => d.Id == deliveryId, cancellationToken);
        return (await ViewsAsync([fresh], cancellationToken)).Single();
    }

    private async Task<IReadOnlyList<WebhookDeliveryView>> ViewsAsync(IReadOnlyList<NoticeDelivery> deliveries, CancellationToken cancellationToken)
    {
        var ids = deliveries.Select(d => d.Id).ToList();
        var noticeIds = deliveries.Select(d => d.NotificationId).Distinct().ToList();
        var attempts = (await db.WebhookAttempts.AsNoTracking().Where(a => ids.Contains(a.DeliveryId)).ToListAsync(cancellationToken))
            .ToLookup(a => a.DeliveryId);
        var kinds = await db.Notifications.AsNoTracking().Where(n => noticeIds.Contains(n.Id))
            .ToDictionaryAsync(n => n.Id, n => n.Kind, cancellationToken);
        return deliveries.Select(d => new WebhookDeliveryView(d, kinds[d.NotificationId], attempts[d.Id].OrderBy(a => a.Number).ThenBy(a => a.Id, StringComparer.Ordinal).ToList())).ToList();
    }

    private static BillingException EndpointDisabled(string webhookEndpointId) =>
        Errors.Precondition(ErrorReasons.WebhookEndpointDisabled, $"webhook_endpoints/{webhookEndpointId}",
            "The delivery's webhook endpoint is disabled; enable it, then retry the delivery.");
}
