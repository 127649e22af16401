using Guance.Billing.Data;
using Guance.Billing.Identity;
using Guance.Billing.Notifications;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Guance.Billing.Wallets;

/// <summary>What one expiry run did; the cleared value is in cents.</summary>
public sealed record ExpiryRun(int CardNotices, int CardsExpired, int VouchersExpired, long Cleared);

/// <summary>
/// Card and voucher expiry on the clock. A card's holder is told once, <see cref="WalletOptions.CardExpiryNotice"/>
/// (3 days) before it expires, while it still holds something; at expiry the remaining balance of a
/// card or voucher moves to expired value. Every step is claimed with a conditional update and keyed,
/// so running it twice, or on two hosts at once, does each thing once.
/// </summary>
public sealed class ExpiryService(
    BillingDbContext db, WalletLedger ledger, WalletWriteGate gate, NotificationOutbox outbox, IOptions<WalletOptions> options, TimeProvider clock)
{
    private const int Batch = 200;

    /// <summary>The RunExpiry RPC: operator only, at the host's now.</summary>
    public Task<ExpiryRun> RunAsync(Caller caller, CancellationToken cancellationToken)
    {
        caller.RequireOperator();
        return RunDueExpiriesAsync(clock.GetUtcNow(), cancellationToken);
    }

    /// <summary>Does everything due at <paramref name="now"/>: notices, then card and voucher expiries. Idempotent.</summary>
    public async Task<ExpiryRun> RunDueExpiriesAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var notices = await SendCardNoticesAsync(now, cancellationToken);
        var (cards, clearedCards) = await ExpireCardsAsync(now, cancellationToken);
        var (vouchers, clearedVouchers) = await ExpireVouchersAsync(now, cancellationToken);
        return new ExpiryRun(notices, cards, vouchers, clearedCards + clearedVouchers);
    }

    private async Task<int> SendCardNoticesAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var horizon = now + options.Value.CardExpiryNotice;
        var sent = 0;
        var last = "";
        while (true)
        {
            var due = await (from c in db.PrepaidCards.AsNoTracking()
                             join a in db.LedgerAccounts.AsNoTracking() on c.Id equals a.Id
                             join b in db.BillingAccounts.AsNoTracking() on c.BillingAccountId equals b.Id
                             where c.ExpiryNoticeSentAt == null && c.ExpiredAt == null && c.ExpiresAt > now && c.ExpiresAt <= horizon
                                   && a.Balance > 0 && string.Compare(c.Id, last) > 0
                             orderby c.Id
                             select new { c.Id, c.BillingAccountId, c.ExpiresAt, a.Balance, b.Email, b.Username })
                .Take(Batch).ToListAsync(cancellationToken);
            foreach (var card in due)
            {
                using (await gate.EnterAsync(cancellationToken))
                {
                    await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
                    var claimed = await db.PrepaidCards
                        .Where(c => c.Id == card.Id && c.ExpiryNoticeSentAt == null)
                        .ExecuteUpdateAsync(s => s.SetProperty(c => c.ExpiryNoticeSentAt, now), cancellationToken);
                    if (claimed == 0)
                    {
                        continue; // another run sent it
                    }
                    outbox.Add(new NotificationDraft(NotificationKind.CardExpiringSoon, card.BillingAccountId, card.Email,
                        new NoticeValues().Text("card", card.Id).Text("account", card.Username).Money("balance", card.Balance).Time("expires_at", card.ExpiresAt),
                        card.Id, "card_expiring:" + card.Id), now);
                    await db.SaveChangesAsync(cancellationToken);
                    await transaction.CommitAsync(cancellationToken);
                    sent++;
                }
            }
            if (due.Count < Batch)
            {
                return sent;
            }
            last = due[^1].Id;
        }
    }

    /// <summary>A card or voucher whose validity has ended, with its holder (and, for a voucher, whether it is a full-reduction one).</summary>
    private sealed record DueLot(string Id, string BillingAccountId, string Email, string Username, bool FullReduction);

    private Task<(int Expired, long Cleared)> ExpireCardsAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        ExpireLotsAsync(now,
            last => (from c in db.PrepaidCards.AsNoTracking()
                     join b in db.BillingAccounts.AsNoTracking() on c.BillingAccountId equals b.Id
                     where c.ExpiredAt == null && c.ExpiresAt <= now && string.Compare(c.Id, last) > 0
                     orderby c.Id
                     select new DueLot(c.Id, c.BillingAccountId, b.Email, b.Username, false))
                .Take(Batch).ToListAsync(cancellationToken),
            (card, at) => db.PrepaidCards
                .Where(c => c.Id == card.Id && c.ExpiredAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.ExpiredAt, at), cancellationToken),
            "Prepaid card expired",
            (card, amount) => new NotificationDraft(NotificationKind.CardExpired, card.BillingAccountId, card.Email,
                new NoticeValues().Text("card", card.Id).Text("account", card.Username).Money("amount", amount),
                card.Id, "card_expired:" + card.Id),
            cancellationToken);

    private async Task<(int Expired, long Cleared)> ExpireVouchersAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        // Activation codes nobody redeemed hold no value: they just end.
        var unredeemed = await db.Vouchers
            .Where(v => v.BillingAccountId == null && v.ExpiredAt == null && v.ExpiresAt <= now)
            .ExecuteUpdateAsync(s => s.SetProperty(v => v.ExpiredAt, now), cancellationToken);
        var (expired, cleared) = await ExpireLotsAsync(now,
            last => (from v in db.Vouchers.AsNoTracking()
                     join b in db.BillingAccounts.AsNoTracking() on v.BillingAccountId equals b.Id
                     where v.ExpiredAt == null && v.ExpiresAt <= now && string.Compare(v.Id, last) > 0
                     orderby v.Id
                     select new DueLot(v.Id, b.Id, b.Email, b.Username, v.Kind != VoucherKind.Ordinary))
                .Take(Batch).ToListAsync(cancellationToken),
            (voucher, at) => db.Vouchers
                .Where(v => v.Id == voucher.Id && v.ExpiredAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(v => v.ExpiredAt, at), cancellationToken),
            "Voucher expired",
            (voucher, amount) => new NotificationDraft(NotificationKind.VoucherExpired, voucher.BillingAccountId, voucher.Email,
                new NoticeValues().Text("voucher", voucher.Id).Text("account", voucher.Username).Money("amount", amount).Flag("full_reduction", voucher.FullReduction),
                voucher.Id, "voucher_expired:" + voucher.Id),
            cancellationToken);
        return (unredeemed + expired, cleared);
    }

    /// <summary>
    /// Expires the due lots a page at a time (<paramref name="nextPage"/> after the last id), each in its
    /// account's wallet write: claimed with a conditional update (<paramref name="claim"/>, 0 when
    /// another run did it), its balance cleared, its holder told when something was cleared.
    /// </summary>
    private async Task<(int Expired, long Cleared)> ExpireLotsAsync(
        DateTimeOffset now, Func<string, Task<List<DueLot>>> nextPage, Func<DueLot, DateTimeOffset, Task<int>> claim, string description,
        Func<DueLot, long, NotificationDraft> notice, CancellationToken cancellationToken)
    {
        int expired = 0;
        long cleared = 0;
        var last = "";
        while (true)
        {
            var due = await nextPage(last);
            foreach (var lot in due)
            {
                var result = await ledger.WriteAsync(lot.BillingAccountId, async book =>
                {
                    if (await claim(lot, book.Now) == 0)
                    {
                        return (Expired: false, Cleared: 0L);
                    }
                    var amount = await ClearLotAsync(book, lot.Id, description, cancellationToken);
                    if (amount > 0)
                    {
                        outbox.Add(notice(lot, amount), book.Now);
                    }
                    return (Expired: true, Cleared: amount);
                }, cancellationToken, now);
                expired += result.Expired ? 1 : 0;
                cleared += result.Cleared;
            }
            if (due.Count < Batch)
            {
                return (expired, cleared);
            }
            last = due[^1].Id;
        }
    }

    /// <summary>Moves what a lot still holds to expired value (one EXPIRY transaction); returns the amount.</summary>
    private static async Task<long> ClearLotAsync(WalletBook book, string lotId, string description, CancellationToken cancellationToken)
    {
        var lot = await book.LotAccountAsync(lotId, cancellationToken);
        var amount = lot?.Balance ?? 0;
        if (amount > 0)
        {
            var transaction = book.Start(TransactionKind.Expiry, "expiry:" + lotId, lotId, amount, RequestFingerprint.Of("expiry", lotId), description);
            book.Move(transaction, lot!, book[LedgerAccountKind.ExpiredValue], amount);
        }
        return amount;
    }
}
