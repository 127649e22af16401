using Guance.Billing.BillingAccounts;
using Guance.Billing.Jobs;
using Guance.Billing.Pricing;
using Guance.Billing.Usage;
using Guance.Billing.Wallets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Guance.Billing.Settlement;

public static class SettlementServices
{
    /// <summary>
    /// Daily settlement, price lists and the scheduler with its clock. Settlement takes over the hooks
    /// that usage and the billing center left for it: which days are closed, which workspaces are
    /// locked, which cloud accounts are in use, and what arrears do to workspaces.
    /// </summary>
    public static IServiceCollection AddSettlement(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<SettlementOptions>(configuration.GetSection(SettlementOptions.Section));
        services.AddScoped<PriceListManager>();
        services.AddScoped<SettlementReader>();
        services.AddScoped<UpgradeService>();
        services.AddScoped<CommercialRegistration>();
        services.AddScoped<BindingService>();
        services.AddScoped<SettlementMethodService>();
        services.AddScoped<BillingOverviewService>();
        services.AddScoped<BillQueries>();
        services.AddScoped<DayCloser>();
        services.AddScoped<Alerts.ConsumptionAlerts>();
        services.AddScoped<Alerts.ConsumptionAlertChecker>();
        services.AddScoped<Cloud.MeteringRecordFormer>();
        services.AddScoped<Cloud.CloudMarketplace>();
        services.AddSingleton<Cloud.MeteringMetrics>();
        services.AddScoped<Cloud.CloudSubscriptions>();
        services.AddScoped<ArrearsCountdown>();
        services.AddScoped<IScheduledJob, DayCloseJob>();
        services.AddScoped<IScheduledJob>(provider => provider.GetRequiredService<ArrearsCountdown>());
        services.AddScoped<IArrearsListener, ArrearsLockListener>();
        services.Replace(ServiceDescriptor.Scoped<ICloudAccountGuard, SettlementCloudAccountGuard>());
        services.AddSingleton<ClosedDays>();
        services.Replace(ServiceDescriptor.Singleton<IDayCloseOracle>(provider => provider.GetRequiredService<ClosedDays>()));
        services.Replace(ServiceDescriptor.Singleton<IWorkspaceLockOracle, WorkspaceLockOracle>());
        services.AddJobs(configuration);
        return services;
    }
}
