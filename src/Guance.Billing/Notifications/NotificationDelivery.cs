using Microsoft.EntityFrameworkCore;
using Guance.Billing.Data;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Guance.Billing.Notifications;

/// <summary>The identity of this host's delivery loop in claims (one per process and container).</summary>
public sealed class NotificationDeliveryInstance
{
    public string Name { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";
}

/// <summary>What one round of delivery did.</summary>
public sealed record DeliveryRound(int Claimed, int Sent);

/// <summary>
/// Delivers due deliveries: claim each (<see cref="DeliveryClaims"/>), send it through its channel's
/// sender, then record it sent. A failure records the error and backs off by the
/// <see cref="DeliveryRetryPolicy"/>, until the retry window is over and the delivery is failed.
/// </summary>
public sealed class NotificationDelivery(
    BillingDbContext db,
    DeliveryClaims claims,
    IEnumerable<INotificationSender> senders,
    NotificationDeliveryInstance instance,
    NotificationMetrics metrics,
    IOptions<NotificationOptions> options,
    ILogger<NotificationDelivery> logger)
{
    private const int MaxErrorLength = 500;

    /// <summary>Delivers one batch of what is due at <paramref name="now"/>.</summary>
    public async Task<DeliveryRound> DeliverDueAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var due = await claims.DueAsync(now, Math.Max(1, settings.BatchSize), cancellationToken);
        int claimed = 0, sent = 0;
        foreach (var deliveryId in due)
        {
            if (!await claims.TryClaimAsync(deliveryId, instance.Name, now, now + settings.ClaimLease, cancellationToken))
            {
                continue; // another host has it
            }
            claimed++;
            var delivery = await db.NoticeDeliveries.AsNoTracking().SingleAsync(d => d.Id == deliveryId, cancellationToken);
            var notification = await db.Notifications.AsNoTracking().SingleAsync(n => n.Id == delivery.NotificationId, cancellationToken);
            try
            {
                var sender = senders.LastOrDefault(s => s.Channel == delivery.Channel)
                    ?? throw new InvalidOperationException($"No sender for the {delivery.Channel} channel is configured.");
                await sender.SendAsync(notification, delivery, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                var retryAt = DeliveryRetryPolicy.NextAttempt(settings, delivery.CreatedAt, delivery.Attempts, now);
                var error = e.Message.Length > MaxErrorLength ? e.Message[..MaxErrorLength] : e.Message;
                if (retryAt is null)
                {
                    logger.LogWarning(e, "Delivery {DeliveryId} of notification {NotificationId} failed for good after {Attempts} attempts",
                        delivery.Id, notification.Id, delivery.Attempts);
                    metrics.Failed(delivery.Channel);
                }
                else
                {
                    logger.LogWarning(e, "Delivery {DeliveryId} of notification {NotificationId} failed; retrying at {RetryAt}",
                        delivery.Id, notification.Id, retryAt);
                    metrics.Retried(delivery.Channel);
                }
                await claims.FailAttemptAsync(delivery.Id, instance.Name, now, retryAt, error, cancellationToken);
                if (retryAt is null)
                {
                    await (senders.LastOrDefault(s => s.Channel == delivery.Channel)?.GaveUpAsync(delivery, cancellationToken) ?? Task.CompletedTask);
                }
                continue;
            }
            if (await claims.CompleteAsync(delivery.Id, instance.Name, now, cancellationToken))
            {
                sent++;
                metrics.Sent(delivery.Channel);
            }
        }
        return new DeliveryRound(claimed, sent);
    }
}
