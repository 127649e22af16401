using Guance.Billing.Jobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Guance.Billing.Notifications;

public static class NotificationServices
{
    /// <summary>The outbox, its delivery job and the e-mail sender (SMTP when <c>Guance:Email:Host</c> is set, else the log); a sender registered later for the same channel replaces it.</summary>
    public static IServiceCollection AddNotifications(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<NotificationOptions>(configuration.GetSection(NotificationOptions.Section));
        services.AddScoped<NotificationOutbox>();
        services.AddScoped<NoticeAudiences>();
        services.AddScoped<NotificationDelivery>();
        services.AddScoped<DeliveryClaims>();
        services.AddSingleton<NotificationDeliveryInstance>();
        services.AddSingleton<NotificationMetrics>();
        services.Configure<EmailOptions>(configuration.GetSection(EmailOptions.Section));
        services.AddSingleton<LogNotificationSender>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<INotificationSender, EmailNotificationSender>());
        services.AddScoped<IScheduledJob, NotificationDeliveryJob>();
        return services;
    }
}
