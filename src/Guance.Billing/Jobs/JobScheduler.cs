using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Guance.Billing.Jobs;

/// <summary>
/// Runs a pass of every job on the host's clock every <see cref="JobOptions.Interval"/>. Each host
/// may run it: the jobs are idempotent. With a simulated clock it stays idle; AdvanceClock runs
/// the jobs instead, in the order they fall due. A failed job is logged by the runner and retried
/// at the next pass.
/// </summary>
public sealed class JobScheduler(JobRunner runner, TimeProvider clock, IOptions<JobOptions> options, ILogger<JobScheduler> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled || clock is SimulatedClock)
        {
            return;
        }
        using var timer = new PeriodicTimer(options.Value.Interval, clock);
        do
        {
            try
            {
                await runner.RunPassAsync(clock.GetUtcNow(), stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError(e, "A pass of the scheduled jobs failed; the next pass retries.");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
