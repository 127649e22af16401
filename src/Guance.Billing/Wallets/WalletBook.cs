using Guance.Billing.Common;
using Guance.Billing.Data;
using Microsoft.EntityFrameworkCore;

namespace Guance.Billing.Wallets;

/// <summary>
/// The ledger of one billing account as loaded under its wallet lock (see <see cref="WalletLedger"/>),
/// and the only way to move money: <see cref="Move"/> writes two entries of equal and opposite
/// amounts, so every transaction sums to zero by construction, and updates both stored balances.
/// </summary>
public sealed class WalletBook
{
    private readonly BillingDbContext _db;
    private readonly TimeProvider _clock;
    private readonly Dictionary<string, LedgerAccount> _accounts;
    // Each account that was loaded (not opened by this write) as loaded: its update checks the balance and the count.
    private readonly Dictionary<string, (long Balance, long EntryCount)> _loaded;
    private readonly List<PostedTransaction> _posted = new();
    private readonly List<LedgerEntry> _newEntries = new();

    internal WalletBook(BillingDbContext db, TimeProvider clock, Wallet wallet, List<LedgerAccount> accounts, DateTimeOffset now)
    {
        _db = db;
        _clock = clock;
        Wallet = wallet;
        Now = now;
        _accounts = accounts.ToDictionary(a => a.Id);
        _loaded = accounts.ToDictionary(a => a.Id, a => (a.Balance, a.EntryCount));
        ArrearsAtStart = this[LedgerAccountKind.Arrears].Balance;
        ArrearsSinceAtStart = wallet.ArrearsSince;
    }

    public Wallet Wallet { get; }
    public string BillingAccountId => Wallet.BillingAccountId;

    /// <summary>The moment of this write: due dates and validity are judged against it.</summary>
    public DateTimeOffset Now { get; }

    /// <summary>The arrears balance (negative when owed) when the book was loaded.</summary>
    public long ArrearsAtStart { get; }

    /// <summary>When the arrears owed at load began (null when none were owed).</summary>
    public DateTimeOffset? ArrearsSinceAtStart { get; }

    public IReadOnlyList<PostedTransaction> Posted => _posted;

    /// <summary>The transactions started by this write, which <see cref="WalletLedger"/> writes set-based (they are not tracked).</summary>
    internal IEnumerable<LedgerTransaction> NewTransactions => _posted.Select(p => p.Transaction);

    /// <summary>The entries posted by this write, which <see cref="WalletLedger"/> writes set-based (they are not tracked).</summary>
    internal IReadOnlyList<LedgerEntry> NewEntries => _newEntries;

    /// <summary>
    /// The loaded accounts that this write moved, with the balance and entry count they were loaded with, which
    /// <see cref="LedgerWriter"/> updates set-based where the stored ones still are those. The accounts are read
    /// untracked (a write may load hundreds, and the change tracker would compare every one of them at the save); a lot
    /// opened by this write is tracked instead, and inserted with its final balance.
    /// </summary>
    internal IEnumerable<(LedgerAccount Account, long Was, long WasCount)> MovedBalances =>
        _loaded.Where(loaded => _accounts[loaded.Key].EntryCount != loaded.Value.EntryCount)
            .Select(loaded => (_accounts[loaded.Key], loaded.Value.Balance, loaded.Value.EntryCount));

    /// <summary>
    /// The transaction of this write that last took the arrears from zero to owed, or from owed to
    /// zero (a write of several charges may start arrears in any of them); null when none did.
    /// </summary>
    public string? ArrearsChangedIn { get; private set; }

    /// <summary>A singleton account of the billing account (cash, arrears, revenue...).</summary>
    public LedgerAccount this[LedgerAccountKind kind] => _accounts[LedgerAccountKinds.SingletonId(BillingAccountId, kind)];

    /// <summary>
    /// The lots that may pay now, in deduction order: ordinary vouchers, full-reduction vouchers, prepaid
    /// cards; within a kind the one that expires first, then the oldest (ids are time-ordered).
    /// </summary>
    public IEnumerable<LedgerAccount> UsableLots() =>
        _accounts.Values
            .Where(a => a.Balance > 0 && a.IsUsableLot(Now))
            .OrderBy(a => a.Kind switch
            {
                LedgerAccountKind.OrdinaryVoucher => 0,
                LedgerAccountKind.FullReductionVoucher => 1,
                _ => 2,
            })
            .ThenBy(a => a.ExpiresAt)
            .ThenBy(a => a.Id, StringComparer.Ordinal);

    /// <summary>Opens the ledger account of a new voucher or card (balance 0; fund it with <see cref="Move"/>).</summary>
    public LedgerAccount OpenLot(LotInfo lot)
    {
        var account = new LedgerAccount
        {
            Id = lot.LotId,
            BillingAccountId = BillingAccountId,
            Kind = lot.Kind,
            LotId = lot.LotId,
            ValidFrom = lot.ValidFrom,
            ExpiresAt = lot.ExpiresAt,
            CreatedAt = Now,
        };
        _db.LedgerAccounts.Add(account);
        _accounts.Add(account.Id, account);
        return account;
    }

    /// <summary>A lot's account, loading it when the book did not (an empty lot is not loaded up front).</summary>
    public async Task<LedgerAccount?> LotAccountAsync(string lotId, CancellationToken cancellationToken)
    {
        if (_accounts.TryGetValue(lotId, out var account))
        {
            return account;
        }
        account = await _db.LedgerAccounts.AsNoTracking().FirstOrDefaultAsync(a => a.Id == lotId && a.BillingAccountId == BillingAccountId, cancellationToken);
        if (account is not null)
        {
            _accounts.Add(account.Id, account);
            _loaded.Add(account.Id, (account.Balance, account.EntryCount));
        }
        return account;
    }

    /// <summary>Starts a ledger transaction; its idempotency key must not exist yet (the caller looked).</summary>
    public PostedTransaction Start(TransactionKind kind, string idempotencyKey, string reference, long amount, string fingerprint, string description = "")
    {
        var transaction = new LedgerTransaction
        {
            Id = Ids.New("txn", _clock),
            BillingAccountId = BillingAccountId,
            Kind = kind,
            IdempotencyKey = idempotencyKey,
            Reference = reference,
            Fingerprint = fingerprint,
            Amount = amount,
            Description = description,
            CreatedAt = Now,
        };
        var posted = new PostedTransaction(transaction, new List<PostedEntry>());
        _posted.Add(posted);
        return posted;
    }

    /// <summary>Moves <paramref name="amount"/> cents from one account to another, within a transaction of this book.</summary>
    public void Move(PostedTransaction transaction, LedgerAccount from, LedgerAccount to, long amount, string? itemCode = null)
    {
        if (amount <= 0)
        {
            throw new InvalidOperationException($"A movement must be positive, not {amount}.");
        }
        if (from.Kind.IsHolding() && from.Balance < amount)
        {
            throw new InvalidOperationException($"Ledger account {from.Id} holds {from.Balance}, less than {amount}.");
        }
        Post(transaction, from, checked(-amount), itemCode);
        Post(transaction, to, amount, itemCode);
    }

    /// <summary>The balances now, as <see cref="WalletView"/> shows them.</summary>
    public WalletView View() => WalletView.Of(Wallet, _accounts.Values, Now);

    private void Post(PostedTransaction transaction, LedgerAccount account, long amount, string? itemCode)
    {
        var before = account.Balance;
        account.Balance = checked(account.Balance + amount);
        if (account.Kind == LedgerAccountKind.Arrears)
        {
            // The settlement period runs from the moment arrears appear until they are paid in full.
            if (before == 0 && account.Balance < 0)
            {
                Wallet.ArrearsSince = Now;
                ArrearsChangedIn = transaction.Transaction.Id;
            }
            else if (account.Balance == 0)
            {
                Wallet.ArrearsSince = null;
                ArrearsChangedIn = transaction.Transaction.Id;
            }
        }
        account.EntryCount++;
        var entry = new LedgerEntry
        {
            LedgerAccountId = account.Id,
            Sequence = account.EntryCount,
            TransactionId = transaction.Transaction.Id,
            BillingAccountId = BillingAccountId,
            Amount = amount,
            BalanceAfter = account.Balance,
            Position = transaction.Entries.Count,
            ItemCode = itemCode,
        };
        _newEntries.Add(entry);
        transaction.Add(new PostedEntry(entry, account.Kind, account.LotId));
    }
}
