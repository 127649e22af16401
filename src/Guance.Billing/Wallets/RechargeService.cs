using Guance.Billing.BillingAccounts;
using Guance.Billing.Common;
using Guance.Billing.Identity;

namespace Guance.Billing.Wallets;

/// <summary>How a cash payment reached the company (values equal the contract's).</summary>
public enum PaymentMethod
{
    Online = 1,
    BankTransfer = 2,
}

/// <summary>A recharge's transaction, how it was split, the wallet after it, and whether it was a replay.</summary>
public sealed record RechargeOutcome(PostedTransaction Transaction, long ArrearsPaid, long CashAdded, WalletView Wallet, bool Replayed)
{
    public static RechargeOutcome Of(PostedTransaction posted, WalletView wallet, bool replayed) =>
        new(posted, posted.Net(LedgerAccountKind.Arrears), posted.Net(LedgerAccountKind.Cash), wallet, replayed);
}

/// <summary>
/// Confirms cash payments (online or by bank transfer). New money pays arrears first (DOMAIN §6);
/// the rest becomes cash. The operator's request id makes it idempotent.
/// </summary>
public sealed class RechargeService(BillingAccountAccess access, WalletLedger ledger)
{
    private const int MaxPaymentReference = 128;

    public async Task<RechargeOutcome> RechargeAsync(
        Caller caller, string billingAccountId, MoneyInput? amount, string requestId, PaymentMethod method, string? paymentReference,
        CancellationToken cancellationToken)
    {
        BillingAccountAccess.RequireCallerKind(caller, BillingAccountPermission.Operate);
        var validator = new RequestValidator();
        var cents = validator.Money(amount, "amount");
        validator.RequestKey(requestId, "request_id")
            .Defined(method, "payment_method")
            .Text(paymentReference, "payment_reference", MaxPaymentReference, required: false);
        await access.AuthorizeAsync(caller, billingAccountId, BillingAccountPermission.Operate, cancellationToken, validator);

        var reference = paymentReference?.Trim() ?? "";
        var key = "recharge:" + requestId;
        var fingerprint = RequestFingerprint.Of("recharge", billingAccountId, cents, (int)method, reference);
        var subject = $"request_id {requestId}";
        return await ledger.WriteAsync(billingAccountId, async book =>
        {
            var replay = await ledger.FindReplayAsync(billingAccountId, key, fingerprint, ErrorReasons.RequestIdReused, subject, cancellationToken);
            if (replay is not null)
            {
                return RechargeOutcome.Of(replay, book.View(), replayed: true);
            }
            var description = (method == PaymentMethod.BankTransfer ? "Bank transfer" : "Online payment") + (reference.Length > 0 ? " " + reference : "");
            var transaction = book.Start(TransactionKind.Recharge, key, requestId, cents, fingerprint, description);
            var payments = book[LedgerAccountKind.PaymentsReceived];
            book.Move(transaction, payments, book[LedgerAccountKind.Cash], cents);
            PayArrearsFirst(book, transaction, book[LedgerAccountKind.Cash], cents);
            return RechargeOutcome.Of(transaction, book.View(), replayed: false);
        }, cancellationToken);
    }

    /// <summary>
    /// Pays the arrears owed from <paramref name="from"/> (new cash or a new card), at most
    /// <paramref name="available"/>; returns what it paid.
    /// </summary>
    internal static long PayArrearsFirst(WalletBook book, PostedTransaction transaction, LedgerAccount from, long available)
    {
        var owed = -book[LedgerAccountKind.Arrears].Balance;
        var paid = Math.Min(owed, available);
        if (paid > 0)
        {
            book.Move(transaction, from, book[LedgerAccountKind.Arrears], paid);
        }
        return paid;
    }
}
