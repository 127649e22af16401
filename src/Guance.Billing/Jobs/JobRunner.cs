using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Guance.Billing.Jobs;

/// <summary>Runs one pass of every scheduled job, in order, each in its own scope.</summary>
public sealed class JobRunner(IServiceScopeFactory scopes, ILogger<JobRunner> logger, IMeterFactory meters)
{
    private readonly Histogram<double> _duration = meters.Create("Guance.Billing.Jobs")
        .CreateHistogram<double>("guance.jobs.duration", unit: "s", description: "Duration of one run of a scheduled job.");

    public async Task RunPassAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var jobs = scope.ServiceProvider.GetServices<IScheduledJob>().OrderBy(j => j.Order).ToList();
        foreach (var job in jobs)
        {
            await RunAsync(job.Name, now, cancellationToken);
        }
    }

    public async Task RunAsync(string name, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // A fresh scope per job: one job's unit of work never leaks into the next.
        await using var scope = scopes.CreateAsyncScope();
        var job = scope.ServiceProvider.GetServices<IScheduledJob>().Single(j => j.Name == name);
        var started = Stopwatch.GetTimestamp();
        try
        {
            await job.RunDueAsync(now, cancellationToken);
        }
        finally
        {
            _duration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, new KeyValuePair<string, object?>("job", name));
            logger.LogDebug("Job {Job} ran for {Now}", name, now);
        }
    }
}
