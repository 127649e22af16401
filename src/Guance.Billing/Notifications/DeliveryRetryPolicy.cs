namespace Guance.Billing.Notifications;

/// <summary>
/// The one retry policy of every channel: exponential back-off from <see cref="NotificationOptions.FirstRetryDelay"/>,
/// doubling up to <see cref="NotificationOptions.MaxRetryDelay"/>, plus up to a quarter of jitter so that
/// hosts and receivers coming back are not hit all at once; retried until the delivery is
/// <see cref="NotificationOptions.RetryFor"/> old (a day, docs/domain.md §9): the last retry is due at that
/// instant exactly, and a delivery whose attempt at or after it failed is failed.
/// </summary>
public static class DeliveryRetryPolicy
{
    /// <summary>When to try again after <paramref name="attempts"/> failed attempts; null when the window is over.</summary>
    public static DateTimeOffset? NextAttempt(NotificationOptions options, DateTimeOffset createdAt, int attempts, DateTimeOffset now, double jitter)
    {
        var giveUpAt = createdAt + options.RetryFor;
        if (now >= giveUpAt)
        {
            return null;
        }
        var exponent = Math.Min(Math.Max(attempts - 1, 0), 30);
        var seconds = Math.Max(1, Math.Min(options.MaxRetryDelay.TotalSeconds, options.FirstRetryDelay.TotalSeconds * Math.Pow(2, exponent)));
        var next = now + TimeSpan.FromSeconds(seconds * (1 + (0.25 * Math.Clamp(jitter, 0, 1))));
        return next < giveUpAt ? next : giveUpAt;
    }

    /// <summary>The same with a random jitter.</summary>
    public static DateTimeOffset? NextAttempt(NotificationOptions options, DateTimeOffset createdAt, int attempts, DateTimeOffset now) =>
        NextAttempt(options, createdAt, attempts, now, Random.Shared.NextDouble());
}
