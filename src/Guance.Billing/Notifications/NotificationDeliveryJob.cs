using Guance.Billing.Data;
using Guance.Billing.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Guance.Billing.Notifications;

/// <summary>
/// Delivers the outbox as a job of the host's scheduler: everything due at each pass, unless
/// <see cref="NotificationOptions.DeliveryEnabled"/> is off for this host. A retry's back-off is a due
/// instant (where a simulated clock stops).
/// </summary>
public sealed class NotificationDeliveryJob(NotificationDelivery delivery, BillingDbContext db, IOptions<NotificationOptions> options) : IScheduledJob
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
        while (await delivery.DeliverDueAsync(now, cancellationToken) > 0)
        {
        }
    }

    public async Task<DateTimeOffset?> NextDueAsync(DateTimeOffset after, CancellationToken cancellationToken) =>
        options.Value.DeliveryEnabled
            ? await db.Notifications.AsNoTracking()
                .Where(n => n.DeliveredAt == null && n.NextAttemptAt > after)
                .MinAsync(n => (DateTimeOffset?)n.NextAttemptAt, cancellationToken)
            : null;
}
