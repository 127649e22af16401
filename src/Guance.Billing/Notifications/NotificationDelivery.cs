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
/// Delivers due deliveries: claim each (<see cref="DeliveryClaims"/>) just before it is sent, send it through its
/// channel's sender, then record it sent. A failure records the error and backs off by the
/// <see cref="DeliveryRetryPolicy"/>, until the retry window is over and the delivery is failed.
/// A round sends up to <see cref="NotificationOptions.DeliveryConcurrency"/> deliveries at once (e-mails up to
/// <see cref="NotificationOptions.EmailConcurrency"/>, the connections a mail relay takes) and at most
/// <see cref="PerRecipientPerRound"/> of one recipient, so that a receiver that answers slowly holds up other
/// accounts' notices by a few of its timeouts, not by its backlog.
/// </summary>
public sealed class NotificationDelivery(
    BillingDbContext db,
    DeliveryClaims claims,
    IEnumerable<INotificationSender> senders,
    NotificationDeliveryInstance instance,
    NotificationMetrics metrics,
    IOptions<NotificationOptions> options,
    TimeProvider clock,
    ILogger<NotificationDelivery> logger)
{
    /// <summary>The most deliveries of one recipient (an e-mail address, a webhook endpoint) that one round sends.</summary>
    public const int PerRecipientPerRound = 4;

    private const int MaxErrorLength = 500;

    private enum AttemptEnd { Sent, Retrying, GaveUp, ClaimLost }

    private sealed record Claimed(NoticeDelivery Delivery, Notification Notification, DateTimeOffset At);

    /// <summary>Delivers one batch of what is due at <paramref name="now"/>.</summary>
    public async Task<DeliveryRound> DeliverDueAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var due = await claims.DueAsync(now, Math.Max(1, settings.BatchSize), PerRecipientPerRound, cancellationToken);
        // The round's context serves one claim or record at a time; the sends run side by side.
        using var database = new SemaphoreSlim(1, 1);
        using var emails = new SemaphoreSlim(Math.Max(1, settings.EmailConcurrency));
        int claimed = 0, sent = 0;
        // No cancellation here: a shutdown ends each item's claim or send, and the loop with the first one to throw.
        await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, settings.DeliveryConcurrency) }, async (candidate, _) =>
        {
            try
            {
                var channel = candidate.Channel == NotificationChannel.Email ? emails : null;
                if (channel is not null)
                {
                    await channel.WaitAsync(cancellationToken);
                }
                try
                {
                    var work = await OneAtATimeAsync(database, () => ClaimAsync(candidate, now, cancellationToken), cancellationToken);
                    if (work is null)
                    {
                        return; // another host has it
                    }
                    Interlocked.Increment(ref claimed);
                    var failure = await SendAsync(work.Notification, work.Delivery, cancellationToken);
                    // Once sent, it is recorded even during a shutdown: else it would be sent again after the lease.
                    var end = await OneAtATimeAsync(database, () => RecordAsync(work, failure, CancellationToken.None), CancellationToken.None);
                    if (end == AttemptEnd.Sent)
                    {
                        Interlocked.Increment(ref sent);
                    }
                    else if (end == AttemptEnd.GaveUp)
                    {
                        await (Sender(work.Delivery)?.GaveUpAsync(work.Delivery, CancellationToken.None) ?? Task.CompletedTask);
                    }
                }
                finally
                {
                    channel?.Release();
                }
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // One delivery's storage failure ends neither the round nor the others' sends; its lease lets it be retried.
                logger.LogError(e, "Delivery {DeliveryId}: its claim, its record or what follows a give-up failed", candidate.Id);
            }
        });
        return new DeliveryRound(claimed, sent);
    }

    private static async Task<T> OneAtATimeAsync<T>(SemaphoreSlim gate, Func<Task<T>> action, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            return await action();
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Claims a due delivery for this host, counting the attempt, with its lease from now; null when another host has it.</summary>
    private async Task<Claimed?> ClaimAsync(DueDelivery candidate, DateTimeOffset roundNow, CancellationToken cancellationToken)
    {
        // The lease runs from the claim, not from the round's start: it covers one send however long the round is.
        var at = Later(roundNow, clock.GetUtcNow());
        if (!await claims.TryClaimAsync(candidate.Id, instance.Name, at, at + options.Value.ClaimLease, cancellationToken))
        {
            return null;
        }
        var delivery = await db.NoticeDeliveries.AsNoTracking().SingleAsync(d => d.Id == candidate.Id, cancellationToken);
        var notification = await db.Notifications.AsNoTracking().SingleAsync(n => n.Id == delivery.NotificationId, cancellationToken);
        return new Claimed(delivery, notification, at);
    }

    private static DateTimeOffset Later(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

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

    /// <summary>Records what one attempt did: sent, or failed and due again, or failed for good.</summary>
    private async Task<AttemptEnd> RecordAsync(Claimed work, Exception? failure, CancellationToken cancellationToken)
    {
        var (delivery, notification, at) = work;
        if (failure is null)
        {
            if (!await claims.CompleteAsync(delivery.Id, instance.Name, at, cancellationToken))
            {
                return AttemptEnd.ClaimLost;
            }
            metrics.Sent(delivery.Channel);
            return AttemptEnd.Sent;
        }
        var retryAt = DeliveryRetryPolicy.NextAttempt(options.Value, delivery.CreatedAt, delivery.Attempts, at);
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
        await claims.FailAttemptAsync(delivery.Id, instance.Name, at, retryAt, error, cancellationToken);
        return retryAt is null ? AttemptEnd.GaveUp : AttemptEnd.Retrying;
    }

    private INotificationSender? Sender(NoticeDelivery delivery) => senders.LastOrDefault(s => s.Channel == delivery.Channel);
}
