using Guance.Billing.Common;
using Guance.Billing.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Guance.Billing.Jobs;

/// <summary>The clock as GetClock and AdvanceClock show it.</summary>
public sealed record ClockState(ClockMode Mode, DateTimeOffset Now);

/// <summary>What AdvanceClock did.</summary>
public sealed record ClockAdvance(DateTimeOffset Previous, DateTimeOffset Now, int Stops);

/// <summary>
/// AdvanceClock: moves the simulated clock forward, stopping at every instant a job falls due, and
/// runs a pass of the jobs at each stop, so that a month replays in order (a card expires before
/// the day close that would have used it, and not after). One advance at a time per host; a job that
/// fails stops the clock where it failed (FAILED_PRECONDITION JOB_FAILED), so that nothing runs out of order.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "A singleton for the life of the host whose SemaphoreSlim never makes a wait handle: nothing to free, and a dispose at shutdown could fail a release still in flight.")]
public sealed class ClockAdvancer(TimeProvider clock, JobRunner runner, IServiceScopeFactory scopes)
{
    public static readonly TimeSpan MaxAdvance = TimeSpan.FromDays(400);

    private readonly SemaphoreSlim _gate = new(1, 1);

    public ClockState Get(Caller caller)
    {
        caller.RequireOperator();
        return new ClockState(clock is SimulatedClock ? ClockMode.Simulated : ClockMode.System, clock.GetUtcNow());
    }

    /// <summary>
    /// The AdvanceClock RPC: operator only; exactly one of a target time and a duration. A target_time
    /// that was sent but is not a valid timestamp (<paramref name="malformedTarget"/>) is refused as such,
    /// never taken for an absent one (with a duration, the clock would otherwise move by the duration).
    /// </summary>
    public async Task<ClockAdvance> AdvanceAsync(Caller caller, DateTimeOffset? target, TimeSpan? duration, CancellationToken cancellationToken,
        bool malformedTarget = false)
    {
        caller.RequireOperator();
        var targetGiven = target is not null || malformedTarget;
        new RequestValidator()
            .Check(!malformedTarget, "target_time", "must be a valid timestamp (seconds from 0001-01-01 to 9999-12-31, nanos 0 to 999,999,999)")
            .Check(!targetGiven || duration is null, "duration", "give target_time or duration, not both")
            .Check(targetGiven || duration is not null, "target_time", "give target_time or duration")
            .Check(duration is null || duration > TimeSpan.Zero, "duration", "must be positive")
            .Check(duration is null || duration <= MaxAdvance, "duration", $"may be at most {MaxAdvance.TotalDays} days")
            .ThrowIfInvalid();
        if (clock is not SimulatedClock)
        {
            throw NotSimulated();
        }
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var previous = clock.GetUtcNow();
            var stops = await AdvanceAsync(target ?? previous + duration!.Value, cancellationToken);
            return new ClockAdvance(previous, clock.GetUtcNow(), stops);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Moves the clock to <paramref name="target"/>, running the jobs at every stop; returns the number of stops.</summary>
    public async Task<int> AdvanceAsync(DateTimeOffset target, CancellationToken cancellationToken)
    {
        if (clock is not SimulatedClock simulated)
        {
            throw NotSimulated();
        }
        var now = simulated.GetUtcNow();
        new RequestValidator()
            .Check(target > now, "target_time", $"must be after the clock's current time {Errors.Instant(now)}")
            .Check(target - now <= MaxAdvance, "target_time", $"may be at most {MaxAdvance.TotalDays} days ahead")
            .ThrowIfInvalid();

        var stops = 0;
        while (now < target)
        {
            var next = await NextDueAsync(now, cancellationToken) is { } due && due < target ? due : target;
            simulated.MoveTo(next);
            now = next;
            stops++;
            var failures = await runner.RunPassAsync(now, cancellationToken);
            if (failures.Count > 0)
            {
                throw Errors.Precondition(ErrorReasons.JobFailed, $"jobs/{failures[0].Job}",
                        $"Job {failures[0].Job} failed at {Errors.Instant(now)}; the clock stays there. Look at the host's log, fix the cause, and advance again (the job resumes).")
                    .With("job", failures[0].Job)
                    .With("clock_time", Errors.Instant(now));
            }
        }
        return stops;
    }

    private async Task<DateTimeOffset?> NextDueAsync(DateTimeOffset after, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        DateTimeOffset? earliest = null;
        foreach (var job in scope.ServiceProvider.GetServices<IScheduledJob>())
        {
            if (await job.NextDueAsync(after, cancellationToken) is { } due && due > after && (earliest is null || due < earliest))
            {
                earliest = due;
            }
        }
        return earliest;
    }

    private static BillingException NotSimulated() =>
        Errors.Precondition(ErrorReasons.ClockNotSimulated, "clock",
            "AdvanceClock needs Guance:Clock:Mode=Simulated; this host runs on the system clock.");
}
