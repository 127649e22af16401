using Guance.Billing.Data;
using Guance.Billing.Identity;
using Guance.Billing.Jobs;
using Guance.Billing.Notifications;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Guance.Billing.Settlement;

/// <summary>What one run of the arrears countdown did.</summary>
public sealed record ArrearsRun(int LockWarnings, int Locks);

/// <summary>
/// The arrears countdown on the clock (ProcessArrears, and the "arrears" job): a warning to the Owner
/// and the billing account <see cref="SettlementOptions.LockWarning"/> (3 days) before a workspace's
/// lock date, and the announcement of the lock when the date comes. The lock itself needs no job: a
/// workspace's usage is refused from its lock date on (<see cref="WorkspaceLockOracle"/>). Each step
/// is claimed by a conditional update in the transaction that writes its notices, so it happens once.
/// </summary>
public sealed class ArrearsCountdown(BillingDbContext db, NotificationOutbox outbox, IOptions<SettlementOptions> options, TimeProvider clock) : IScheduledJob
{
    private const int Batch = 200;

    public string Name => "arrears";

    public int Order => 30;

    public async Task<ArrearsRun> RunAsync(Caller caller, CancellationToken cancellationToken)
    {
        caller.RequireOperator();
        return await ProcessAsync(clock.GetUtcNow(), cancellationToken);
    }

    public Task RunDueAsync(DateTimeOffset now, CancellationToken cancellationToken) => ProcessAsync(now, cancellationToken);

    public async Task<ArrearsRun> ProcessAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var notices = new WorkspaceNotices(db, outbox);
        var horizon = now + options.Value.LockWarning;
        var warnings = await ClaimAllAsync(
            s => s.LockAt != null && s.LockWarningSentAt == null && s.LockAt > now && s.LockAt <= horizon,
            (id, lockAt) => db.WorkspaceSettlements.Where(s => s.WorkspaceId == id && s.LockAt == lockAt && s.LockWarningSentAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.LockWarningSentAt, now), cancellationToken),
            (id, lockAt) => notices.WarnAsync(id, lockAt, now, cancellationToken),
            cancellationToken);
        var locks = await ClaimAllAsync(
            s => s.LockAt != null && s.LockedNoticeSentAt == null && s.LockAt <= now,
            (id, lockAt) => db.WorkspaceSettlements.Where(s => s.WorkspaceId == id && s.LockAt == lockAt && s.LockedNoticeSentAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.LockedNoticeSentAt, now), cancellationToken),
            (id, lockAt) => notices.LockedAsync(id, lockAt, now, cancellationToken),
            cancellationToken);
        return new ArrearsRun(warnings, locks);
    }

    public async Task<DateTimeOffset?> NextDueAsync(DateTimeOffset after, CancellationToken cancellationToken)
    {
        var warning = options.Value.LockWarning;
        var horizon = after + warning;
        var nextWarning = await db.WorkspaceSettlements.AsNoTracking()
            .Where(s => s.LockAt != null && s.LockWarningSentAt == null && s.LockAt > horizon)
            .MinAsync(s => s.LockAt, cancellationToken);
        var nextLock = await db.WorkspaceSettlements.AsNoTracking()
            .Where(s => s.LockAt != null && s.LockedNoticeSentAt == null && s.LockAt > after)
            .MinAsync(s => s.LockAt, cancellationToken);
        var candidates = new[] { nextWarning - warning, nextLock }.Where(d => d is not null).ToList();
        return candidates.Count == 0 ? null : candidates.Min();
    }

    private async Task<int> ClaimAllAsync(
        System.Linq.Expressions.Expression<Func<WorkspaceSettlement, bool>> due,
        Func<string, DateTimeOffset, Task<int>> claim,
        Func<string, DateTimeOffset, Task> notify,
        CancellationToken cancellationToken)
    {
        var done = 0;
        var last = "";
        while (true)
        {
            var rows = await db.WorkspaceSettlements.AsNoTracking()
                .Where(due).Where(s => string.Compare(s.WorkspaceId, last) > 0)
                .OrderBy(s => s.WorkspaceId).Take(Batch)
                .Select(s => new { s.WorkspaceId, s.LockAt })
                .ToListAsync(cancellationToken);
            foreach (var row in rows)
            {
                await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
                if (await claim(row.WorkspaceId, row.LockAt!.Value) == 0)
                {
                    continue; // another run did it, or the arrears were paid meanwhile
                }
                await notify(row.WorkspaceId, row.LockAt.Value);
                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                done++;
            }
            db.ChangeTracker.Clear();
            if (rows.Count < Batch)
            {
                return done;
            }
            last = rows[^1].WorkspaceId;
        }
    }
}
