using Guance.Billing.Data;
using Guance.Billing.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Guance.Billing.Notifications;

/// <summary>
/// Delivers the outbox as a job of the scheduler on every host, unless
/// <see cref="NotificationOptions.DeliveryEnabled"/> is off for this host. A retry's back-off and a
/// lease's end are due instants (where a simulated clock stops).
/// </summary>
public sealed class NotificationDeliveryJob(NotificationDelivery delivery, BillingDbContext db, NotificationMetrics metrics, IOptions<NotificationOptions> options)
    : IScheduledJob
{
    public string Name => "notification-delivery";

    /// <summary>Last: what the other jobs wrote in this pass goes out in it.</summary>
    public int Order => 100;

    public async Task RunDueAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!options.Value.DeliveryEnabled)
        {
            return;
        }
        while ((await delivery.DeliverDueAsync(now, cancellationToken)).Claimed > 0)
        {
        }
        metrics.OldestPending(await db.NoticeDeliveries.AsNoTracking()
            .Where(d => d.State == DeliveryState.Pending)
            .MinAsync(d => (DateTimeOffset?)d.CreatedAt, cancellationToken));
    }

    public async Task<DateTimeOffset?> NextDueAsync(DateTimeOffset after, CancellationToken cancellationToken)
    {
        if (!options.Value.DeliveryEnabled)
        {
            return null;
        }
        var pending = db.NoticeDeliveries.AsNoTracking().Where(d => d.State == DeliveryState.Pending);
        var nextAttempt = await pending.Where(d => d.NextAttemptAt > after).MinAsync(d => (DateTimeOffset?)d.NextAttemptAt, cancellationToken);
        var leaseEnd = await pending.Where(d => d.LeaseUntil > after).MinAsync(d => d.LeaseUntil, cancellationToken);
        return nextAttempt is null ? leaseEnd : leaseEnd is null || nextAttempt < leaseEnd ? nextAttempt : leaseEnd;
    }
}
