using Microsoft.Extensions.Logging;

namespace Guance.Billing.Notifications;

/// <summary>The default e-mail sender when no SMTP server is configured: writes each notice to the log (nothing needed to run the product).</summary>
public sealed class LogNotificationSender(ILogger<LogNotificationSender> logger) : INotificationSender
{
    public NotificationChannel Channel => NotificationChannel.Email;

    public Task SendAsync(Notification notification, NoticeDelivery delivery, CancellationToken cancellationToken)
    {
        logger.LogInformation("Notification {NotificationId} ({Kind}) to {Recipient}: {Subject}",
            notification.Id, notification.Kind, delivery.Recipient, notification.Subject);
        return Task.CompletedTask;
    }
}
