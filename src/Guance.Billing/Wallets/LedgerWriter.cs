using System.Data;
using Guance.Billing.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace Guance.Billing.Wallets;

/// <summary>
/// Saves a wallet write: what the change tracker holds (wallets, new lots, vouchers, cards, notifications), then
/// the balances that the books moved (<see cref="WalletBook.MovedBalances"/>), the new ledger transactions and
/// their entries set-based, in the write's database transaction: on SQLite a prepared statement per row
/// (<see cref="MultiRowInsert"/>: in-process, a statement costs no round trip), on PostgreSQL one batch of three
/// statements over arrays, sent at once (a group of Charge calls paid a round trip for the balances and two for each
/// COPY, about half of its commit's time on two busy cores; docs/performance.md). A charge batch of the day close
/// moves some 2,500 balances and makes about 250 transactions and, two per item and funding source, some 5,500
/// entries: through the change tracker that is a statement per row, and on PostgreSQL most of the close's time.
/// Both engines write the same rows in the same order.
/// A balance or entry count that is no longer what the book loaded (a writer that skipped the wallet lock) fails the
/// write as a <see cref="DbUpdateConcurrencyException"/>, as the balance's concurrency token did: so an account's
/// entries stay numbered without gaps or repeats. A transaction whose idempotency key exists already fails it as a
/// <see cref="DbUpdateException"/>. A lost race either way, retried by <see cref="WalletWriteRetry"/>.
/// </summary>
internal static class LedgerWriter
{
    private static readonly (string Name, DbType Type)[] TransactionColumns =
    [
        ("id", DbType.String), ("billing_account_id", DbType.String), ("kind", DbType.Int32), ("idempotency_key", DbType.String),
        ("reference", DbType.String), ("fingerprint", DbType.String), ("amount", DbType.Int64), ("description", DbType.String), ("created_at", DbType.Int64),
    ];

    private static readonly (string Name, DbType Type)[] EntryColumns =
    [
        ("ledger_account_id", DbType.String), ("sequence", DbType.Int64), ("transaction_id", DbType.String), ("billing_account_id", DbType.String),
        ("amount", DbType.Int64), ("balance_after", DbType.Int64), ("position", DbType.Int32), ("item_code", DbType.String),
    ];

    private const string BalanceSql =
        "UPDATE ledger_accounts SET balance = @balance, entry_count = @count WHERE id = @id AND balance = @was AND entry_count = @wasCount";

    // The ids also as "= ANY": the accounts found by their primary key whatever the planner believes of the table (see BillStore).
    private const string BalancesSql = """
        UPDATE ledger_accounts AS a SET balance = u.balance, entry_count = u.entry_count
        FROM unnest(@ids::text[], @was::bigint[], @wasCounts::bigint[], @balances::bigint[], @counts::bigint[]) AS u(id, was, was_count, balance, entry_count)
        WHERE a.id = ANY(@ids) AND a.id = u.id AND a.balance = u.was AND a.entry_count = u.was_count
        """;

    /// <summary>Saves the write of <paramref name="books"/>: the tracked changes, then the balances, transactions and entries set-based.</summary>
    public static async Task SaveAsync(BillingDbContext db, IReadOnlyCollection<WalletBook> books, CancellationToken cancellationToken)
    {
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("A wallet write is saved inside its database transaction.");
        var moved = books.SelectMany(b => b.MovedBalances)
            .Select(m => new MovedBalance(m.Account.Id, m.Was, m.WasCount, m.Account.Balance, m.Account.EntryCount))
            .OrderBy(m => m.Id, StringComparer.Ordinal)
            .ToList();
        await db.SaveChangesAsync(cancellationToken);

        var transactions = books.SelectMany(b => b.NewTransactions).ToList();
        var entries = books.SelectMany(b => b.NewEntries).ToList();
        try
        {
            var updated = db.Database.GetDbConnection() is NpgsqlConnection postgres
                ? await SaveInOneBatchAsync(postgres, (NpgsqlTransaction)transaction, moved, transactions, entries, cancellationToken)
                : await SaveRowByRowAsync(db.Database.GetDbConnection(), transaction, moved, transactions, entries, cancellationToken);
            if (updated != moved.Count)
            {
                throw new DbUpdateConcurrencyException("A balance of this write changed since it was loaded: another writer moved the account.");
            }
        }
        catch (Exception e) when (DbErrors.IsUniqueViolation(e))
        {
            throw new DbUpdateException("A ledger transaction of this write exists already: another writer got there first.", e);
        }
    }

    private static object?[] TransactionRow(LedgerTransaction t) =>
        [t.Id, t.BillingAccountId, (int)t.Kind, t.IdempotencyKey, t.Reference, t.Fingerprint, t.Amount, t.Description, UnixMicrosecondsConverter.ToMicroseconds(t.CreatedAt)];

    private static object?[] EntryRow(LedgerEntry e) =>
        [e.LedgerAccountId, e.Sequence, e.TransactionId, e.BillingAccountId, e.Amount, e.BalanceAfter, e.Position, e.ItemCode];

    /// <summary>PostgreSQL: the balances, the transactions and the entries in one round trip; how many balances were updated.</summary>
    private static async Task<int> SaveInOneBatchAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, List<MovedBalance> moved, List<LedgerTransaction> transactions, List<LedgerEntry> entries,
        CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection, transaction);
        NpgsqlBatchCommand? balances = null;
        if (moved.Count > 0)
        {
            balances = new NpgsqlBatchCommand(BalancesSql);
            balances.Parameters.AddRange(new NpgsqlParameter[]
            {
                new NpgsqlParameter<string[]>("@ids", [.. moved.Select(m => m.Id)]),
                new NpgsqlParameter<long[]>("@was", [.. moved.Select(m => m.Was)]),
                new NpgsqlParameter<long[]>("@wasCounts", [.. moved.Select(m => m.WasCount)]),
                new NpgsqlParameter<long[]>("@balances", [.. moved.Select(m => m.Balance)]),
                new NpgsqlParameter<long[]>("@counts", [.. moved.Select(m => m.EntryCount)]),
            });
            batch.BatchCommands.Add(balances);
        }
        if (transactions.Count > 0)
        {
            batch.BatchCommands.Add(Insert(MultiRowInsert.Unnest("ledger_transactions", TransactionColumns, transactions, TransactionRow)));
        }
        if (entries.Count > 0)
        {
            batch.BatchCommands.Add(Insert(MultiRowInsert.Unnest("ledger_entries", EntryColumns, entries, EntryRow)));
        }
        if (batch.BatchCommands.Count > 0)
        {
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }
        return balances?.RecordsAffected ?? 0;
    }

    private static NpgsqlBatchCommand Insert((string Sql, NpgsqlParameter[] Parameters) unnest)
    {
        var command = new NpgsqlBatchCommand(unnest.Sql);
        command.Parameters.AddRange(unnest.Parameters);
        return command;
    }

    /// <summary>SQLite: the balances where they still hold what the books loaded (how many did), then the rows, a prepared statement each.</summary>
    private static async Task<int> SaveRowByRowAsync(
        System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction, List<MovedBalance> moved,
        List<LedgerTransaction> transactions, List<LedgerEntry> entries, CancellationToken cancellationToken)
    {
        var updated = await UpdateBalancesAsync(connection, transaction, moved, cancellationToken);
        if (updated == moved.Count)
        {
            await MultiRowInsert.InsertAsync(connection, transaction, "ledger_transactions", TransactionColumns, transactions, TransactionRow, cancellationToken);
            await MultiRowInsert.InsertAsync(connection, transaction, "ledger_entries", EntryColumns, entries, EntryRow, cancellationToken);
        }
        return updated;
    }

    /// <summary>The balances updated where they still hold what the books loaded; how many rows did.</summary>
    private static async Task<int> UpdateBalancesAsync(
        System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction, List<MovedBalance> moved, CancellationToken cancellationToken)
    {
        if (moved.Count == 0)
        {
            return 0;
        }
        await using var update = connection.Reusable(BalanceSql, "@balance", "@count", "@id", "@was", "@wasCount");
        update.Transaction = transaction;
        update.Prepare();
        var updated = 0;
        foreach (var balance in moved)
        {
            updated += await update.Set("@balance", balance.Balance).Set("@count", balance.EntryCount).Set("@id", balance.Id)
                .Set("@was", balance.Was).Set("@wasCount", balance.WasCount).ExecuteNonQueryAsync(cancellationToken);
        }
        return updated;
    }

    private sealed record MovedBalance(string Id, long Was, long WasCount, long Balance, long EntryCount);
}
