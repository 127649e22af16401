using Guance.Billing.BillingAccounts;
using Guance.Billing.Common;
using Guance.Billing.Data;
using Guance.Billing.Identity;
using Guance.Billing.Notifications;
using Guance.Billing.Settlement;
using Guance.Billing.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Guance.Billing.Cloud;

/// <summary>A workspace that settled through a cancelled subscription, as it settles now.</summary>
public sealed record CancelledWorkspace(string WorkspaceId, SettlementMethod Method, DateTimeOffset? LockAt);

/// <summary>
/// CancelCloudSubscription (operator, on the marketplace's notice), docs/domain.md §7: every workspace that
/// settles through the cloud account records the cancellation (so it may leave the account). Alibaba
/// Cloud falls back to the billing center at once, with a notice; AWS and Huawei Cloud start the
/// 14-day countdown to the lock, the same one as arrears (<see cref="ArrearsCountdown"/> warns and
/// announces it; the lock oracle refuses usage from its date), ended by changing the settlement method;
/// meanwhile the day close bills them to the billing center (<see cref="DayRating"/>), since the
/// marketplace takes no metering for a cancelled subscription.
/// Each workspace is a conditional update of its settlement, and a second notice of the same
/// cancellation changes nothing.
/// </summary>
public sealed class CloudSubscriptions(
    BillingDbContext db, SettlementReader reader, NotificationOutbox outbox, IOptions<SettlementOptions> options, TimeProvider clock)
{
    public async Task<(CloudAccount Account, IReadOnlyList<CancelledWorkspace> Workspaces)> CancelAsync(
        Caller caller, string? cloudAccountId, CancellationToken cancellationToken)
    {
        caller.RequireOperator();
        new RequestValidator().Id(cloudAccountId, "cloud_account_id", "ca").ThrowIfInvalid();
        var account = await db.CloudAccounts.AsNoTracking().FirstOrDefaultAsync(c => c.Id == cloudAccountId, cancellationToken)
            ?? throw Errors.NotFound(ResourceTypes.CloudAccount, cloudAccountId!);
        var settlements = await db.WorkspaceSettlements.AsNoTracking()
            .Where(s => s.CloudAccountId == cloudAccountId && s.CloudSubscriptionCancelledAt == null)
            .OrderBy(s => s.WorkspaceId)
            .ToListAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var fallsBack = account.Provider == CloudProvider.AlibabaCloud;
        var lockAfterCancel = now + options.Value.SettlementPeriod;
        var cancelled = new List<CancelledWorkspace>(settlements.Count);

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        foreach (var settlement in settlements)
        {
            int updated;
            CancelledWorkspace result;
            if (fallsBack)
            {
                var lockAt = await reader.LockAtAsync(account.BillingAccountId, SettlementMethod.BillingCenter, cancellationToken);
                updated = await db.WorkspaceSettlements
                    .Where(s => s.WorkspaceId == settlement.WorkspaceId && s.Version == settlement.Version)
                    .ExecuteUpdateAsync(s => s
                        .SetProperty(x => x.Method, SettlementMethod.BillingCenter)
                        .SetProperty(x => x.CloudAccountId, (string?)null)
                        .SetProperty(x => x.CloudSubscriptionCancelledAt, now)
                        .SetProperty(x => x.LockAt, lockAt)
                        .SetProperty(x => x.LockWarningSentAt, (DateTimeOffset?)null)
                        .SetProperty(x => x.LockedNoticeSentAt, (DateTimeOffset?)null)
                        .SetProperty(x => x.UpdatedAt, now)
                        .SetProperty(x => x.Version, x => x.Version + 1), cancellationToken);
                // The audit trail records the fallback; it is the marketplace's doing, so it does not use the Owner's monthly change.
                db.SettlementChanges.Add(new SettlementChange
                {
                    WorkspaceId = settlement.WorkspaceId,
                    Kind = SettlementChangeKind.Method,
                    At = now,
                    FromMethod = settlement.Method,
                    ToMethod = SettlementMethod.BillingCenter,
                    CloudAccountId = cloudAccountId,
                });
                result = new CancelledWorkspace(settlement.WorkspaceId, SettlementMethod.BillingCenter, lockAt);
            }
            else
            {
                var lockAt = settlement.LockAt ?? lockAfterCancel;
                updated = await db.WorkspaceSettlements
                    .Where(s => s.WorkspaceId == settlement.WorkspaceId && s.Version == settlement.Version)
                    .ExecuteUpdateAsync(s => s
                        .SetProperty(x => x.CloudSubscriptionCancelledAt, now)
                        .SetProperty(x => x.LockAt, lockAt)
                        .SetProperty(x => x.UpdatedAt, now)
                        .SetProperty(x => x.Version, x => x.Version + 1), cancellationToken);
                result = new CancelledWorkspace(settlement.WorkspaceId, settlement.Method, lockAt);
            }
            if (updated == 0)
            {
                throw Errors.Aborted(ErrorReasons.ConcurrentUpdate, "A workspace's settlement changed while the cancellation ran; retry it.");
            }
            await NotifyAsync(account, result, now, cancellationToken);
            cancelled.Add(result);
        }
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return (account, cancelled);
    }

    private async Task NotifyAsync(CloudAccount account, CancelledWorkspace workspace, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var to = await (from w in db.Workspaces.AsNoTracking()
                        join a in db.BillingAccounts.AsNoTracking() on account.BillingAccountId equals a.Id
                        where w.Id == workspace.WorkspaceId
                        select new { w.Name, AccountEmail = a.Email, a.Username }).FirstAsync(cancellationToken);
        var key = $"cloud_subscription_cancelled:{workspace.WorkspaceId}:{account.Id}";
        foreach (var recipient in await NoticeRecipients.OfWorkspaceAsync(db, workspace.WorkspaceId, to.AccountEmail, cancellationToken))
        {
            var values = new NoticeValues()
                .Text("cloud", SettlementMethods.Of(account.Provider).Name()).Text("cloud_account", account.ProviderAccountId)
                .Text("workspace", to.Name).Text("workspace_id", workspace.WorkspaceId).Text("account", to.Username)
                .Flag("locks", workspace.Method != SettlementMethod.BillingCenter);
            if (workspace.LockAt is { } lockAt)
            {
                values.Time("lock_at", lockAt);
            }
            outbox.Add(new NotificationDraft(NotificationKind.CloudSubscriptionCancelled, account.BillingAccountId, recipient.Email, values,
                workspace.WorkspaceId, key + ":" + recipient.Key, workspace.WorkspaceId, recipient.Primary), now);
        }
    }
}
