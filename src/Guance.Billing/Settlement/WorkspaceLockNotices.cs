using Guance.Billing.Data;
using Guance.Billing.Notifications;
using Microsoft.EntityFrameworkCore;

namespace Guance.Billing.Settlement;

/// <summary>
/// The notifications of the arrears countdown, each to the workspace's Owner and to the billing
/// account that owes, written into the caller's unit of work (so they commit with their cause) and
/// keyed per workspace, lock date and recipient (so a second run writes nothing).
/// </summary>
internal sealed class WorkspaceLockNotices(BillingDbContext db, NotificationOutbox outbox)
{
    private sealed record Recipients(string WorkspaceName, string OwnerEmail, string BillingAccountId, string AccountEmail, string Username);

    public async Task WarnAsync(string workspaceId, DateTimeOffset lockAt, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var to = await RecipientsAsync(workspaceId, cancellationToken);
        Add(NotificationKind.WorkspaceLockWarning, workspaceId, to, $"lock_warning:{workspaceId}:{Key(lockAt)}", now,
            $"Workspace {to.WorkspaceName} will be locked on {NotificationTexts.Time(lockAt)}",
            $"Billing account {to.Username}, which pays for workspace {to.WorkspaceName} ({workspaceId}), is in arrears. Unless the arrears are paid, "
            + $"the workspace is locked on {NotificationTexts.Time(lockAt)}: from then on its new data is refused. Recharge the billing account to avoid it.");
    }

    public async Task LockedAsync(string workspaceId, DateTimeOffset lockAt, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var to = await RecipientsAsync(workspaceId, cancellationToken);
        Add(NotificationKind.WorkspaceLocked, workspaceId, to, $"workspace_locked:{workspaceId}:{Key(lockAt)}", now,
            $"Workspace {to.WorkspaceName} is locked for arrears",
            $"The settlement period of the arrears of billing account {to.Username} ended on {NotificationTexts.Time(lockAt)}: workspace "
            + $"{to.WorkspaceName} ({workspaceId}) is locked and its new data is refused. Paying the arrears unlocks it at once.");
    }

    public async Task UnlockedAsync(string workspaceId, string transactionId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var to = await RecipientsAsync(workspaceId, cancellationToken);
        Add(NotificationKind.WorkspaceUnlocked, workspaceId, to, $"workspace_unlocked:{workspaceId}:{transactionId}", now,
            $"Workspace {to.WorkspaceName} is unlocked",
            $"The arrears of billing account {to.Username} are paid: workspace {to.WorkspaceName} ({workspaceId}) takes data again.");
    }

    private void Add(NotificationKind kind, string workspaceId, Recipients to, string key, DateTimeOffset now, string subject, string body)
    {
        outbox.Add(new NotificationDraft(kind, to.BillingAccountId, to.AccountEmail, subject, body, workspaceId, key + ":account"), now);
        outbox.Add(new NotificationDraft(kind, to.BillingAccountId, to.OwnerEmail, subject, body, workspaceId, key + ":owner"), now);
    }

    private Task<Recipients> RecipientsAsync(string workspaceId, CancellationToken cancellationToken) =>
        (from w in db.Workspaces.AsNoTracking()
         join u in db.Users.AsNoTracking() on w.OwnerUserId equals u.Id
         join b in db.WorkspaceBindings.AsNoTracking() on w.Id equals b.WorkspaceId
         join a in db.BillingAccounts.AsNoTracking() on b.BillingAccountId equals a.Id
         where w.Id == workspaceId
         select new Recipients(w.Name, u.Email, a.Id, a.Email, a.Username)).FirstAsync(cancellationToken);

    private static long Key(DateTimeOffset at) => UnixMicrosecondsConverter.ToMicroseconds(at);
}
