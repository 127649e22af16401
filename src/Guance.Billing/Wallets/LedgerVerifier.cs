using System.Data;
using Guance.Billing.BillingAccounts;
using Guance.Billing.Common;
using Guance.Billing.Data;
using Guance.Billing.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Guance.Billing.Wallets;

/// <summary>What VerifyLedger can find wrong (values equal the contract's).</summary>
public enum LedgerProblemKind
{
    UnbalancedTransaction = 1,
    BalanceMismatch = 2,
    BrokenChain = 3,
    WrongSign = 4,
    ArrearsState = 5,
}

public sealed record LedgerProblem(LedgerProblemKind Kind, string Subject, string Description);

/// <summary>The audit's outcome: what was checked, and the first problems found (all are counted).</summary>
public sealed record LedgerReport(long TransactionsChecked, long EntriesChecked, long AccountsChecked, IReadOnlyList<LedgerProblem> Problems, long ProblemCount)
{
    public bool Clean => ProblemCount == 0;
}

/// <summary>
/// Audits the ledger from its entries, on one consistent snapshot: every transaction sums to zero
/// (and has entries); every account's entries are numbered 1..n without gaps, each balance_after is
/// the previous one plus the amount, and the last equals the stored balance; what the customer holds
/// is never negative and arrears never positive; a wallet is marked in arrears exactly when it owes.
/// </summary>
public sealed class LedgerVerifier(BillingDbContext db, BillingAccountAccess access)
{
    public const int MaxReported = 100;

    /// <summary>The VerifyLedger RPC: operator only; one account, or all when <paramref name="billingAccountId"/> is empty.</summary>
    public async Task<LedgerReport> VerifyAsync(Caller caller, string? billingAccountId, CancellationToken cancellationToken)
    {
        caller.RequireOperator();
        if (!string.IsNullOrEmpty(billingAccountId))
        {
            await access.AuthorizeAsync(caller, billingAccountId, BillingAccountPermission.Operate, cancellationToken);
        }
        return await VerifyAsync(string.IsNullOrEmpty(billingAccountId) ? null : billingAccountId, cancellationToken);
    }

    public async Task<LedgerReport> VerifyAsync(string? billingAccountId, CancellationToken cancellationToken)
    {
        var problems = new List<LedgerProblem>();
        long problemCount = 0;
        void Report(LedgerProblemKind kind, string subject, string description)
        {
            problemCount++;
            if (problems.Count < MaxReported)
            {
                problems.Add(new LedgerProblem(kind, subject, description));
            }
        }

        await using var snapshot = await Snapshot.BeginAsync(db, cancellationToken);
        var transactions = db.LedgerTransactions.AsNoTracking();
        var entries = db.LedgerEntries.AsNoTracking();
        var accounts = db.LedgerAccounts.AsNoTracking();
        var wallets = db.Wallets.AsNoTracking();
        if (billingAccountId is not null)
        {
            transactions = transactions.Where(t => t.BillingAccountId == billingAccountId);
            // Through its transactions' index: entries have no index of their billing account (each one would
            // cost a charge a further page written, docs/performance.md), and a transaction's entries are its account's.
            entries = entries.Where(e => transactions.Select(t => t.Id).Contains(e.TransactionId));
            accounts = accounts.Where(a => a.BillingAccountId == billingAccountId);
            wallets = wallets.Where(w => w.BillingAccountId == billingAccountId);
        }

        // 1. Every transaction sums to zero and moves something.
        var transactionCount = await transactions.LongCountAsync(cancellationToken);
        var unbalanced = await entries.GroupBy(e => e.TransactionId)
            .Select(g => new { Id = g.Key, Sum = g.Sum(e => e.Amount) })
            .Where(x => x.Sum != 0)
            .OrderBy(x => x.Id)
            .Take(MaxReported + 1).ToListAsync(cancellationToken);
        foreach (var t in unbalanced)
        {
            Report(LedgerProblemKind.UnbalancedTransaction, t.Id, $"its entries sum to {t.Sum} cents, not 0");
        }
        var empty = await transactions.Where(t => !db.LedgerEntries.Any(e => e.TransactionId == t.Id))
            .OrderBy(t => t.Id).Select(t => t.Id).Take(MaxReported + 1).ToListAsync(cancellationToken);
        foreach (var id in empty)
        {
            Report(LedgerProblemKind.UnbalancedTransaction, id, "it has no entries");
        }

        // 2. Each account's entries chain to its stored balance.
        var stored = await accounts.Select(a => new { a.Id, a.Kind, a.Balance, a.EntryCount }).ToDictionaryAsync(a => a.Id, cancellationToken);
        var seen = new HashSet<string>();
        long entryCount = 0;
        string? current = null;
        long running = 0, sequence = 0;
        void Close()
        {
            if (current is null)
            {
                return;
            }
            if (!stored.TryGetValue(current, out var account))
            {
                Report(LedgerProblemKind.BalanceMismatch, current, "entries refer to a ledger account that does not exist");
                return;
            }
            if (account.Balance != running)
            {
                Report(LedgerProblemKind.BalanceMismatch, current, $"stored balance {account.Balance} cents, entries sum to {running}");
            }
            if (account.EntryCount != sequence)
            {
                Report(LedgerProblemKind.BrokenChain, current, $"stored entry count {account.EntryCount}, {sequence} entries found");
            }
        }
        await foreach (var e in entries.OrderBy(e => e.LedgerAccountId).ThenBy(e => e.Sequence)
                           .Select(e => new { e.LedgerAccountId, e.Sequence, e.Amount, e.BalanceAfter })
                           .AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            entryCount++;
            if (e.LedgerAccountId != current)
            {
                Close();
                current = e.LedgerAccountId;
                seen.Add(current);
                running = 0;
                sequence = 0;
            }
            sequence++;
            running += e.Amount;
            if (e.Sequence != sequence)
            {
                Report(LedgerProblemKind.BrokenChain, $"{e.LedgerAccountId}#{e.Sequence}", $"expected entry number {sequence}");
                sequence = e.Sequence;
            }
            if (e.BalanceAfter != running)
            {
                Report(LedgerProblemKind.BrokenChain, $"{e.LedgerAccountId}#{e.Sequence}", $"balance_after {e.BalanceAfter} cents, running sum {running}");
            }
        }
        Close();
        foreach (var account in stored.Values)
        {
            if (!seen.Contains(account.Id) && (account.Balance != 0 || account.EntryCount != 0))
            {
                Report(LedgerProblemKind.BalanceMismatch, account.Id, $"stored balance {account.Balance} cents and {account.EntryCount} entries, but it has no entries");
            }
            if ((account.Kind.IsHolding() && account.Balance < 0) || (account.Kind == LedgerAccountKind.Arrears && account.Balance > 0))
            {
                Report(LedgerProblemKind.WrongSign, account.Id, $"{account.Kind} balance {account.Balance} cents has the wrong sign");
            }
        }

        // 3. A wallet is marked in arrears exactly when it owes.
        var walletStates = await wallets.Select(w => new { w.BillingAccountId, InArrears = w.ArrearsSince != null }).ToListAsync(cancellationToken);
        foreach (var wallet in walletStates)
        {
            var arrearsId = LedgerAccountKinds.SingletonId(wallet.BillingAccountId, LedgerAccountKind.Arrears);
            var owes = stored.TryGetValue(arrearsId, out var arrears) && arrears.Balance < 0;
            if (owes != wallet.InArrears)
            {
                Report(LedgerProblemKind.ArrearsState, wallet.BillingAccountId,
                    owes ? "the wallet owes arrears but has no arrears_since" : "the wallet has arrears_since but owes nothing");
            }
        }

        return new LedgerReport(transactionCount, entryCount, stored.Count, problems, problemCount);
    }

    /// <summary>A read-only transaction that sees one moment of the database, without blocking writers.</summary>
    private sealed class Snapshot : IAsyncDisposable
    {
        private readonly BillingDbContext _db;
        private readonly IDisposable _transaction;
        private readonly bool _ownsConnection;

        private Snapshot(BillingDbContext db, IDisposable transaction, bool ownsConnection)
        {
            _db = db;
            _transaction = transaction;
            _ownsConnection = ownsConnection;
        }

        public static async Task<Snapshot> BeginAsync(BillingDbContext db, CancellationToken cancellationToken)
        {
            if (db.Database.IsSqlite())
            {
                // A deferred transaction on a WAL database reads one snapshot and takes no write lock.
                await db.Database.OpenConnectionAsync(cancellationToken);
                var transaction = ((SqliteConnection)db.Database.GetDbConnection()).BeginTransaction(deferred: true);
                await db.Database.UseTransactionAsync(transaction, cancellationToken);
                return new Snapshot(db, transaction, ownsConnection: true);
            }
            return new Snapshot(db, await db.Database.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken), ownsConnection: false);
        }

        public async ValueTask DisposeAsync()
        {
            if (_ownsConnection)
            {
                await _db.Database.UseTransactionAsync(null);
                _transaction.Dispose();
                await _db.Database.CloseConnectionAsync();
            }
            else
            {
                _transaction.Dispose();
            }
        }
    }
}
