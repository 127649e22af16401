using Guance.Billing.Jobs;
using Microsoft.Extensions.Logging;

namespace Guance.Billing.Tickets;

/// <summary>
/// The automatic close of docs/domain.md §8 on the host's scheduler: a ticket whose support feedback
/// has had no answer for 7 days closes. Idempotent (conditional updates), so hosts may run it at once;
/// the simulated clock stops at each ticket's due instant.
/// </summary>
public sealed class TicketAutoCloseJob(TicketTransitions transitions, ILogger<TicketAutoCloseJob> logger) : IScheduledJob
{
    public string Name => "ticket-auto-close";

    public int Order => 60;

    public async Task RunDueAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var closed = await transitions.AutoCloseDueAsync(now, cancellationToken);
        if (closed > 0)
        {
            logger.LogInformation("Ticket auto-close: {Closed} tickets closed.", closed);
        }
    }

    public Task<DateTimeOffset?> NextDueAsync(DateTimeOffset after, CancellationToken cancellationToken) =>
        transitions.NextAutoCloseAsync(after, cancellationToken);
}
