using Guance.Billing.BillingAccounts;
using Guance.Billing.Common;
using Guance.Billing.Data;
using Guance.Billing.Identity;
using Guance.Billing.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace Guance.Billing.Settlement;

/// <summary>
/// ChangeBinding: the Owner moves a commercial workspace to another billing account (a binding code of
/// that account) when both accounts carry the same approved enterprise certification. Bills already
/// written stay with the old account; every day closed from now on goes to the new one. A workspace
/// that settles through a cloud account (which belongs to its billing account) or whose account is
/// in arrears stays where it is.
/// </summary>
public sealed class BindingService(
    BillingDbContext db, WorkspaceAccess access, BindingCodeManager codes, CertificationManager certifications, SettlementReader reader, TimeProvider clock)
{
    public async Task<(SettlementView Settlement, string PreviousBillingAccountId)> ChangeAsync(
        Caller caller, string workspaceId, string? bindingCode, CancellationToken cancellationToken)
    {
        var validator = new RequestValidator().Check(BindingCodeManager.IsWellFormed(bindingCode), "binding_code",
            "must be a binding code such as K7QM-3XPA-9WRT, made by the new billing-center account on its Binding codes page");
        var grant = await access.AuthorizeAsync(caller, workspaceId, WorkspacePermission.ManageBilling, cancellationToken, validator);
        var workspace = grant.Workspace;
        WorkspaceManager.EnsureActive(workspace);
        if (workspace.Plan != Plan.Commercial)
        {
            throw SettlementErrors.NotCommercial(workspaceId);
        }
        var settlement = await db.WorkspaceSettlements.AsNoTracking().FirstAsync(s => s.WorkspaceId == workspaceId, cancellationToken);
        if (settlement.Method.IsCloud())
        {
            throw SettlementErrors.SettlesThroughCloud(workspaceId, settlement.CloudAccountId);
        }
        if (settlement.LockAt is { } countdown)
        {
            throw SettlementErrors.ArrearsOutstanding(workspaceId, countdown);
        }
        var current = await db.WorkspaceBindings.AsNoTracking().FirstAsync(b => b.WorkspaceId == workspaceId, cancellationToken);

        var now = clock.GetUtcNow();
        string newAccountId;
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            var redemption = await codes.RedeemBindingCodeAsync(bindingCode!, workspaceId, cancellationToken);
            newAccountId = redemption.BillingAccountId;
            if (newAccountId == current.BillingAccountId)
            {
                throw SettlementErrors.AlreadyBound(workspaceId, newAccountId);
            }
            await RequireSameEnterpriseAsync(current.BillingAccountId, newAccountId, cancellationToken);

            var moved = await db.WorkspaceBindings
                .Where(b => b.WorkspaceId == workspaceId && b.BillingAccountId == current.BillingAccountId)
                .ExecuteUpdateAsync(s => s.SetProperty(b => b.BillingAccountId, newAccountId).SetProperty(b => b.BoundAt, now), cancellationToken);
            var lockAt = await reader.LockAtAsync(newAccountId, settlement.Method, cancellationToken);
            if (moved == 0)
            {
                throw SettlementUpdate.ConcurrentChange();
            }
            await SettlementUpdate.ApplyAsync(db, settlement, lockAt, now, change: null, cancellationToken,
                only: s => s.Method == SettlementMethod.BillingCenter && s.LockAt == null);
            db.SettlementChanges.Add(new SettlementChange
            {
                WorkspaceId = workspaceId,
                Kind = SettlementChangeKind.Binding,
                At = now,
                ByUserId = caller.UserIdOrNull,
                FromBillingAccountId = current.BillingAccountId,
                ToBillingAccountId = newAccountId,
            });
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        db.ChangeTracker.Clear();
        return (await reader.ViewAsync(workspace, now, cancellationToken), current.BillingAccountId);
    }

    private async Task RequireSameEnterpriseAsync(string currentAccountId, string newAccountId, CancellationToken cancellationToken)
    {
        var currentCertification = await certifications.ApprovedAsync(currentAccountId, cancellationToken)
            ?? throw SettlementErrors.CertificationRequired(currentAccountId, current: true);
        var newCertification = await certifications.ApprovedAsync(newAccountId, cancellationToken)
            ?? throw SettlementErrors.CertificationRequired(newAccountId, current: false);
        if (!currentCertification.IsSameEnterpriseAs(newCertification))
        {
            throw SettlementErrors.EnterpriseMismatch(currentAccountId, newAccountId);
        }
    }
}
