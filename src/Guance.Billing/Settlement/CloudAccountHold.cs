using Guance.Billing.Data;
using Microsoft.EntityFrameworkCore;

namespace Guance.Billing.Settlement;

/// <summary>
/// The cloud account a workspace is about to settle through (an upgrade of a marketplace workspace, a
/// change of method): it must be one of the bound billing account's, not removed, and of the method's
/// cloud. Called inside the transaction that writes the workspace's settlement, it also holds the
/// account's row (SQLite: the write lock) until that commits: a concurrent RemoveCloudAccount then
/// either waits and finds the workspace on it, or removed it first and this finds it gone. Without it
/// both could succeed, leaving bills with no account to go to.
/// </summary>
internal static class CloudAccountHold
{
    public static async Task AcquireAsync(BillingDbContext db, string cloudAccountId, string billingAccountId, SettlementMethod method, CancellationToken cancellationToken)
    {
        var cloudAccount = await db.CloudAccounts.AsNoTracking()
            .FirstOrDefaultAsync(c => c.Id == cloudAccountId && c.BillingAccountId == billingAccountId && c.RemovedAt == null, cancellationToken)
            ?? throw SettlementErrors.CloudAccountNotFound(cloudAccountId, billingAccountId);
        if (cloudAccount.Provider != method.Provider())
        {
            throw SettlementErrors.ProviderMismatch(cloudAccount.Id, cloudAccount.Provider, method);
        }
        var held = await db.CloudAccounts
            .Where(c => c.Id == cloudAccountId && c.BillingAccountId == billingAccountId && c.RemovedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.RemovedAt, c => c.RemovedAt), cancellationToken);
        if (held == 0)
        {
            throw SettlementErrors.CloudAccountNotFound(cloudAccountId, billingAccountId);
        }
    }
}
