using Guance.Billing.Jobs;
using Microsoft.Extensions.DependencyInjection;

namespace Guance.Billing.Tickets;

public static class TicketServices
{
    /// <summary>Support tickets: access, creation and replies, state changes, queries, the auto-close job.</summary>
    public static IServiceCollection AddTickets(this IServiceCollection services)
    {
        services.AddScoped<TicketAccess>();
        services.AddScoped<TicketNotices>();
        services.AddScoped<TicketManager>();
        services.AddScoped<TicketTransitions>();
        services.AddScoped<TicketQueries>();
        services.AddScoped<IScheduledJob, TicketAutoCloseJob>();
        return services;
    }
}
