using Microsoft.Extensions.DependencyInjection;

namespace Guance.Billing.Notifications.Webhooks;

public static class WebhookServices
{
    /// <summary>Webhook endpoints of billing accounts and their delivery log.</summary>
    public static IServiceCollection AddWebhooks(this IServiceCollection services)
    {
        services.AddScoped<WebhookEndpoints>();
        services.AddScoped<WebhookDeliveries>();
        services.AddScoped<WebhookHealth>();
        return services;
    }
}
