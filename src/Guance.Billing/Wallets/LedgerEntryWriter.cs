using System.Data;
using Guance.Billing.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Guance.Billing.Wallets;

/// <summary>
/// Writes a wallet write's new ledger entries set-based, in the write's database transaction, after
/// the change tracker saved the rest (a charge of a daily bill makes two entries per item and funding
/// source: most of what a wallet write inserts, and through the change tracker, most of its cost).
/// An entry that exists already (its account and sequence, which a writer that skipped the wallet
/// lock would reuse) fails the insert as a <see cref="DbUpdateException"/>, a lost race to retry.
/// </summary>
internal static class LedgerEntryWriter
{
    private static readonly (string Name, DbType Type)[] Columns =
    [
        ("ledger_account_id", DbType.String), ("sequence", DbType.Int64), ("transaction_id", DbType.String), ("billing_account_id", DbType.String),
        ("amount", DbType.Int64), ("balance_after", DbType.Int64), ("position", DbType.Int32), ("item_code", DbType.String),
    ];

    public static async Task InsertAsync(BillingDbContext db, IReadOnlyList<LedgerEntry> entries, CancellationToken cancellationToken)
    {
        var connection = db.Database.GetDbConnection();
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("Ledger entries are written inside the wallet write's transaction.");
        try
        {
            await MultiRowInsert.InsertAsync(connection, transaction, "ledger_entries", Columns, entries, e => [
                e.LedgerAccountId, e.Sequence, e.TransactionId, e.BillingAccountId, e.Amount, e.BalanceAfter, e.Position, e.ItemCode], cancellationToken);
        }
        catch (Exception e) when (DbErrors.IsUniqueViolation(e))
        {
            throw new DbUpdateException("A ledger entry of this write exists already: another writer moved the account.", e);
        }
    }
}
