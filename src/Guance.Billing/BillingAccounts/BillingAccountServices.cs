using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Guance.Billing.BillingAccounts;

public static class BillingAccountServices
{
    /// <summary>Billing-center accounts, sessions, certification, cloud accounts and binding codes.</summary>
    public static IServiceCollection AddBillingAccounts(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<BillingCenterOptions>(configuration.GetSection(BillingCenterOptions.Section));
        services.AddSingleton<IPasswordHasher<BillingAccount>, PasswordHasher<BillingAccount>>();
        services.AddScoped<BillingAccountAccess>();
        services.AddScoped<BillingAccountManager>();
        services.AddScoped<CertificationManager>();
        services.AddScoped<CloudAccountManager>();
        services.AddScoped<BindingCodeManager>();
        services.TryAddScoped<ICloudAccountGuard, NoCloudSettlementYet>();
        return services;
    }
}
