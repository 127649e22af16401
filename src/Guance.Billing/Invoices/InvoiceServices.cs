using Microsoft.Extensions.DependencyInjection;

namespace Guance.Billing.Invoices;

public static class InvoiceServices
{
    /// <summary>Invoices: information and addresses, sources, requests, the operator's desk, verification.</summary>
    public static IServiceCollection AddInvoices(this IServiceCollection services)
    {
        services.AddScoped<InvoiceWrites>();
        services.AddScoped<InvoiceableSources>();
        services.AddScoped<InvoiceTransitions>();
        services.AddScoped<InvoiceProfileManager>();
        services.AddScoped<InvoiceManager>();
        services.AddScoped<InvoiceDesk>();
        services.AddScoped<InvoiceVerifier>();
        services.AddSingleton<Notifications.INoticeAttachments, InvoiceNoticeAttachments>();
        return services;
    }
}
