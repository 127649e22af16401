using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Guance.Billing.Jobs;

public static class JobServices
{
    /// <summary>
    /// The one scheduler of the host (every <see cref="IScheduledJob"/> registered as a scoped service
    /// runs in it), the runner, and the clock: with <c>Guance:Clock:Mode=Simulated</c> (never the
    /// default) the host's <see cref="TimeProvider"/> is a <see cref="SimulatedClock"/> that only
    /// AdvanceClock moves.
    /// </summary>
    public static IServiceCollection AddJobs(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<JobOptions>(configuration.GetSection(JobOptions.Section));
        services.Configure<ClockOptions>(configuration.GetSection(ClockOptions.Section));
        // Decided when the clock is first needed, after all configuration is in (tests add theirs late).
        services.Replace(ServiceDescriptor.Singleton<TimeProvider>(provider =>
            provider.GetRequiredService<IOptions<ClockOptions>>().Value is { Mode: ClockMode.Simulated } simulated
                ? new SimulatedClock(simulated.Start ?? TimeProvider.System.GetUtcNow())
                : TimeProvider.System));
        services.AddSingleton<JobRunner>();
        services.AddSingleton<ClockAdvancer>();
        services.AddHostedService<JobScheduler>();
        return services;
    }
}
