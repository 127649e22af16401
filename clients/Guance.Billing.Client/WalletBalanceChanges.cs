using Guance.Billing.V1;

namespace Guance.Billing.Client;

/// <summary>
/// How a wallet transaction changed the four balances a person reads (docs/domain.md §6): the sums of its postings to
/// cash, to vouchers of either kind, to prepaid cards, and the arrears owed (a negative balance: a posting of -10 adds
/// 10 owed, so the change is +10).
/// </summary>
public sealed record WalletBalanceChanges(decimal Cash, decimal Vouchers, decimal PrepaidCards, decimal Arrears)
{
    public static WalletBalanceChanges Of(WalletTransaction transaction)
    {
        decimal Sum(params LedgerAccountKind[] kinds) =>
            transaction.Postings.Where(p => kinds.Contains(p.AccountKind)).Sum(p => p.Amount.ToDecimal());
        return new WalletBalanceChanges(
            Sum(LedgerAccountKind.Cash),
            Sum(LedgerAccountKind.OrdinaryVoucher, LedgerAccountKind.FullReductionVoucher),
            Sum(LedgerAccountKind.PrepaidCard),
            -Sum(LedgerAccountKind.Arrears));
    }

    /// <summary>The balances that changed, in the order cash, vouchers, prepaid cards, arrears, with their signed change.</summary>
    public IEnumerable<(string Balance, decimal Change)> Changed =>
        new[] { ("Cash", Cash), ("Vouchers", Vouchers), ("Prepaid cards", PrepaidCards), ("Arrears", Arrears) }.Where(c => c.Item2 != 0);
}
