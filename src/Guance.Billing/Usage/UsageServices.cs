using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Guance.Billing.Usage;

/// <summary>Registers usage ingestion (the single writer runs as a hosted service) and the usage reports.</summary>
public static class UsageServices
{
    public static IServiceCollection AddUsage(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<UsageOptions>(configuration.GetSection(UsageOptions.Section));
        services.AddMetrics();
        services.TryAddSingleton<IDayCloseOracle, GraceDayCloseOracle>();
        services.TryAddSingleton<IWorkspaceLockOracle, NeverLockedWorkspaces>();
        services.AddSingleton<UsageDatabase>();
        services.AddSingleton<UsageMetrics>();
        services.AddSingleton<CollectorStreams>();
        services.AddSingleton<UsageWriter>();
        services.AddHostedService(provider => provider.GetRequiredService<UsageWriter>());
        services.AddSingleton<UsageIngestion>();
        services.AddScoped<UsageReports>();
        services.AddScoped<CollectorSequenceResets>();
        return services;
    }
}
