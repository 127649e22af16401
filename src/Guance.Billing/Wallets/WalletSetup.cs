using Guance.Billing.Data;

namespace Guance.Billing.Wallets;

/// <summary>Opens the wallet of a new billing account: its lock row and its singleton ledger accounts, all at zero.</summary>
public static class WalletSetup
{
    /// <summary>Adds them to the unit of work that creates the account.</summary>
    public static void Open(BillingDbContext db, string billingAccountId, DateTimeOffset now)
    {
        db.Wallets.Add(new Wallet { BillingAccountId = billingAccountId, UpdatedAt = now });
        foreach (var kind in LedgerAccountKinds.Singletons)
        {
            db.LedgerAccounts.Add(new LedgerAccount
            {
                Id = LedgerAccountKinds.SingletonId(billingAccountId, kind),
                BillingAccountId = billingAccountId,
                Kind = kind,
                CreatedAt = now,
            });
        }
    }
}
