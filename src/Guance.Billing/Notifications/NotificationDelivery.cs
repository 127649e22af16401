using Guance.Billing.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Guance.Billing.Notifications;

/// <summary>The identity of this host's delivery loop in claims (one per process and container).</summary>
public sealed class NotificationDeliveryInstance
{
    public string Name { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";
}

/// <summary>
/// Delivers due notifications: claim one with a conditional update (only one host can move its
/// <see cref="Notification.NextAttemptAt"/> past now), send it, then mark it delivered. A failure
/// records the error and backs off; a host that dies mid-way leaves a claim that lapses after the lease.
/// </summary>
public sealed class NotificationDelivery(
    BillingDbContext db,
    INotificationSender sender,
    NotificationDeliveryInstance instance,
    IOptions<NotificationOptions> options,
    ILogger<NotificationDelivery> logger)
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromHours(1);

    /// <summary>Delivers what is due at <paramref name="now"/>, one batch; returns how many were delivered.</summary>
    public async Task<int> DeliverDueAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var due = await db.Notifications.AsNoTracking()
            .Where(n => n.DeliveredAt == null && n.NextAttemptAt <= now)
            .OrderBy(n => n.Id)
            .Take(Math.Max(1, options.Value.BatchSize))
            .ToListAsync(cancellationToken);
        var delivered = 0;
        foreach (var notification in due)
        {
            var leaseEnd = now + options.Value.ClaimLease;
            var claimed = await db.Notifications
                .Where(n => n.Id == notification.Id && n.DeliveredAt == null && n.NextAttemptAt <= now)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(n => n.NextAttemptAt, leaseEnd)
                    .SetProperty(n => n.ClaimedBy, instance.Name)
                    .SetProperty(n => n.Attempts, n => n.Attempts + 1), cancellationToken);
            if (claimed == 0)
            {
                continue; // another host has it
            }
            try
            {
                await sender.SendAsync(notification, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                var retryAt = now + Backoff(notification.Attempts + 1);
                logger.LogWarning(e, "Delivering notification {NotificationId} failed; retrying at {RetryAt}", notification.Id, retryAt);
                var error = e.Message.Length > 500 ? e.Message[..500] : e.Message;
                await db.Notifications
                    .Where(n => n.Id == notification.Id && n.ClaimedBy == instance.Name && n.DeliveredAt == null)
                    .ExecuteUpdateAsync(s => s.SetProperty(n => n.NextAttemptAt, retryAt).SetProperty(n => n.LastError, error), cancellationToken);
                continue;
            }
            delivered += await db.Notifications
                .Where(n => n.Id == notification.Id && n.ClaimedBy == instance.Name && n.DeliveredAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(n => n.DeliveredAt, now), cancellationToken);
        }
        return delivered;
    }

    private static TimeSpan Backoff(int attempts) =>
        TimeSpan.FromSeconds(Math.Min(MaxBackoff.TotalSeconds, 30 * Math.Pow(2, Math.Min(attempts - 1, 20))));
}
