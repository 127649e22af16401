using Guance.Billing.Data;
using Guance.Billing.Notifications;
using Microsoft.EntityFrameworkCore;

namespace Guance.Billing.Settlement;

/// <summary>
/// The notifications of the lock countdown, each to the workspace's Owner and to the billing account
/// that pays, written into the caller's unit of work (so they commit with their cause) and keyed per
/// workspace, lock date and recipient (so a second run writes nothing). They name the countdown's
/// cause: arrears (paid by a recharge), or a cancelled AWS or Huawei Cloud subscription (ended by
/// changing the settlement method).
/// </summary>
internal sealed class WorkspaceLockNotices(BillingDbContext db, NotificationOutbox outbox)
{
    private sealed record Recipients(
        string WorkspaceName, string OwnerEmail, string BillingAccountId, string AccountEmail, string Username, bool SubscriptionCancelled);

    public async Task WarnAsync(string workspaceId, DateTimeOffset lockAt, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var to = await RecipientsAsync(workspaceId, cancellationToken);
        Add(NotificationKind.WorkspaceLockWarning, workspaceId, to, $"lock_warning:{workspaceId}:{Key(lockAt)}", now,
            $"Workspace {to.WorkspaceName} will be locked on {NotificationTexts.Time(lockAt)}",
            to.SubscriptionCancelled
                ? $"The cloud marketplace subscription through which workspace {to.WorkspaceName} ({workspaceId}) settles was cancelled. Unless its Owner "
                  + $"changes the settlement method, the workspace is locked on {NotificationTexts.Time(lockAt)}: from then on its new data is refused."
                : $"Billing account {to.Username}, which pays for workspace {to.WorkspaceName} ({workspaceId}), is in arrears. Unless the arrears are paid, "
                  + $"the workspace is locked on {NotificationTexts.Time(lockAt)}: from then on its new data is refused. Recharge the billing account to avoid it.");
    }

    public async Task LockedAsync(string workspaceId, DateTimeOffset lockAt, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var to = await RecipientsAsync(workspaceId, cancellationToken);
        Add(NotificationKind.WorkspaceLocked, workspaceId, to, $"workspace_locked:{workspaceId}:{Key(lockAt)}", now,
            to.SubscriptionCancelled
                ? $"Workspace {to.WorkspaceName} is locked: its cloud subscription was cancelled"
                : $"Workspace {to.WorkspaceName} is locked for arrears",
            to.SubscriptionCancelled
                ? $"The cloud marketplace subscription of workspace {to.WorkspaceName} ({workspaceId}) was cancelled and its settlement method was not "
                  + $"changed by {NotificationTexts.Time(lockAt)}: the workspace is locked and its new data is refused. Changing the settlement method "
                  + "(for example to the billing center) unlocks it at once."
                : $"The settlement period of the arrears of billing account {to.Username} ended on {NotificationTexts.Time(lockAt)}: workspace "
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
         join s in db.WorkspaceSettlements.AsNoTracking() on w.Id equals s.WorkspaceId into settlements
         from s in settlements.DefaultIfEmpty()
         where w.Id == workspaceId
         select new Recipients(w.Name, u.Email, a.Id, a.Email, a.Username,
             s != null && s.CloudSubscriptionCancelledAt != null && s.Method != SettlementMethod.BillingCenter)).FirstAsync(cancellationToken);

    private static long Key(DateTimeOffset at) => UnixMicrosecondsConverter.ToMicroseconds(at);
}
