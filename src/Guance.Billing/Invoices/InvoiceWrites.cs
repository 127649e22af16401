using Guance.Billing.Data;
using Guance.Billing.Wallets;
using Microsoft.Extensions.Options;

namespace Guance.Billing.Invoices;

/// <summary>
/// Runs one invoice write of a billing account: one transaction under the account's lock
/// (<see cref="InvoiceLock"/>), retried on a lost race by the wallet's retry loop, and saved at the end.
/// </summary>
public sealed class InvoiceWrites(BillingDbContext db, WalletWriteRetry retry, IOptions<WalletOptions> options, TimeProvider clock)
{
    public Task<T> RunAsync<T>(string billingAccountId, Func<DateTimeOffset, Task<T>> work, CancellationToken cancellationToken) =>
        retry.RunAsync($"An invoice write of {billingAccountId}", options.Value.WriteAttempts, async _ =>
        {
            var now = clock.GetUtcNow();
            await InvoiceLock.TakeAsync(db, billingAccountId, now, cancellationToken);
            var result = await work(now);
            await db.SaveChangesAsync(cancellationToken);
            return result;
        }, cancellationToken);
}
