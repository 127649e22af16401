namespace Guance.Billing.Wallets;

/// <summary>
/// The balances of a wallet at a moment, in cents. Voucher and card totals count only lots usable at
/// that moment (valid and not expired); arrears are what is owed, a positive amount.
/// </summary>
public sealed record WalletView(
    string BillingAccountId, long Cash, long OrdinaryVouchers, long FullReductionVouchers, long PrepaidCards, long Arrears, DateTimeOffset? ArrearsSince)
{
    /// <summary>Everything usable for billing-center settlement.</summary>
    public long Available => Cash + OrdinaryVouchers + FullReductionVouchers + PrepaidCards;

    public static WalletView Of(Wallet wallet, IEnumerable<LedgerAccount> accounts, DateTimeOffset now)
    {
        long cash = 0, ordinary = 0, fullReduction = 0, cards = 0, arrears = 0;
        foreach (var account in accounts)
        {
            switch (account.Kind)
            {
                case LedgerAccountKind.Cash:
                    cash += account.Balance;
                    break;
                case LedgerAccountKind.Arrears:
                    arrears -= account.Balance;
                    break;
                case var kind when account.IsUsableLot(now):
                    if (kind == LedgerAccountKind.OrdinaryVoucher)
                    {
                        ordinary += account.Balance;
                    }
                    else if (kind == LedgerAccountKind.FullReductionVoucher)
                    {
                        fullReduction += account.Balance;
                    }
                    else
                    {
                        cards += account.Balance;
                    }
                    break;
            }
        }
        return new WalletView(wallet.BillingAccountId, cash, ordinary, fullReduction, cards, arrears, wallet.ArrearsSince);
    }
}

/// <summary>A voucher or card lot to open: its account's kind, and when it may pay.</summary>
public sealed record LotInfo(string LotId, LedgerAccountKind Kind, DateTimeOffset ValidFrom, DateTimeOffset ExpiresAt);
