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
/// A round sends up to <see cref="NotificationOptions.DeliveryConcurrency"/> deliveries at once and takes
/// at most <see cref="PerRecipientPerRound"/> of one recipient, so that an endpoint or mail server that
/// answers slowly delays other accounts' notices by one send's timeout at most, not by its backlog.
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
    /// <summary>The most deliveries of one recipient (an e-mail address, a webhook endpoint) that one round sends.</summary>
    public const int PerRecipientPerRound = 4;

    private const int MaxErrorLength = 500;

    /// <summary>Delivers one batch of what is due at <paramref name="now"/>.</summary>
    public async Task<DeliveryRound> DeliverDueAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var batchSize = Math.Max(1, settings.BatchSize);
        var claimed = new List<string>(batchSize);
        foreach (var due in FairShare(await claims.DueAsync(now, batchSize * PerRecipientPerRound, cancellationToken), batchSize))
        {
            if (await claims.TryClaimAsync(due.Id, instance.Name, now, now + settings.ClaimLease, cancellationToken))
            {
                claimed.Add(due.Id);
            }
            // else another host has it
        }
        if (claimed.Count == 0)
        {
            return new DeliveryRound(0, 0);
        }
        var deliveries = await db.NoticeDeliveries.AsNoTracking().Where(d => claimed.Contains(d.Id)).ToListAsync(cancellationToken);
        var noticeIds = deliveries.Select(d => d.NotificationId).Distinct().ToList();
        var notices = await db.Notifications.AsNoTracking().Where(n => noticeIds.Contains(n.Id)).ToDictionaryAsync(n => n.Id, cancellationToken);

        // The sends run side by side; the records share this round's context, one at a time.
        using var records = new SemaphoreSlim(1, 1);
        var sent = 0;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, settings.DeliveryConcurrency), CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(deliveries, parallel, async (delivery, token) =>
        {
            var notification = notices[delivery.NotificationId];
            var failure = await SendAsync(notification, delivery, token);
            AttemptEnd end;
            await records.WaitAsync(cancellationToken);
            try
            {
                end = await RecordAsync(notification, delivery, failure, now, cancellationToken);
            }
            finally
            {
                records.Release();
            }
            if (end == AttemptEnd.Sent)
            {
                Interlocked.Increment(ref sent);
            }
            else if (end == AttemptEnd.GaveUp)
            {
                await (Sender(delivery)?.GaveUpAsync(delivery, cancellationToken) ?? Task.CompletedTask);
            }
        });
        return new DeliveryRound(claimed.Count, sent);
    }

    /// <summary>The first <paramref name="count"/> of <paramref name="due"/> in their order, with at most <see cref="PerRecipientPerRound"/> of one recipient.</summary>
    private static IEnumerable<DueDelivery> FairShare(IReadOnlyList<DueDelivery> due, int count)
    {
        var taken = new Dictionary<(NotificationChannel, string), int>();
        return due.Where(d =>
        {
            var key = (d.Channel, d.Recipient);
            var already = taken.GetValueOrDefault(key);
            taken[key] = already + 1;
            return already < PerRecipientPerRound;
        }).Take(count);
    }

    /// <summary>Sends one delivery; the exception that failed it, or null when it was sent. A shutdown's cancellation is thrown.</summary>
    private async Task<Exception?> SendAsync(Notification notification, NoticeDelivery delivery, CancellationToken cancellationToken)
    {
        try
        {
            var sender = Sender(delivery) ?? throw new InvalidOperationException($"No sender for the {delivery.Channel} channel is configured.");
            await sender.SendAsync(notification, delivery, cancellationToken);
            return null;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return e;
        }
    }

    private enum AttemptEnd { Sent, Retrying, GaveUp, ClaimLost }

    /// <summary>Records what one attempt did: sent, or failed and due again, or failed for good.</summary>
    private async Task<AttemptEnd> RecordAsync(Notification notification, NoticeDelivery delivery, Exception? failure, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (failure is null)
        {
            if (!await claims.CompleteAsync(delivery.Id, instance.Name, now, cancellationToken))
            {
                return AttemptEnd.ClaimLost;
            }
            metrics.Sent(delivery.Channel);
            return AttemptEnd.Sent;
        }
        var retryAt = DeliveryRetryPolicy.NextAttempt(options.Value, delivery.CreatedAt, delivery.Attempts, now);
        var error = failure.Message.Length > MaxErrorLength ? failure.Message[..MaxErrorLength] : failure.Message;
        if (retryAt is null)
        {
            logger.LogWarning(failure, "Delivery {DeliveryId} of notification {NotificationId} failed for good after {Attempts} attempts",
                delivery.Id, notification.Id, delivery.Attempts);
            metrics.Failed(delivery.Channel);
        }
        else
        {
            logger.LogWarning(failure, "Delivery {DeliveryId} of notification {NotificationId} failed; retrying at {RetryAt}",
                delivery.Id, notification.Id, retryAt);
            metrics.Retried(delivery.Channel);
        }
        await claims.FailAttemptAsync(delivery.Id, instance.Name, now, retryAt, error, cancellationToken);
        return retryAt is null ? AttemptEnd.GaveUp : AttemptEnd.Retrying;
    }

    private INotificationSender? Sender(NoticeDelivery delivery) => senders.LastOrDefault(s => s.Channel == delivery.Channel);
}
