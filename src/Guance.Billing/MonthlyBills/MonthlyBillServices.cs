using Guance.Billing.Jobs;
using Microsoft.Extensions.DependencyInjection;

namespace Guance.Billing.MonthlyBills;

public static class MonthlyBillServices
{
    /// <summary>Monthly bills: generation (on demand and the scheduled job), queries and the CSV export.</summary>
    public static IServiceCollection AddMonthlyBills(this IServiceCollection services)
    {
        services.AddScoped<MonthlyBillGenerator>();
        services.AddScoped<MonthlyBillManager>();
        services.AddScoped<MonthlyBillCsv>();
        services.AddSingleton<MonthlyBillProgress>();
        services.AddScoped<IScheduledJob, MonthlyBillJob>();
        return services;
    }
}
