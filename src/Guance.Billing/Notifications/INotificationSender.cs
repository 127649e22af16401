namespace Guance.Billing.Notifications;

/// <summary>
/// Sends one notification (e-mail, SMS gateway, webhook...). Called at most once per successful
/// claim; the notification id is a stable idempotency key for providers that deduplicate, which
/// covers a host that dies between sending and recording the delivery. Throw to have it retried later.
/// </summary>
public interface INotificationSender
{
    Task SendAsync(Notification notification, CancellationToken cancellationToken);
}
