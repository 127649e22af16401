using Guance.Billing.BillingAccounts;
using Guance.Billing.Common;
using Guance.Billing.Data;
using Guance.Billing.Identity;
using Microsoft.EntityFrameworkCore;

namespace Guance.Billing.Wallets;

/// <summary>The full-reduction voucher that comes with a card, as the contract carries it.</summary>
public sealed record FullReductionVoucherInput(MoneyInput? Amount, DateTimeOffset? ExpireTime);

/// <summary>A card to open: its face value in cents, validity, idempotency, origin and the ledger's description.</summary>
internal sealed record CardIssue(
    long FaceValue, DateTimeOffset ExpiresAt, string RequestId, string Fingerprint, string PaymentReference, PrepaidCardOrigin Origin, string Description,
    string? FullReductionVoucherId = null);

/// <summary>A card as issued, its voucher, what it paid of arrears, and whether the request was a replay.</summary>
public sealed record PrepaidCardOutcome(PrepaidCardView Card, VoucherView? FullReductionVoucher, long ArrearsPaid, bool Replayed);

/// <summary>
/// Prepaid cards: bought by an account (face value a multiple of 100 CNY, at least 100), funded from
/// payments received; a new card pays arrears first (DOMAIN §6), and may come with a full-reduction voucher.
/// </summary>
public sealed class PrepaidCardManager(BillingDbContext db, BillingAccountAccess access, WalletLedger ledger, TimeProvider clock)
{
    public const long FaceValueStep = 100 * Cny.CentsPerUnit;
    private const string CardList = "prepaid_cards";

    public async Task<PrepaidCardOutcome> IssueAsync(
        Caller caller, string billingAccountId, MoneyInput? faceValue, DateTimeOffset? expireTime, string requestId,
        FullReductionVoucherInput? fullReductionVoucher, string? paymentReference, CancellationToken cancellationToken)
    {
        BillingAccountAccess.RequireCallerKind(caller, BillingAccountPermission.Operate);
        var now = clock.GetUtcNow();
        var validator = new RequestValidator();
        var cents = validator.Money(faceValue, "face_value");
        validator.Check(cents == 0 || (cents % FaceValueStep == 0 && cents >= FaceValueStep), "face_value", "must be a multiple of 100 CNY, at least 100 CNY")
            .Check(expireTime is not null, "expire_time", "is required")
            .Check(expireTime is null || expireTime > now, "expire_time", "must be in the future")
            .RequestKey(requestId, "request_id")
            .Text(paymentReference, "payment_reference", 128, required: false);
        long voucherCents = 0;
        if (fullReductionVoucher is not null)
        {
            voucherCents = validator.Money(fullReductionVoucher.Amount, "full_reduction_voucher.amount");
            validator.Check(fullReductionVoucher.ExpireTime is not null, "full_reduction_voucher.expire_time", "is required")
                .Check(fullReductionVoucher.ExpireTime is null || fullReductionVoucher.ExpireTime > now, "full_reduction_voucher.expire_time", "must be in the future");
        }
        await access.AuthorizeAsync(caller, billingAccountId, BillingAccountPermission.Operate, cancellationToken, validator);

        var reference = paymentReference?.Trim() ?? "";
        var fingerprint = RequestFingerprint.Of("card", billingAccountId, cents, expireTime, voucherCents, fullReductionVoucher?.ExpireTime, reference);
        return await ledger.WriteAsync(billingAccountId, async book =>
        {
            var earlier = await db.PrepaidCards.AsNoTracking().FirstOrDefaultAsync(c => c.IssueRequestId == requestId, cancellationToken);
            if (earlier is not null)
            {
                if (earlier.IssueFingerprint != fingerprint)
                {
                    throw Errors.Precondition(ErrorReasons.RequestIdReused, $"request_id {requestId}", $"request_id {requestId} was already used for a different request; use a new one.");
                }
                return await ReplayAsync(earlier, cancellationToken);
            }

            var voucherId = fullReductionVoucher is null ? null : Ids.New("vch", clock);
            var (card, lot, arrearsPaid) = Open(book, new CardIssue(cents, expireTime!.Value, requestId, fingerprint, reference, PrepaidCardOrigin.BillingCenter,
                "Prepaid card " + Cny.Format(cents) + (reference.Length > 0 ? ", payment " + reference : ""), voucherId));

            Voucher? voucher = null;
            if (voucherId is not null)
            {
                voucher = new Voucher
                {
                    Id = voucherId,
                    Kind = VoucherKind.FullReduction,
                    FaceValue = voucherCents,
                    BillingAccountId = book.BillingAccountId,
                    ValidFrom = book.Now,
                    ExpiresAt = fullReductionVoucher!.ExpireTime!.Value,
                    IssueRequestId = requestId + "#full-reduction",
                    IssueFingerprint = fingerprint,
                    IssuedAt = book.Now,
                    PrepaidCardId = card.Id,
                };
                db.Vouchers.Add(voucher);
                VoucherManager.Grant(book, voucher);
            }
            return new PrepaidCardOutcome(
                View(card, lot.Balance, book.Now),
                voucher is null ? null : VoucherManager.View(voucher, voucher.FaceValue, book.Now),
                arrearsPaid, Replayed: false);
        }, cancellationToken);
    }

    /// <summary>
    /// Opens a card on the account's locked book: funded from payments received, paying arrears first
    /// (docs/domain.md §6). Every card goes through here, whatever its origin.
    /// </summary>
    internal (PrepaidCard Card, LedgerAccount Lot, long ArrearsPaid) Open(WalletBook book, CardIssue issue)
    {
        var card = new PrepaidCard
        {
            Id = Ids.New("card", clock),
            BillingAccountId = book.BillingAccountId,
            FaceValue = issue.FaceValue,
            IssuedAt = book.Now,
            ExpiresAt = issue.ExpiresAt,
            IssueRequestId = issue.RequestId,
            IssueFingerprint = issue.Fingerprint,
            PaymentReference = issue.PaymentReference,
            FullReductionVoucherId = issue.FullReductionVoucherId,
            Origin = issue.Origin,
        };
        db.PrepaidCards.Add(card);
        var lot = book.OpenLot(new LotInfo(card.Id, LedgerAccountKind.PrepaidCard, card.IssuedAt, card.ExpiresAt));
        var purchase = book.Start(TransactionKind.PrepaidCardPurchase, "card:" + card.Id, card.Id, issue.FaceValue, issue.Fingerprint, issue.Description);
        book.Move(purchase, book[LedgerAccountKind.PaymentsReceived], lot, issue.FaceValue);
        return (card, lot, RechargeService.PayArrearsFirst(book, purchase, lot, issue.FaceValue));
    }

    /// <summary>What <paramref name="card"/>'s purchase paid of arrears.</summary>
    internal async Task<long> ArrearsPaidAsync(PrepaidCard card, CancellationToken cancellationToken)
    {
        var key = "card:" + card.Id;
        var purchase = await db.LedgerTransactions.AsNoTracking().FirstAsync(t => t.IdempotencyKey == key, cancellationToken);
        var arrearsAccount = LedgerAccountKinds.SingletonId(card.BillingAccountId, LedgerAccountKind.Arrears);
        return await db.LedgerEntries.AsNoTracking()
            .Where(e => e.TransactionId == purchase.Id && e.LedgerAccountId == arrearsAccount)
            .SumAsync(e => e.Amount, cancellationToken);
    }

    public async Task<(IReadOnlyList<PrepaidCardView> Cards, string NextPageToken)> ListAsync(
        Caller caller, string billingAccountId, int pageSize, string? pageToken, CancellationToken cancellationToken)
    {
        var validator = new RequestValidator().Page(pageSize, pageToken, $"{CardList}:{billingAccountId}", out var pageRequest);
        await access.AuthorizeAsync(caller, billingAccountId, BillingAccountPermission.View, cancellationToken, validator);
        var (page, next) = await pageRequest.FetchAsync(
            db.PrepaidCards.AsNoTracking().Where(c => c.BillingAccountId == billingAccountId), c => c.Id, cancellationToken);
        var ids = page.Select(c => c.Id).ToList();
        var balances = await db.LedgerAccounts.AsNoTracking().Where(a => ids.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.Balance, cancellationToken);
        var now = clock.GetUtcNow();
        return (page.Select(c => View(c, balances.GetValueOrDefault(c.Id), now)).ToList(), next);
    }

    internal static PrepaidCardView View(PrepaidCard card, long balance, DateTimeOffset now) => new(card, balance, LotStates.Of(card, balance, now));

    private async Task<PrepaidCardOutcome> ReplayAsync(PrepaidCard card, CancellationToken cancellationToken)
    {
        var ids = new List<string> { card.Id };
        if (card.FullReductionVoucherId is not null)
        {
            ids.Add(card.FullReductionVoucherId);
        }
        var balances = await db.LedgerAccounts.AsNoTracking().Where(a => ids.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.Balance, cancellationToken);
        var voucher = card.FullReductionVoucherId is null
            ? null
            : await db.Vouchers.AsNoTracking().FirstAsync(v => v.Id == card.FullReductionVoucherId, cancellationToken);
        var arrearsPaid = await ArrearsPaidAsync(card, cancellationToken);
        var now = clock.GetUtcNow();
        return new PrepaidCardOutcome(
            View(card, balances.GetValueOrDefault(card.Id), now),
            voucher is null ? null : VoucherManager.View(voucher, balances.GetValueOrDefault(voucher.Id), now),
            arrearsPaid, Replayed: true);
    }
}
