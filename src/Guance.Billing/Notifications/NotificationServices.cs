using Guance.Billing.Jobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Guance.Billing.Notifications;

public static class NotificationServices
{
    /// <summary>The outbox, its delivery job and the default (log) sender; register another <see cref="INotificationSender"/> to replace it.</summary>
    public static IServiceCollection AddNotifications(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<NotificationOptions>(configuration.GetSection(NotificationOptions.Section));
        services.AddScoped<NotificationOutbox>();
        services.AddScoped<NotificationDelivery>();
        services.AddSingleton<NotificationDeliveryInstance>();
        services.TryAddSingleton<INotificationSender, LogNotificationSender>();
        services.AddScoped<IScheduledJob, NotificationDeliveryJob>();
        return services;
    }
}
