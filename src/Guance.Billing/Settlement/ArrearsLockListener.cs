using Guance.Billing.Data;
using Guance.Billing.Notifications;
using Guance.Billing.Wallets;
using Guance.Billing.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Guance.Billing.Settlement;

/// <summary>
/// Starts and ends the arrears countdown of workspaces, inside the wallet's transaction (so it commits
/// with the charge or payment that caused it): when a charge leaves arrears, every workspace that the
/// billing account pays for through the billing center gets its lock date (the start of the arrears
/// plus the 14-day settlement period), which the ARREARS_STARTED notice names; when the arrears are
/// paid in full, the countdown ends and a locked workspace is unlocked at once, with a notice.
/// Both arrears notices also go to the Owners and Administrators of those workspaces (docs/domain.md §9),
/// each address once; the account's own copy, which its webhooks get, is the wallet's.
/// </summary>
public sealed class ArrearsLockListener(BillingDbContext db, NotificationOutbox outbox, IOptions<SettlementOptions> options) : IArrearsListener
{
    public async Task OnArrearsChangedAsync(ArrearsChange change, NoticeValues notice, CancellationToken cancellationToken)
    {
        var accountId = change.BillingAccountId;
        var countdown = db.WorkspaceSettlements.Where(s => s.Method == SettlementMethod.BillingCenter
            && db.WorkspaceBindings.Any(b => b.WorkspaceId == s.WorkspaceId && b.BillingAccountId == accountId));
        if (change.Kind == ArrearsChangeKind.Started)
        {
            var lockAt = change.ArrearsSince + options.Value.SettlementPeriod;
            await countdown.Where(s => s.LockAt == null).ExecuteUpdateAsync(s => s
                .SetProperty(x => x.LockAt, lockAt)
                .SetProperty(x => x.LockWarningSentAt, (DateTimeOffset?)null)
                .SetProperty(x => x.LockedNoticeSentAt, (DateTimeOffset?)null)
                .SetProperty(x => x.UpdatedAt, change.At)
                .SetProperty(x => x.Version, x => x.Version + 1), cancellationToken);
            // A workspace that already had a countdown keeps its date: the notice names the first lock.
            if (await countdown.MinAsync(s => s.LockAt, cancellationToken) is { } firstLock)
            {
                notice.Time("lock_at", firstLock).Flag("locks", true);
            }
            await TellWorkspacesAsync(change, notice, NotificationKind.ArrearsStarted, "arrears_started", countdown, cancellationToken);
            return;
        }
        await TellWorkspacesAsync(change, notice, NotificationKind.ArrearsPaid, "arrears_paid", countdown, cancellationToken);

        var at = change.At;
        var locked = await countdown.AsNoTracking().Where(s => s.LockAt != null && s.LockAt <= at).Select(s => s.WorkspaceId).ToListAsync(cancellationToken);
        var notices = new WorkspaceNotices(db, outbox);
        foreach (var workspaceId in locked)
        {
            await notices.UnlockedAsync(workspaceId, change.TransactionId, at, cancellationToken);
        }
        // Only the billing-center workspaces' countdowns are the arrears': a cancelled cloud subscription's countdown stays.
        await db.WorkspaceSettlements
            .Where(s => s.LockAt != null && s.Method == SettlementMethod.BillingCenter
                && db.WorkspaceBindings.Any(b => b.WorkspaceId == s.WorkspaceId && b.BillingAccountId == accountId))
            .ExecuteUpdateAsync(s => s
                .SetProperty(x => x.LockAt, (DateTimeOffset?)null)
                .SetProperty(x => x.LockWarningSentAt, (DateTimeOffset?)null)
                .SetProperty(x => x.LockedNoticeSentAt, (DateTimeOffset?)null)
                .SetProperty(x => x.UpdatedAt, at)
                .SetProperty(x => x.Version, x => x.Version + 1), cancellationToken);
    }

    private async Task TellWorkspacesAsync(
        ArrearsChange change, NoticeValues notice, NotificationKind kind, string key, IQueryable<WorkspaceSettlement> workspaces, CancellationToken cancellationToken)
    {
        var accountEmail = await db.BillingAccounts.Where(a => a.Id == change.BillingAccountId).Select(a => a.Email).FirstAsync(cancellationToken);
        // A dissolved workspace keeps its binding and members, but is no longer paid for.
        var active = workspaces.Select(s => s.WorkspaceId).Where(id => db.Workspaces.Any(w => w.Id == id && w.State == WorkspaceState.Active));
        var recipients = await NoticeRecipients.OfWorkspacesAsync(db, active, accountEmail, cancellationToken);
        foreach (var recipient in recipients.Where(r => !r.Primary))
        {
            outbox.Add(new NotificationDraft(kind, change.BillingAccountId, recipient.Email, notice, change.TransactionId,
                $"{key}:{change.TransactionId}:{recipient.Key}", ToWebhooks: false), change.At);
        }
    }
}
