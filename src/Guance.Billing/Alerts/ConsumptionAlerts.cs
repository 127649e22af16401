using Guance.Billing.Common;
using Guance.Billing.Data;
using Guance.Billing.Identity;
using Guance.Billing.Usage;
using Guance.Billing.Wallets;
using Guance.Billing.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace Guance.Billing.Alerts;

/// <summary>
/// SetConsumptionAlert, ListConsumptionAlerts and RemoveConsumptionAlert (Owner, Administrator: <see cref="WorkspacePermission.SetAlerts"/>):
/// one threshold per billing item of a workspace. The day close compares each item's daily bill line
/// with it (<see cref="ConsumptionAlertChecker"/>).
/// </summary>
public sealed class ConsumptionAlerts(BillingDbContext db, WorkspaceAccess access, TimeProvider clock)
{
    public async Task<ConsumptionAlert> SetAsync(Caller caller, string workspaceId, BillingItem item, MoneyInput? threshold, CancellationToken cancellationToken)
    {
        var validator = new RequestValidator()
            .Check(item != 0 && BillingItems.Find((int)item) is not null, "item", "must be set to one of the billing items");
        var cents = validator.Money(threshold, "threshold");
        var grant = await access.AuthorizeAsync(caller, workspaceId, WorkspacePermission.SetAlerts, cancellationToken, validator);
        WorkspaceManager.EnsureActive(grant.Workspace);
        var now = clock.GetUtcNow();
        var userId = caller.UserIdOrNull;
        for (var attempt = 1; ; attempt++)
        {
            var updated = await db.ConsumptionAlerts
                .Where(a => a.WorkspaceId == workspaceId && a.Item == item)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(a => a.Threshold, cents)
                    .SetProperty(a => a.UpdatedByUserId, userId)
                    .SetProperty(a => a.UpdatedAt, now), cancellationToken);
            if (updated == 0)
            {
                db.ConsumptionAlerts.Add(new ConsumptionAlert
                {
                    WorkspaceId = workspaceId, Item = item, Threshold = cents, UpdatedByUserId = userId, CreatedAt = now, UpdatedAt = now,
                });
                try
                {
                    await db.SaveChangesAsync(cancellationToken);
                }
                catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e) && attempt < 3)
                {
                    continue; // set concurrently: update that one
                }
                finally
                {
                    db.ChangeTracker.Clear();
                }
            }
            return await db.ConsumptionAlerts.AsNoTracking().FirstAsync(a => a.WorkspaceId == workspaceId && a.Item == item, cancellationToken);
        }
    }

    /// <summary>
    /// Removes the item's threshold; true when there was one. Removing an absent threshold changes nothing and is
    /// no error, so a repeat (or two people removing at once) answers OK. A day closed afterwards no longer notifies
    /// for the item; a day that notified already keeps its notice.
    /// </summary>
    public async Task<bool> RemoveAsync(Caller caller, string workspaceId, BillingItem item, CancellationToken cancellationToken)
    {
        var validator = new RequestValidator()
            .Check(item != 0 && BillingItems.Find((int)item) is not null, "item", "must be set to one of the billing items");
        await access.AuthorizeAsync(caller, workspaceId, WorkspacePermission.SetAlerts, cancellationToken, validator);
        var removed = await db.ConsumptionAlerts.Where(a => a.WorkspaceId == workspaceId && a.Item == item).ExecuteDeleteAsync(cancellationToken);
        return removed > 0;
    }

    /// <summary>Every threshold of the workspace, in item order (at most one per item of the catalog, so never paged).</summary>
    public async Task<IReadOnlyList<ConsumptionAlert>> ListAsync(Caller caller, string workspaceId, CancellationToken cancellationToken)
    {
        await access.AuthorizeAsync(caller, workspaceId, WorkspacePermission.SetAlerts, cancellationToken);
        var alerts = await db.ConsumptionAlerts.AsNoTracking().Where(a => a.WorkspaceId == workspaceId).ToListAsync(cancellationToken);
        return alerts.OrderBy(a => (int)a.Item).ToList();
    }
}
