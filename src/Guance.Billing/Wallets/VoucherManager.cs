using Guance.Billing.BillingAccounts;
using Guance.Billing.Common;
using Guance.Billing.Data;
using Guance.Billing.Identity;
using Microsoft.EntityFrameworkCore;

namespace Guance.Billing.Wallets;

/// <summary>A voucher as issued or redeemed, and whether the request was a replay.</summary>
public sealed record VoucherOutcome(VoucherView Voucher, bool Replayed);

/// <summary>
/// Vouchers: granted by an operator to an account, or issued as an activation code that an account
/// redeems. Each voucher is its own ledger account (a lot) funded from the account's "vouchers
/// granted" counter-account. Vouchers do not pay arrears (only new cash and cards do).
/// </summary>
public sealed class VoucherManager(
    BillingDbContext db, BillingAccountAccess access, WalletLedger ledger, GuessThrottler throttler, TimeProvider clock)
{
    private const string VoucherList = "vouchers";

    public async Task<VoucherOutcome> IssueAsync(
        Caller caller, string? billingAccountId, VoucherKind kind, MoneyInput? amount, DateTimeOffset? startTime, DateTimeOffset? expireTime,
        string? activationCode, string requestId, CancellationToken cancellationToken)
    {
        BillingAccountAccess.RequireCallerKind(caller, BillingAccountPermission.Operate);
        var now = clock.GetUtcNow();
        var validator = new RequestValidator().Defined(kind, "kind");
        var cents = validator.Money(amount, "amount");
        var validFrom = startTime ?? now;
        validator.Check(expireTime is not null, "expire_time", "is required")
            .Check(expireTime is null || (expireTime > now && expireTime > validFrom), "expire_time", "must be in the future and after start_time")
            .RequestKey(requestId, "request_id");
        var hasAccount = !string.IsNullOrEmpty(billingAccountId);
        string? code = null;
        if (!string.IsNullOrEmpty(activationCode))
        {
            code = ActivationCodes.Normalize(activationCode);
            validator.Check(!hasAccount, "activation_code", "must be empty when billing_account_id is set: a voucher is either granted or redeemed")
                .Check(code is not null, "activation_code", $"must be {ActivationCodes.MinLength} to {ActivationCodes.MaxLength} letters or digits (dashes allowed)");
        }
        else if (!hasAccount)
        {
            validator.Check(false, "billing_account_id", "is required unless an activation_code is given");
        }
        if (hasAccount)
        {
            await access.AuthorizeAsync(caller, billingAccountId!, BillingAccountPermission.Operate, cancellationToken, validator);
        }
        validator.ThrowIfInvalid();

        var fingerprint = RequestFingerprint.Of("voucher", billingAccountId, (int)kind, cents, startTime, expireTime, code);
        var voucher = new Voucher
        {
            Id = Ids.New("vch", clock),
            Kind = kind,
            FaceValue = cents,
            ValidFrom = validFrom,
            ExpiresAt = expireTime!.Value,
            ActivationCodeHash = code is null ? null : ActivationCodes.Hash(code),
            IssueRequestId = requestId,
            IssueFingerprint = fingerprint,
            IssuedAt = now,
        };
        if (!hasAccount)
        {
            return await IssueCodeAsync(voucher, cancellationToken);
        }
        return await ledger.WriteAsync(billingAccountId!, async book =>
        {
            var earlier = await FindIssuedAsync(requestId, fingerprint, cancellationToken);
            if (earlier is not null)
            {
                return await ReplayAsync(earlier, cancellationToken);
            }
            voucher.BillingAccountId = book.BillingAccountId;
            db.Vouchers.Add(voucher);
            Grant(book, voucher);
            return new VoucherOutcome(new VoucherView(voucher, voucher.FaceValue, LotStates.Of(voucher, voucher.FaceValue, book.Now)), Replayed: false);
        }, cancellationToken);
    }

    public async Task<VoucherOutcome> RedeemAsync(Caller caller, string billingAccountId, string activationCode, CancellationToken cancellationToken)
    {
        var code = ActivationCodes.Normalize(activationCode);
        var validator = new RequestValidator().Check(code is not null, "activation_code",
            $"must be {ActivationCodes.MinLength} to {ActivationCodes.MaxLength} letters or digits (dashes allowed)");
        await access.AuthorizeAsync(caller, billingAccountId, BillingAccountPermission.Manage, cancellationToken, validator);

        var guess = await throttler.CheckAsync(GuessThrottler.VoucherCodes(billingAccountId), caller.ClientAddress, ErrorReasons.GuessesThrottled,
            "Too many wrong activation codes for this billing account from this network address.", cancellationToken);
        var hash = ActivationCodes.Hash(code!);
        var voucher = await db.Vouchers.AsNoTracking().FirstOrDefaultAsync(v => v.ActivationCodeHash == hash, cancellationToken);
        if (voucher is null)
        {
            await throttler.RecordFailureAsync(guess, cancellationToken);
            throw new BillingException(ErrorKind.NotFound, ErrorReasons.ActivationCodeNotFound, "No voucher has this activation code.");
        }
        if (voucher.BillingAccountId == billingAccountId)
        {
            return await ReplayAsync(voucher, cancellationToken);
        }
        EnsureRedeemable(voucher, clock.GetUtcNow());

        return await ledger.WriteAsync(billingAccountId, async book =>
        {
            var claimed = await db.Vouchers
                .Where(v => v.Id == voucher.Id && v.BillingAccountId == null && v.ExpiresAt > book.Now)
                .ExecuteUpdateAsync(s => s.SetProperty(v => v.BillingAccountId, billingAccountId).SetProperty(v => v.RedeemedAt, book.Now), cancellationToken);
            if (claimed == 0)
            {
                var now = await db.Vouchers.AsNoTracking().FirstAsync(v => v.Id == voucher.Id, cancellationToken);
                if (now.BillingAccountId == billingAccountId)
                {
                    return await ReplayAsync(now, cancellationToken);
                }
                EnsureRedeemable(now, book.Now);
                throw Errors.Aborted(ErrorReasons.ConcurrentUpdate, "The voucher changed while it was redeemed; retry.");
            }
            voucher.BillingAccountId = billingAccountId;
            voucher.RedeemedAt = book.Now;
            Grant(book, voucher);
            await throttler.ClearAsync(guess, cancellationToken);
            return new VoucherOutcome(new VoucherView(voucher, voucher.FaceValue, LotStates.Of(voucher, voucher.FaceValue, book.Now)), Replayed: false);
        }, cancellationToken);
    }

    public async Task<(IReadOnlyList<VoucherView> Vouchers, string NextPageToken)> ListAsync(
        Caller caller, string billingAccountId, int pageSize, string? pageToken, CancellationToken cancellationToken)
    {
        var validator = new RequestValidator().Page(pageSize, pageToken, $"{VoucherList}:{billingAccountId}", out var pageRequest);
        await access.AuthorizeAsync(caller, billingAccountId, BillingAccountPermission.View, cancellationToken, validator);
        var (page, next) = await pageRequest.FetchAsync(
            db.Vouchers.AsNoTracking().Where(v => v.BillingAccountId == billingAccountId), v => v.Id, cancellationToken);
        var balances = await BalancesAsync(page.Select(v => v.Id).ToList(), cancellationToken);
        var now = clock.GetUtcNow();
        return (page.Select(v => View(v, balances.GetValueOrDefault(v.Id), now)).ToList(), next);
    }

    /// <summary>Opens the voucher's lot in the book and funds it from "vouchers granted" (one VOUCHER_GRANT transaction).</summary>
    internal static void Grant(WalletBook book, Voucher voucher)
    {
        var lot = book.OpenLot(new LotInfo(voucher.Id, voucher.LedgerKind, voucher.ValidFrom, voucher.ExpiresAt));
        var description = (voucher.Kind == VoucherKind.Ordinary ? "Ordinary voucher" : "Full-reduction voucher")
            + (voucher.PrepaidCardId is null ? "" : " with prepaid card " + voucher.PrepaidCardId);
        var transaction = book.Start(TransactionKind.VoucherGrant, "voucher:" + voucher.Id, voucher.Id, voucher.FaceValue,
            RequestFingerprint.Of("voucher-grant", voucher.Id, voucher.FaceValue), description);
        book.Move(transaction, book[LedgerAccountKind.VouchersGranted], lot, voucher.FaceValue);
    }

    internal async Task<Dictionary<string, long>> BalancesAsync(IReadOnlyCollection<string> lotIds, CancellationToken cancellationToken) =>
        lotIds.Count == 0
            ? new Dictionary<string, long>()
            : await db.LedgerAccounts.AsNoTracking().Where(a => lotIds.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.Balance, cancellationToken);

    internal static VoucherView View(Voucher voucher, long balance, DateTimeOffset now) => new(voucher, balance, LotStates.Of(voucher, balance, now));

    private async Task<VoucherOutcome> IssueCodeAsync(Voucher voucher, CancellationToken cancellationToken)
    {
        var earlier = await FindIssuedAsync(voucher.IssueRequestId, voucher.IssueFingerprint, cancellationToken);
        if (earlier is not null)
        {
            return await ReplayAsync(earlier, cancellationToken);
        }
        db.Vouchers.Add(voucher);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
        {
            db.ChangeTracker.Clear();
            earlier = await FindIssuedAsync(voucher.IssueRequestId, voucher.IssueFingerprint, cancellationToken);
            if (earlier is not null)
            {
                return await ReplayAsync(earlier, cancellationToken);
            }
            throw Errors.AlreadyExists(ErrorReasons.ActivationCodeTaken, ResourceTypes.Voucher, "", "Another voucher has this activation code; choose another.");
        }
        return new VoucherOutcome(View(voucher, 0, clock.GetUtcNow()), Replayed: false);
    }

    private async Task<Voucher?> FindIssuedAsync(string requestId, string fingerprint, CancellationToken cancellationToken)
    {
        var earlier = await db.Vouchers.AsNoTracking().FirstOrDefaultAsync(v => v.IssueRequestId == requestId, cancellationToken);
        if (earlier is not null && earlier.IssueFingerprint != fingerprint)
        {
            throw Errors.Precondition(ErrorReasons.RequestIdReused, $"request_id {requestId}", $"request_id {requestId} was already used for a different request; use a new one.");
        }
        return earlier;
    }

    private async Task<VoucherOutcome> ReplayAsync(Voucher voucher, CancellationToken cancellationToken)
    {
        var balances = await BalancesAsync([voucher.Id], cancellationToken);
        return new VoucherOutcome(View(voucher, balances.GetValueOrDefault(voucher.Id), clock.GetUtcNow()), Replayed: true);
    }

    private static void EnsureRedeemable(Voucher voucher, DateTimeOffset now)
    {
        if (voucher.BillingAccountId is not null)
        {
            throw Errors.Precondition(ErrorReasons.VoucherAlreadyRedeemed, "activation_code", "This activation code was redeemed already.");
        }
        if (voucher.ExpiresAt <= now)
        {
            throw Errors.Precondition(ErrorReasons.VoucherExpired, "activation_code", "This voucher's validity has ended.");
        }
    }
}
