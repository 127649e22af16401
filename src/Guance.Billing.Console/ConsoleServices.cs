using Guance.Billing.Console.Api;
using Guance.Billing.Console.Components;
using Guance.Billing.Console.Session;
using Microsoft.Extensions.DependencyInjection.Extensions;
using MudBlazor.Services;

namespace Guance.Billing.Console;

/// <summary>The console's services; component tests register the same ones with a fake connection.</summary>
public static class ConsoleServices
{
    /// <summary>Registers the console against the host at <paramref name="hostAddress"/> (the page's own origin) over gRPC-Web.</summary>
    public static IServiceCollection AddConsole(this IServiceCollection services, Uri hostAddress)
    {
        services.AddSingleton<ConsoleConnection>(new GrpcWebConnection(hostAddress));
        return services.AddConsoleState();
    }

    /// <summary>Everything but the connection.</summary>
    public static IServiceCollection AddConsoleState(this IServiceCollection services)
    {
        services.AddMudServices();
        services.TryAddSingleton(TimeProvider.System);
        services.AddScoped<ISessionStore, BrowserSessionStore>();
        services.AddScoped<ConsoleSession>();
        services.AddScoped<ConsoleApi>();
        services.AddScoped<WorkspaceDirectory>();
        services.AddScoped<BillingCatalog>();
        services.AddScoped<BillingCenterSession>();
        services.AddScoped<BillingCenterApi>();
        services.AddScoped<BrowserDownload>();
        services.AddScoped<BrowserClipboard>();
        return services;
    }
}
