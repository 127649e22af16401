using Guance.Billing.Data;
using Guance.Billing.Notifications;
using Microsoft.EntityFrameworkCore;

namespace Guance.Billing.Settlement;

/// <summary>
/// The notifications about a commercial workspace (its upgrade and the lock countdown), each to the billing
/// account that pays and to the workspace's Owner and Administrators, each address once (docs/domain.md §9),
/// written into the caller's unit of work (so they commit with their cause) and keyed per workspace, event and
/// recipient (so a second run writes nothing). The countdown's notices name its cause: arrears (paid by a recharge), or a
/// cancelled AWS or Huawei Cloud subscription (ended by changing the settlement method).
/// </summary>
internal sealed class WorkspaceNotices(BillingDbContext db, NotificationOutbox outbox)
{
    private sealed record Payer(string WorkspaceName, string BillingAccountId, string AccountEmail, string Username, bool SubscriptionCancelled);

    /// <summary>The upgrade to the commercial plan: from when the account pays, and whether through a cloud marketplace.</summary>
    public async Task UpgradedAsync(string workspaceId, DateTimeOffset upgradedAt, bool throughMarketplace, CancellationToken cancellationToken) =>
        await AddAsync(NotificationKind.WorkspaceUpgraded, workspaceId, $"workspace_upgraded:{workspaceId}", upgradedAt,
            values => values.Time("upgraded_at", upgradedAt).Flag("marketplace", throughMarketplace), cancellationToken);

    public async Task WarnAsync(string workspaceId, DateTimeOffset lockAt, DateTimeOffset now, CancellationToken cancellationToken) =>
        await AddAsync(NotificationKind.WorkspaceLockWarning, workspaceId, $"lock_warning:{workspaceId}:{Key(lockAt)}", now,
            values => values.Time("lock_at", lockAt), cancellationToken);

    public async Task LockedAsync(string workspaceId, DateTimeOffset lockAt, DateTimeOffset now, CancellationToken cancellationToken) =>
        await AddAsync(NotificationKind.WorkspaceLocked, workspaceId, $"workspace_locked:{workspaceId}:{Key(lockAt)}", now,
            values => values.Time("lock_at", lockAt), cancellationToken);

    public async Task UnlockedAsync(string workspaceId, string transactionId, DateTimeOffset now, CancellationToken cancellationToken) =>
        await AddAsync(NotificationKind.WorkspaceUnlocked, workspaceId, $"workspace_unlocked:{workspaceId}:{transactionId}", now,
            values => values, cancellationToken);

    private async Task AddAsync(NotificationKind kind, string workspaceId, string key, DateTimeOffset now, Func<NoticeValues, NoticeValues> figures,
        CancellationToken cancellationToken)
    {
        var payer = await PayerAsync(workspaceId, cancellationToken);
        foreach (var recipient in await NoticeRecipients.OfWorkspaceAsync(db, workspaceId, payer.AccountEmail, cancellationToken))
        {
            var values = figures(new NoticeValues()
                .Text("workspace", payer.WorkspaceName).Text("workspace_id", workspaceId).Text("account", payer.Username)
                .Flag("cloud", payer.SubscriptionCancelled));
            outbox.Add(new NotificationDraft(kind, payer.BillingAccountId, recipient.Email, values, workspaceId, key + ":" + recipient.Key, workspaceId, recipient.Primary), now);
        }
    }

    private Task<Payer> PayerAsync(string workspaceId, CancellationToken cancellationToken) =>
        (from w in db.Workspaces.AsNoTracking()
         join b in db.WorkspaceBindings.AsNoTracking() on w.Id equals b.WorkspaceId
         join a in db.BillingAccounts.AsNoTracking() on b.BillingAccountId equals a.Id
         join s in db.WorkspaceSettlements.AsNoTracking() on w.Id equals s.WorkspaceId into settlements
         from s in settlements.DefaultIfEmpty()
         where w.Id == workspaceId
         select new Payer(w.Name, a.Id, a.Email, a.Username,
             s != null && s.CloudSubscriptionCancelledAt != null && s.Method != SettlementMethod.BillingCenter)).FirstAsync(cancellationToken);

    private static long Key(DateTimeOffset at) => UnixMicrosecondsConverter.ToMicroseconds(at);
}
