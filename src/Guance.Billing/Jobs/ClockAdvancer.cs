using Guance.Billing.Common;
using Microsoft.Extensions.DependencyInjection;

namespace Guance.Billing.Jobs;

/// <summary>
/// AdvanceClock: moves the simulated clock forward, stopping at every instant a job falls due, and
/// runs a pass of the jobs at each stop, so that a month replays in order (a card expires before
/// the day close that would have used it, and not after).
/// </summary>
public sealed class ClockAdvancer(TimeProvider clock, JobRunner runner, IServiceScopeFactory scopes)
{
    public static readonly TimeSpan MaxAdvance = TimeSpan.FromDays(400);

    public async Task<DateTimeOffset> AdvanceAsync(DateTimeOffset target, CancellationToken cancellationToken)
    {
        if (clock is not SimulatedClock simulated)
        {
            throw Errors.Precondition("CLOCK_NOT_SIMULATED", "clock",
                "AdvanceClock needs Guance:Clock:Mode=Simulated; this host runs on the system clock.");
        }
        var now = simulated.GetUtcNow();
        new RequestValidator()
            .Check(target > now, "target", $"must be after the clock's current time {now:O}")
            .Check(target - now <= MaxAdvance, "target", $"may be at most {MaxAdvance.TotalDays} days ahead")
            .ThrowIfInvalid();

        while (now < target)
        {
            var next = await NextDueAsync(now, cancellationToken) is { } due && due < target ? due : target;
            simulated.MoveTo(next);
            now = next;
            await runner.RunPassAsync(now, cancellationToken);
        }
        return now;
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
}
