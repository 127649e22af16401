using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Guance.Billing.Notifications;

/// <summary>The background loop that delivers the outbox, on the host's clock.</summary>
public sealed class NotificationDeliveryJob(
    IServiceScopeFactory scopes,
    IOptions<NotificationOptions> options,
    TimeProvider clock,
    ILogger<NotificationDeliveryJob> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.DeliveryEnabled)
        {
            return;
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var delivery = scope.ServiceProvider.GetRequiredService<NotificationDelivery>();
                while (await delivery.DeliverDueAsync(clock.GetUtcNow(), stoppingToken) > 0)
                {
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "The notification delivery round failed; it runs again at the next interval");
            }
            try
            {
                await Task.Delay(options.Value.DeliveryInterval, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
