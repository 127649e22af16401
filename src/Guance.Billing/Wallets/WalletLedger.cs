using Guance.Billing.BillingAccounts;
using Guance.Billing.Common;
using Guance.Billing.Data;
using Guance.Billing.Notifications;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Guance.Billing.Wallets;

/// <summary>
/// Runs every write of a wallet, one billing account at a time, exactly:
/// <list type="number">
/// <item>open a database transaction and bump the wallet's version first: on PostgreSQL that row lock
/// serializes the account's writers across hosts until commit (other accounts run in parallel); on
/// SQLite it is the database's single write lock;</item>
/// <item>load the book (balances and lots) after the lock, so nothing read is stale;</item>
/// <item>let the operation look up its idempotency key and post its movements;</item>
/// <item>record arrears that began or were paid (wallet state, <see cref="IArrearsListener"/>s, then the outbox);</item>
/// <item>save (the balances, transactions and entries set-based, <see cref="LedgerWriter"/>) and commit.</item>
/// </list>
/// An account's balance and entry count are also concurrency tokens, so even a writer that skipped the lock
/// could not lose an update or number two entries alike: it would fail and be retried. Idempotency
/// keys are unique, so a retry or a second host returns the first result.
/// </summary>
public sealed class WalletLedger(
    BillingDbContext db,
    WalletWriteRetry retry,
    NotificationOutbox outbox,
    IEnumerable<IArrearsListener> listeners,
    IOptions<WalletOptions> options,
    TimeProvider clock)
{
    /// <summary>
    /// Runs <paramref name="work"/> on the account's book in its own transaction, retrying on a lost
    /// race. Inside a transaction the caller already opened, it joins that one instead (the caller then
    /// owns commit and retry).
    /// </summary>
    public async Task<T> WriteAsync<T>(string billingAccountId, Func<WalletBook, Task<T>> work, CancellationToken cancellationToken, DateTimeOffset? at = null)
    {
        if (db.Database.CurrentTransaction is not null)
        {
            return await WriteOnceAsync(billingAccountId, work, at, cancellationToken);
        }
        return await retry.RunAsync($"A write of wallet {billingAccountId}", options.Value.WriteAttempts,
            _ => WriteOnceAsync(billingAccountId, work, at, cancellationToken), cancellationToken);
    }

    /// <summary>
    /// The transaction that an idempotency key already made, or null. A key made by another account,
    /// or by a request with other parameters, is FAILED_PRECONDITION with <paramref name="reason"/>.
    /// </summary>
    public async Task<PostedTransaction?> FindReplayAsync(
        string billingAccountId, string idempotencyKey, string fingerprint, string reason, string subject, CancellationToken cancellationToken)
    {
        var key = new ReplayKey(idempotencyKey, fingerprint, subject);
        if (!(await FindTransactionsAsync([key], cancellationToken)).TryGetValue(idempotencyKey, out var made))
        {
            return null;
        }
        if (Mismatch(key, billingAccountId, made, reason) is { } error)
        {
            throw error;
        }
        return (await LoadPostedAsync([made], cancellationToken))[0];
    }

    /// <summary>The transactions that the keys already made, by key, whoever made them (one query).</summary>
    public async Task<Dictionary<string, LedgerTransaction>> FindTransactionsAsync(IReadOnlyList<ReplayKey> keys, CancellationToken cancellationToken)
    {
        var wanted = keys.Select(k => k.IdempotencyKey).Distinct(StringComparer.Ordinal).ToList();
        var existing = await db.LedgerTransactions.AsNoTracking().Where(t => wanted.Contains(t.IdempotencyKey)).ToListAsync(cancellationToken);
        return existing.ToDictionary(t => t.IdempotencyKey, StringComparer.Ordinal);
    }

    /// <summary>
    /// FAILED_PRECONDITION with <paramref name="reason"/> when <paramref name="key"/> made
    /// <paramref name="made"/> for another account or for a request with other parameters; null for a true replay.
    /// </summary>
    public static BillingException? Mismatch(ReplayKey key, string billingAccountId, LedgerTransaction made, string reason)
    {
        if (made.BillingAccountId == billingAccountId && made.Fingerprint == key.Fingerprint)
        {
            return null;
        }
        var error = Errors.Precondition(reason, key.Subject, $"{key.Subject} was already used for a different request; use a new one.");
        // Another account's transaction is not named: its id would tell about another tenant.
        return made.BillingAccountId == billingAccountId ? error.With("transaction_id", made.Id) : error;
    }

    /// <summary>Transactions with their entries, in the given order.</summary>
    public async Task<IReadOnlyList<PostedTransaction>> LoadPostedAsync(IReadOnlyList<LedgerTransaction> transactions, CancellationToken cancellationToken)
    {
        var ids = transactions.Select(t => t.Id).ToList();
        var entries = await (from e in db.LedgerEntries.AsNoTracking()
                             join a in db.LedgerAccounts.AsNoTracking() on e.LedgerAccountId equals a.Id
                             where ids.Contains(e.TransactionId)
                             select new { Entry = e, a.Kind, a.LotId }).ToListAsync(cancellationToken);
        var byTransaction = entries.ToLookup(x => x.Entry.TransactionId);
        return transactions.Select(t => new PostedTransaction(t,
            byTransaction[t.Id].OrderBy(x => x.Entry.Position).Select(x => new PostedEntry(x.Entry, x.Kind, x.LotId)).ToList())).ToList();
    }

    /// <summary>The wallet now, read without locking.</summary>
    public async Task<WalletView> ViewAsync(string billingAccountId, CancellationToken cancellationToken)
    {
        var wallet = await db.Wallets.AsNoTracking().FirstOrDefaultAsync(w => w.BillingAccountId == billingAccountId, cancellationToken)
            ?? throw BillingAccountAccess.NotFound(billingAccountId);
        var accounts = await LoadAccountsAsync(billingAccountId, cancellationToken);
        return WalletView.Of(wallet, accounts, clock.GetUtcNow());
    }

    /// <summary>
    /// Runs <paramref name="work"/> on the books of several accounts inside the transaction that the caller
    /// opened (and owns: commit and retry), with the same steps as one write: each account's wallet is
    /// locked first, in ordinal order of the ids (two writers of overlapping groups never deadlock), by the statement
    /// that returns them, then their ledger accounts are loaded (one query for all), and after the work the arrears changes are recorded
    /// and everything is saved at once. An unknown account has no book in the dictionary.
    /// </summary>
    public async Task<T> WriteManyAsync<T>(IEnumerable<string> billingAccountIds, Func<IReadOnlyDictionary<string, WalletBook>, Task<T>> work, CancellationToken cancellationToken)
    {
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("A write of several wallets runs inside a transaction of its caller.");
        }
        var now = clock.GetUtcNow();
        var ids = billingAccountIds.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var books = new Dictionary<string, WalletBook>(StringComparer.Ordinal);
        // The wallets locked are those that exist.
        var wallets = ids.Length > 0 ? await LockAsync(ids, now, cancellationToken) : [];
        if (wallets.Count > 0)
        {
            var locked = wallets.Select(w => w.BillingAccountId).ToList();
            var accounts = (await db.LedgerAccounts.AsNoTracking()
                .Where(a => locked.Contains(a.BillingAccountId) && (a.LotId == null || a.Balance != 0))
                .ToListAsync(cancellationToken)).ToLookup(a => a.BillingAccountId, StringComparer.Ordinal);
            foreach (var wallet in wallets.OrderBy(w => w.BillingAccountId, StringComparer.Ordinal))
            {
                books.Add(wallet.BillingAccountId, new WalletBook(db, clock, wallet, accounts[wallet.BillingAccountId].ToList(), now));
            }
        }

        var result = await work(books);

        foreach (var book in books.Values)
        {
            await RecordArrearsChangeAsync(book, cancellationToken);
        }
        await LedgerWriter.SaveAsync(db, books.Values, cancellationToken);
        return result;
    }

    private async Task<T> WriteOnceAsync<T>(string billingAccountId, Func<WalletBook, Task<T>> work, DateTimeOffset? at, CancellationToken cancellationToken)
    {
        var now = at ?? clock.GetUtcNow();
        var wallet = (await LockAsync([billingAccountId], now, cancellationToken)).SingleOrDefault()
            ?? throw BillingAccountAccess.NotFound(billingAccountId);
        var accounts = await LoadAccountsAsync(billingAccountId, cancellationToken);
        var book = new WalletBook(db, clock, wallet, accounts, now);

        var result = await work(book);

        await RecordArrearsChangeAsync(book, cancellationToken);
        await LedgerWriter.SaveAsync(db, [book], cancellationToken);
        return result;
    }

    /// <summary>
    /// Bumps the wallets' versions (the lock of their writers until commit, see the class) in one statement, which also
    /// returns them (tracked): those that exist.
    /// On PostgreSQL the rows are locked in the order of the ids (<c>FOR UPDATE</c> after <c>ORDER BY</c>), as every
    /// writer of several wallets does, so that two never wait for each other; SQLite's write lock is the database's.
    /// The columns are named, not <c>*</c>: PostgreSQL keeps the statement prepared with its result's shape, which a column
    /// that another host's migration adds would change (<c>PreparedStatementTests</c>).
    /// </summary>
    private async Task<List<Wallet>> LockAsync(string[] ids, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var micros = UnixMicrosecondsConverter.ToMicroseconds(now);
        if (db.Database.IsSqlite())
        {
            var list = System.Text.Json.JsonSerializer.Serialize(ids);
            return await db.Wallets.FromSql(
                $"""
                UPDATE wallets SET version = version + 1, updated_at = {micros}
                WHERE billing_account_id IN (SELECT value FROM json_each({list}))
                RETURNING billing_account_id, version, arrears_since, updated_at
                """).AsAsyncEnumerable().ToListAsync(cancellationToken);
        }
        return await db.Wallets.FromSql(
            $"""
            UPDATE wallets SET version = version + 1, updated_at = {micros}
            WHERE billing_account_id IN (SELECT billing_account_id FROM wallets WHERE billing_account_id = ANY({ids}) ORDER BY billing_account_id FOR UPDATE)
            RETURNING billing_account_id, version, arrears_since, updated_at
            """).AsAsyncEnumerable().ToListAsync(cancellationToken);
    }

    /// <summary>
    /// The singleton accounts and the lot accounts that hold something (with their validity): one query, untracked
    /// (a book reports what it moved, <see cref="WalletBook.MovedBalances"/>).
    /// </summary>
    private Task<List<LedgerAccount>> LoadAccountsAsync(string billingAccountId, CancellationToken cancellationToken) =>
        db.LedgerAccounts.AsNoTracking()
            .Where(a => a.BillingAccountId == billingAccountId && (a.LotId == null || a.Balance != 0))
            .ToListAsync(cancellationToken);

    private async Task RecordArrearsChangeAsync(WalletBook book, CancellationToken cancellationToken)
    {
        // The book keeps the wallet's arrears_since as it posts; here the change is announced.
        var arrears = book[LedgerAccountKind.Arrears].Balance;
        ArrearsChange change;
        if (book.ArrearsAtStart == 0 && arrears < 0)
        {
            change = new ArrearsChange(book.BillingAccountId, ArrearsChangeKind.Started, book.Wallet.ArrearsSince ?? book.Now, -arrears, book.ArrearsChangedIn!, book.Now);
        }
        else if (book.ArrearsAtStart < 0 && arrears == 0)
        {
            change = new ArrearsChange(book.BillingAccountId, ArrearsChangeKind.Paid, book.ArrearsSinceAtStart ?? book.Now, 0, book.ArrearsChangedIn!, book.Now);
        }
        else
        {
            return;
        }

        var account = await db.BillingAccounts.AsNoTracking()
            .Where(a => a.Id == book.BillingAccountId)
            .Select(a => new { a.Username, a.Email })
            .FirstAsync(cancellationToken);
        var notice = change.Kind == ArrearsChangeKind.Started
            ? new NotificationDraft(NotificationKind.ArrearsStarted, book.BillingAccountId, account.Email,
                new NoticeValues().Text("account", account.Username).Money("arrears", change.Arrears).Flag("locks", false),
                change.TransactionId, $"arrears_started:{change.TransactionId}")
            : new NotificationDraft(NotificationKind.ArrearsPaid, book.BillingAccountId, account.Email,
                new NoticeValues().Text("account", account.Username).Money("paid", -book.ArrearsAtStart).Time("arrears_since", change.ArrearsSince),
                change.TransactionId, $"arrears_paid:{change.TransactionId}");
        // Arrears paid are told before the unlocks they cause; arrears started after the listeners, which add the lock date.
        if (change.Kind == ArrearsChangeKind.Paid)
        {
            outbox.Add(notice, book.Now);
        }
        foreach (var listener in listeners)
        {
            await listener.OnArrearsChangedAsync(change, notice.Values, cancellationToken);
        }
        if (change.Kind == ArrearsChangeKind.Started)
        {
            outbox.Add(notice, book.Now);
        }
    }
}
