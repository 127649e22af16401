using Guance.Billing.BillingAccounts;
using Guance.Billing.Common;
using Guance.Billing.Data;
using Guance.Billing.Identity;
using Guance.Billing.Invoices;
using Guance.Billing.MonthlyBills;
using Guance.Billing.Notifications;
using Guance.Billing.Notifications.Webhooks;
using Guance.Billing.Settlement;
using Guance.Billing.Tickets;
using Guance.Billing.Wallets;
using Guance.Billing.Usage;
using Guance.Billing.Workspaces;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Guance.Billing;

/// <summary>Registers the domain: database, identity, workspaces, billing center, wallets, notifications, usage, settlement.</summary>
public static class BillingServices
{
    public static IServiceCollection AddGuanceBilling(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<GuanceOptions>(configuration.GetSection(GuanceOptions.Section));
        services.AddBillingDatabase();
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<PasswordHasherOptions>()
            .Configure<IOptions<GuanceOptions>>((hasher, guance) => hasher.IterationCount = guance.Value.Security.PasswordHashIterations);
        services.AddSingleton<IPasswordHasher<User>, PasswordHasher<User>>();

        services.AddScoped<AccessTokenService>();
        services.AddScoped<GuessThrottler>();
        services.AddScoped<ConsoleAccountService>();
        services.AddScoped<WorkspaceAccess>();
        services.AddScoped<WorkspaceManager>();
        services.AddScoped<MemberManager>();
        services.AddScoped<RetentionManager>();
        services.AddScoped<CollectorTokenManager>();
        services.AddBillingAccounts(configuration);
        services.AddWallets(configuration);
        services.AddNotifications(configuration);
        services.AddUsage(configuration);
        services.AddSettlement(configuration);
        services.AddMonthlyBills();
        services.AddInvoices();
        services.AddTickets();
        services.AddWebhooks();
        return services;
    }
}
