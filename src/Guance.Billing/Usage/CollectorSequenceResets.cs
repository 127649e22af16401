using Guance.Billing.Common;
using Guance.Billing.Data;
using Guance.Billing.Identity;
using Guance.Billing.Wallets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Guance.Billing.Usage;

/// <summary>
/// The operator's way out when a collector's mark is wrong (for example an absurd sequence accepted
/// before <see cref="SequenceRule"/> existed, which makes every later batch a duplicate): sets the mark
/// and writes an audit record in the same transaction. Idempotent by request id.
/// </summary>
public sealed class CollectorSequenceResets(BillingDbContext db, TimeProvider clock, IOptions<UsageOptions> options)
{
    public const int MaxReasonLength = 500;

    public async Task<(CollectorSequenceReset Reset, bool Replayed)> ResetAsync(
        Caller caller, string? workspaceId, string? collectorId, long lastSequence, string? reason, string? requestId, CancellationToken cancellationToken)
    {
        caller.RequireOperator();
        new RequestValidator()
            .Id(workspaceId, "workspace_id", "ws")
            .Check(CollectorIds.IsValid(collectorId), "collector_id", CollectorIds.Rule)
            .Check(lastSequence >= 0, "last_sequence", "must be at least 0")
            .Text(reason?.Trim(), "reason", MaxReasonLength)
            .RequestKey(requestId, "request_id")
            .ThrowIfInvalid();

        if (await ReplayAsync(workspaceId!, collectorId!, lastSequence, requestId!, cancellationToken) is { } earlier)
        {
            return (earlier, true);
        }
        // After the replay, whose answer does not depend on the clock: the bound of a batch's sequence from a new collector
        // (SequenceRule), since a mark above it makes every later batch a duplicate.
        new RequestValidator()
            .Check(lastSequence <= SequenceRule.Highest(0, clock.GetUtcNow(), options.Value), "last_sequence",
                "must be at most the current time in microseconds since the epoch plus Guance:Usage:MaxSequenceJump; a higher mark makes every later batch a duplicate")
            .ThrowIfInvalid();
        var collector = db.UsageCollectors.Where(c => c.WorkspaceId == workspaceId && c.CollectorId == collectorId);
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            // A write that changes nothing takes the row first (the usage writer waits for it until the
            // commit), so that the mark read next is the one this reset replaces.
            if (await collector.ExecuteUpdateAsync(s => s.SetProperty(c => c.LastSequence, c => c.LastSequence), cancellationToken) == 0)
            {
                throw Errors.NotFound(ResourceTypes.Collector, $"workspaces/{workspaceId}/collectors/{collectorId}");
            }
            var previous = await collector.Select(c => c.LastSequence).SingleAsync(cancellationToken);
            await collector.ExecuteUpdateAsync(s => s.SetProperty(c => c.LastSequence, lastSequence), cancellationToken);
            var reset = new CollectorSequenceReset
            {
                RequestId = requestId!,
                WorkspaceId = workspaceId!,
                CollectorId = collectorId!,
                PreviousSequence = previous,
                NewSequence = lastSequence,
                Reason = reason!.Trim(),
                ResetBy = "operator",
                ResetAt = clock.GetUtcNow(),
            };
            db.CollectorSequenceResets.Add(reset);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                return (reset, false);
            }
            catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
            {
                // The same request id won a race: this attempt changes nothing, and answers as that one did.
                await transaction.RollbackAsync(cancellationToken);
                db.ChangeTracker.Clear();
            }
        }
        return (await ReplayAsync(workspaceId!, collectorId!, lastSequence, requestId!, cancellationToken)
            ?? throw new InvalidOperationException("A reset's request id was taken, yet its record is missing."), true);
    }

    /// <summary>The earlier reset of this request id; REQUEST_ID_REUSED when it was another reset.</summary>
    private async Task<CollectorSequenceReset?> ReplayAsync(string workspaceId, string collectorId, long lastSequence, string requestId, CancellationToken cancellationToken)
    {
        var earlier = await db.CollectorSequenceResets.AsNoTracking().SingleOrDefaultAsync(r => r.RequestId == requestId, cancellationToken);
        if (earlier is not null && (earlier.WorkspaceId != workspaceId || earlier.CollectorId != collectorId || earlier.NewSequence != lastSequence))
        {
            throw Errors.Precondition(ErrorReasons.RequestIdReused, $"request_id {requestId}",
                $"request_id {requestId} was already used for a different reset; use a new one.");
        }
        return earlier;
    }
}
