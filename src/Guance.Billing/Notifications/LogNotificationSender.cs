using Microsoft.Extensions.Logging;

namespace Guance.Billing.Notifications;

/// <summary>The default sender: writes each notification to the log (no mail server needed to run the product).</summary>
public sealed class LogNotificationSender(ILogger<LogNotificationSender> logger) : INotificationSender
{
    public Task SendAsync(Notification notification, CancellationToken cancellationToken)
    {
        logger.LogInformation("Notification {NotificationId} ({Kind}) to {Recipient}: {Subject}",
            notification.Id, notification.Kind, notification.Recipient, notification.Subject);
        return Task.CompletedTask;
    }
}
