using Guance.Billing.Common;
using Guance.Billing.Data;
using Guance.Billing.Identity;
using Guance.Billing.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace Guance.Billing.Settlement;

/// <summary>
/// ChangeSettlementMethod (Owner) under every rule of docs/domain.md §7, checked in this order: the method
/// is allowed (site, activation channel, or an operator's arbitrary selection); a workspace on a cloud
/// account stays there until that subscription is cancelled; at most one change per site-local month
/// (a unique key per workspace and month decides races); no change while the account is in arrears;
/// a cloud account must be one of the bound billing account's, of that cloud. And
/// EnableArbitrarySettlement (operator).
/// </summary>
public sealed class SettlementMethodService(BillingDbContext db, WorkspaceAccess access, SettlementReader reader, TimeProvider clock)
{
    public async Task<SettlementView> ChangeAsync(Caller caller, string workspaceId, SettlementMethod method, string? cloudAccountId, CancellationToken cancellationToken)
    {
        var validator = new RequestValidator().Defined(method, "method");
        if (Enum.IsDefined(method) && method.IsCloud())
        {
            validator.Id(cloudAccountId, "cloud_account_id", "ca");
        }
        else if (Enum.IsDefined(method))
        {
            validator.Check(string.IsNullOrEmpty(cloudAccountId), "cloud_account_id", "must be empty for SETTLEMENT_METHOD_BILLING_CENTER");
        }
        var grant = await access.AuthorizeAsync(caller, workspaceId, WorkspacePermission.ManageBilling, cancellationToken, validator);
        var workspace = grant.Workspace;
        WorkspaceManager.EnsureActive(workspace);
        if (workspace.Plan != Plan.Commercial)
        {
            throw SettlementErrors.NotCommercial(workspaceId);
        }
        var now = clock.GetUtcNow();
        var site = workspace.Site;
        var settlement = await db.WorkspaceSettlements.AsNoTracking().FirstAsync(s => s.WorkspaceId == workspaceId, cancellationToken);
        var target = method.IsCloud() ? cloudAccountId : null;
        if (settlement.Method == method && settlement.CloudAccountId == target)
        {
            return await reader.ViewAsync(workspace, now, cancellationToken); // already so: nothing changes, nothing counts
        }

        if (!SettlementMethodRules.Allowed(site, workspace.ActivationChannel, settlement.ArbitrarySelection).Contains(method))
        {
            throw SettlementErrors.MethodNotAllowed(site, workspace.ActivationChannel, method);
        }
        if (SettlementReader.IsLockedIn(settlement))
        {
            throw SettlementErrors.CloudLockIn(workspaceId, settlement.CloudAccountId);
        }
        var month = SettlementMethodRules.MonthOf(site, now);
        if (await db.SettlementChanges.AnyAsync(c => c.WorkspaceId == workspaceId && c.ChangeMonth == month, cancellationToken))
        {
            throw SettlementErrors.ChangedThisMonth(workspaceId, SettlementMethodRules.NextChangeDay(site, now, now));
        }
        // A cancelled cloud subscription's countdown is not arrears: changing the method is the way out of it.
        if (settlement.LockAt is { } lockAt && settlement.CloudSubscriptionCancelledAt is null)
        {
            throw SettlementErrors.ArrearsOutstanding(workspaceId, lockAt);
        }
        var binding = await db.WorkspaceBindings.AsNoTracking().FirstAsync(b => b.WorkspaceId == workspaceId, cancellationToken);
        var lockAtAfter = await reader.LockAtAsync(binding.BillingAccountId, method, cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (target is not null)
        {
            await CloudAccountHold.AcquireAsync(db, target, binding.BillingAccountId, method, cancellationToken);
        }
        var updated = await db.WorkspaceSettlements
            .Where(s => s.WorkspaceId == workspaceId && s.Version == settlement.Version)
            .ExecuteUpdateAsync(s => s
                .SetProperty(x => x.Method, method)
                .SetProperty(x => x.CloudAccountId, target)
                .SetProperty(x => x.CloudSubscriptionCancelledAt, (DateTimeOffset?)null)
                .SetProperty(x => x.MethodChangedAt, now)
                .SetProperty(x => x.LockAt, lockAtAfter)
                .SetProperty(x => x.LockWarningSentAt, (DateTimeOffset?)null)
                .SetProperty(x => x.LockedNoticeSentAt, (DateTimeOffset?)null)
                .SetProperty(x => x.UpdatedAt, now)
                .SetProperty(x => x.Version, x => x.Version + 1), cancellationToken);
        if (updated == 0)
        {
            throw Errors.Aborted(ErrorReasons.ConcurrentUpdate, "The workspace's settlement changed while this request ran; read it again and retry.");
        }
        db.SettlementChanges.Add(new SettlementChange
        {
            WorkspaceId = workspaceId,
            Kind = SettlementChangeKind.Method,
            At = now,
            ByUserId = caller.Kind == CallerKind.User ? caller.SubjectId : null,
            FromMethod = settlement.Method,
            ToMethod = method,
            CloudAccountId = target,
            ChangeMonth = month,
        });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
        {
            db.ChangeTracker.Clear();
            throw SettlementErrors.ChangedThisMonth(workspaceId, SettlementMethodRules.NextChangeDay(site, now, now));
        }
        await transaction.CommitAsync(cancellationToken);
        return await reader.ViewAsync(workspace, now, cancellationToken);
    }

    public async Task<SettlementView> EnableArbitraryAsync(Caller caller, string workspaceId, bool enabled, CancellationToken cancellationToken)
    {
        caller.RequireOperator();
        var workspace = (await access.AuthorizeAsync(caller, workspaceId, WorkspacePermission.View, cancellationToken)).Workspace;
        WorkspaceManager.EnsureActive(workspace);
        if (workspace.Plan != Plan.Commercial)
        {
            throw SettlementErrors.NotCommercial(workspaceId);
        }
        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var changed = await db.WorkspaceSettlements
            .Where(s => s.WorkspaceId == workspaceId && s.ArbitrarySelection != enabled)
            .ExecuteUpdateAsync(s => s
                .SetProperty(x => x.ArbitrarySelection, enabled)
                .SetProperty(x => x.UpdatedAt, now)
                .SetProperty(x => x.Version, x => x.Version + 1), cancellationToken);
        if (changed > 0)
        {
            db.SettlementChanges.Add(new SettlementChange { WorkspaceId = workspaceId, Kind = SettlementChangeKind.ArbitrarySelection, At = now, Enabled = enabled });
            await db.SaveChangesAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return await reader.ViewAsync(workspace, now, cancellationToken);
    }

    public async Task<SettlementView> GetAsync(Caller caller, string workspaceId, CancellationToken cancellationToken)
    {
        var workspace = (await access.AuthorizeAsync(caller, workspaceId, WorkspacePermission.ViewBilling, cancellationToken)).Workspace;
        return await reader.ViewAsync(workspace, clock.GetUtcNow(), cancellationToken);
    }
}
