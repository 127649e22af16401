namespace Guance.Billing.Notifications;

/// <summary>
/// Sends one delivery of a notice over its channel (e-mail, webhook). Called only under a claim; the
/// notice id goes with every message (a header), so that a receiver drops the duplicate that a host
/// dying between sending and recording makes. Throw to have it retried later; the exception's message
/// becomes the delivery's last error, which operators read, so it says what the receiver answered.
/// </summary>
public interface INotificationSender
{
    NotificationChannel Channel { get; }

    Task SendAsync(Notification notification, NoticeDelivery delivery, CancellationToken cancellationToken);

    /// <summary>Told after a delivery of its channel failed for good (recorded already); a channel with nothing to do then ignores it.</summary>
    Task GaveUpAsync(NoticeDelivery delivery, CancellationToken cancellationToken) => Task.CompletedTask;
}
