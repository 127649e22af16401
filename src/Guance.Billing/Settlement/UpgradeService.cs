using Guance.Billing.BillingAccounts;
using Guance.Billing.Common;
using Guance.Billing.Data;
using Guance.Billing.Identity;
using Guance.Billing.Notifications;
using Guance.Billing.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace Guance.Billing.Settlement;

/// <summary>
/// UpgradeToCommercial: the Owner redeems a binding code of the billing account that is to pay (both
/// sides consent), and in one transaction the workspace becomes commercial (irreversibly), is bound,
/// starts settling and gets the commercial retention defaults at once. Experience usage is never
/// billed nor shown: rating and statistics count hours from the upgrade on. A workspace of the
/// official website settles through the billing center; one activated through a cloud marketplace
/// through the cloud account the upgrade names, of that marketplace's cloud and of the binding
/// billing account, and only through it (docs/domain.md §2, §7).
/// </summary>
public sealed class UpgradeService(
    BillingDbContext db, WorkspaceAccess access, BindingCodeManager codes, SettlementReader reader, NotificationOutbox outbox, TimeProvider clock)
{
    public async Task<(WorkspaceDetails Workspace, SettlementView Settlement)> UpgradeAsync(
        Caller caller, string workspaceId, string? bindingCode, string? cloudAccountId, CancellationToken cancellationToken)
    {
        var validator = new RequestValidator().Check(BindingCodeManager.IsWellFormed(bindingCode), "binding_code",
            "must be a binding code such as K7QM-3XPA-9WRT, made by the paying billing-center account on its Binding codes page");
        if (!string.IsNullOrEmpty(cloudAccountId))
        {
            validator.Id(cloudAccountId, "cloud_account_id", "ca");
        }
        var grant = await access.AuthorizeAsync(caller, workspaceId, WorkspacePermission.ManageBilling, cancellationToken, validator);
        WorkspaceManager.EnsureActive(grant.Workspace);
        if (grant.Workspace.Plan == Plan.Commercial)
        {
            throw SettlementErrors.AlreadyCommercial(workspaceId);
        }
        var marketplace = ActivationChannels.MarketplaceOf(grant.Workspace.ActivationChannel);
        if (marketplace is { } cloud && string.IsNullOrEmpty(cloudAccountId))
        {
            throw SettlementErrors.CloudAccountRequired(workspaceId, cloud);
        }
        if (marketplace is null && !string.IsNullOrEmpty(cloudAccountId))
        {
            throw Errors.InvalidArgument("cloud_account_id",
                "must be empty: a workspace of the official website settles through the billing center after the upgrade (ChangeSettlementMethod picks a cloud account later)");
        }
        var method = marketplace is { } provider ? SettlementMethods.Of(provider) : SettlementMethod.BillingCenter;
        var target = marketplace is null ? null : cloudAccountId;

        var now = clock.GetUtcNow();
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            // The conditional update is the guard against a concurrent upgrade or dissolution.
            var upgraded = await db.Workspaces
                .Where(w => w.Id == workspaceId && w.Plan == Plan.Experience && w.State == WorkspaceState.Active)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(w => w.Plan, Plan.Commercial)
                    .SetProperty(w => w.UpgradedAt, now)
                    .SetProperty(w => w.Version, w => w.Version + 1), cancellationToken);
            if (upgraded == 0)
            {
                throw SettlementErrors.AlreadyCommercial(workspaceId);
            }
            // Used up only if this transaction commits.
            var redemption = await codes.RedeemBindingCodeAsync(bindingCode!, workspaceId, cancellationToken);
            var accountId = redemption.BillingAccountId;
            if (target is not null)
            {
                await CloudAccountHold.AcquireAsync(db, target, accountId, method, cancellationToken);
            }
            var lockAt = await reader.LockAtAsync(accountId, method, cancellationToken);
            StartCommercial(db, new CommercialStart(workspaceId, accountId, method, target, lockAt, caller.UserIdOrNull, now));
            await db.SaveChangesAsync(cancellationToken);
            // The notice reads the binding just saved, and commits with the upgrade.
            await new WorkspaceNotices(db, outbox).UpgradedAsync(workspaceId, now, method != SettlementMethod.BillingCenter, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        db.ChangeTracker.Clear();

        var workspace = await db.Workspaces.AsNoTracking().FirstAsync(w => w.Id == workspaceId, cancellationToken);
        var history = await db.RetentionChanges.AsNoTracking().Where(c => c.WorkspaceId == workspaceId).ToListAsync(cancellationToken);
        var details = new WorkspaceDetails(workspace, grant.Role, RetentionView.Of(history, now));
        return (details, await reader.ViewAsync(workspace, now, cancellationToken));
    }

    /// <summary>
    /// What becoming commercial adds besides the plan itself: the binding, the settlement row, the
    /// commercial retention defaults (at once; the Owner's first change of the day still does too) and
    /// the settlement history entry. Shared by the upgrade and the one-step commercial registration;
    /// the caller saves in its transaction.
    /// </summary>
    public static void StartCommercial(BillingDbContext db, CommercialStart start)
    {
        db.WorkspaceBindings.Add(new WorkspaceBinding { WorkspaceId = start.WorkspaceId, BillingAccountId = start.BillingAccountId, BoundAt = start.At });
        db.WorkspaceSettlements.Add(new WorkspaceSettlement
        {
            WorkspaceId = start.WorkspaceId,
            Method = start.Method,
            CloudAccountId = start.CloudAccountId,
            LockAt = start.LockAt,
            CreatedAt = start.At,
            UpdatedAt = start.At,
        });
        db.RetentionChanges.AddRange(RetentionPolicy.Defaults(start.WorkspaceId, Plan.Commercial, start.At, start.ByUserId));
        db.SettlementChanges.Add(new SettlementChange
        {
            WorkspaceId = start.WorkspaceId,
            Kind = SettlementChangeKind.Upgrade,
            At = start.At,
            ByUserId = start.ByUserId,
            ToBillingAccountId = start.BillingAccountId,
            ToMethod = start.Method,
            CloudAccountId = start.CloudAccountId,
        });
    }
}

/// <summary>A workspace that becomes commercial at <see cref="At"/>, bound to a billing account and settling by <see cref="Method"/>.</summary>
public sealed record CommercialStart(
    string WorkspaceId, string BillingAccountId, SettlementMethod Method, string? CloudAccountId, DateTimeOffset? LockAt, string? ByUserId, DateTimeOffset At);
