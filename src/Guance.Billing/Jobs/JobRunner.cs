using System.Diagnostics;
using System.Diagnostics.Metrics;
using Guance.Billing.Common;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Guance.Billing.Jobs;

/// <summary>A job that failed in a pass.</summary>
public sealed record JobFailure(string Job, Exception Error);

/// <summary>
/// Runs one pass of every scheduled job, in order, each in its own scope. A job that fails is logged
/// and the pass goes on with the others (every job resumes where it stopped at its next pass).
/// </summary>
public sealed class JobRunner(IServiceScopeFactory scopes, ILogger<JobRunner> logger, IMeterFactory meters)
{
    private readonly Histogram<double> _duration = meters.Create("Guance.Billing.Jobs")
        .CreateHistogram<double>("guance.jobs.duration", unit: "s", description: "Duration of one run of a scheduled job.");

    /// <summary>Runs every job once at <paramref name="now"/>; returns the failures.</summary>
    public async Task<IReadOnlyList<JobFailure>> RunPassAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        List<string> names;
        await using (var scope = scopes.CreateAsyncScope())
        {
            names = scope.ServiceProvider.GetServices<IScheduledJob>().OrderBy(j => j.Order).Select(j => j.Name).ToList();
        }
        var failures = new List<JobFailure>();
        foreach (var name in names)
        {
            try
            {
                await RunAsync(name, now, cancellationToken);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                logger.LogError(e, "Job {Job} failed at {Now}; its next pass resumes it.", name, now);
                failures.Add(new JobFailure(name, e));
            }
        }
        return failures;
    }

    public async Task RunAsync(string name, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // A fresh scope per job: one job's unit of work never leaks into the next.
        await using var scope = scopes.CreateAsyncScope();
        var job = scope.ServiceProvider.GetServices<IScheduledJob>().Single(j => j.Name == name);
        var started = Stopwatch.GetTimestamp();
        using var activity = BillingTelemetry.StartJob(name);
        try
        {
            await job.RunDueAsync(now, cancellationToken);
        }
        catch (Exception e)
        {
            activity?.SetStatus(ActivityStatusCode.Error, e.GetType().Name);
            throw;
        }
        finally
        {
            _duration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, new KeyValuePair<string, object?>("job", name));
            logger.LogDebug("Job {Job} ran for {Now}", name, now);
        }
    }
}
