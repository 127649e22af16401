using Guance.Billing.Data;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Guance.Billing.Host.Infrastructure;

/// <summary>
/// The database's part of a start, on a thread of its own while the main thread maps the endpoints, so
/// that a start uses both cores (docs/performance.md, Start-up): the migrations
/// (<see cref="DatabaseSetup.MigrateAsync"/>), then one run of the health checks, which compiles EF's first
/// query before the first <c>Health/Check</c> arrives. The host listens only once this is done, so it never
/// answers, SERVING or otherwise, before the database is migrated.
/// </summary>
public static class DatabaseStartup
{
    public const string HealthCheckedPhase = "health checked";

    public static Task PrepareAsync(IServiceProvider services, Action<string> phaseDone, CancellationToken cancellationToken) =>
        Task.Run(async () =>
        {
            await DatabaseSetup.MigrateAsync(services, cancellationToken, phaseDone);
            // The result does not matter here: every Health/Check runs the checks again.
            await services.GetRequiredService<HealthCheckService>().CheckHealthAsync(cancellationToken);
            phaseDone(HealthCheckedPhase);
        }, cancellationToken);
}
