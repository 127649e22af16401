using Microsoft.Extensions.Configuration;
using Guance.Billing.Jobs;
using Microsoft.Extensions.DependencyInjection;

namespace Guance.Billing.Wallets;

public static class WalletServices
{
    /// <summary>The ledger, charge engine, recharge, vouchers, cards, expiry (a job of the scheduler), verification.</summary>
    public static IServiceCollection AddWallets(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<WalletOptions>(configuration.GetSection(WalletOptions.Section));
        services.AddSingleton<WalletWriteGate>();
        services.AddSingleton<ChargeWriter>();
        services.AddSingleton<WalletMetrics>();
        services.AddScoped<WalletLedger>();
        services.AddScoped<WalletWriteRetry>();
        services.AddScoped<ChargeEngine>();
        services.AddScoped<ChargeBatches>();
        services.AddScoped<RechargeService>();
        services.AddScoped<VoucherManager>();
        services.AddScoped<PrepaidCardManager>();
        services.AddScoped<HuaweiCardOrders>();
        services.AddScoped<WalletQueries>();
        services.AddScoped<ExpiryService>();
        services.AddScoped<LedgerVerifier>();
        services.AddScoped<IScheduledJob, ExpiryJob>();
        return services;
    }
}
