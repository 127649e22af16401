using Guance.Billing.BillingAccounts;
using Guance.Billing.Data;
using Microsoft.EntityFrameworkCore;

namespace Guance.Billing.Invoices;

/// <summary>
/// Serializes the invoice writes of one billing account by taking its wallet's row lock, as every
/// wallet write does (<see cref="Wallets.WalletLedger"/>): on PostgreSQL the row stays locked until
/// commit, across hosts; on SQLite the update takes the database's write lock. So two requests over
/// one source never both see its balance free, and the ledger that the balances come from cannot move
/// under them. Call it first in the transaction, before reading anything the write depends on.
/// </summary>
internal static class InvoiceLock
{
    public static async Task TakeAsync(BillingDbContext db, string billingAccountId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var locked = await db.Wallets.Where(w => w.BillingAccountId == billingAccountId)
            .ExecuteUpdateAsync(s => s.SetProperty(w => w.Version, w => w.Version + 1).SetProperty(w => w.UpdatedAt, now), cancellationToken);
        if (locked == 0)
        {
            throw BillingAccountAccess.NotFound(billingAccountId);
        }
    }
}
