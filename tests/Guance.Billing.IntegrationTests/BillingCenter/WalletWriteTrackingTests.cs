using Guance.Billing.Data;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.V1;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using static Guance.Billing.IntegrationTests.Infrastructure.BillingCenterScenario;
using LedgerAccount = Guance.Billing.Wallets.LedgerAccount;
using Wallet = Guance.Billing.Wallets.Wallet;

namespace Guance.Billing.IntegrationTests.BillingCenter;

/// <summary>
/// A wallet write reads its ledger accounts untracked and saves the balances it moved itself, checked against the
/// balances it loaded: the change tracker, which would compare every loaded account at each save (hundreds in a
/// group of charges), holds only a lot that the write opened. The money stays exact through every kind of write.
/// </summary>
public sealed class WalletWriteTrackingTests
{
    [Fact]
    public async Task No_loaded_ledger_account_is_tracked_at_a_save_and_every_balance_stays_exact()
    {
        var saves = new TrackedLedgerAccounts();
        await using var host = new BillingHost { ConfigureServices = s => s.ConfigureDbContext<BillingDbContext>((_, b) => b.AddInterceptors(saves)) };
        host.Settings["Guance:Wallet:ExpiryJobEnabled"] = "false";
        var cash = await host.RegisterBillingAccountAsync("tracked-cash");
        var lots = await host.RegisterBillingAccountAsync("tracked-lots");
        saves.Reset(); // a registration adds the new accounts' ledger accounts
        await host.RechargeAsync(cash.Id, 50m);
        await host.GrantVoucherAsync(lots.Id, 3m);
        await host.IssueCardAsync(lots.Id, 100m);

        var single = await host.Operator.BillingAccounts.ChargeAsync(Charge(cash.Id, ("logs", 1.25m)));
        var batch = new ChargeBatchRequest();
        batch.Charges.Add([Charge(cash.Id, ("logs", 2m), ("sms", 0.5m)), Charge(lots.Id, ("logs", 4m), ("sms", 1m)), Charge(lots.Id, ("logs", 120m))]);
        var charged = await host.Operator.BillingAccounts.ChargeBatchAsync(batch);

        Assert.Equal(Yuan(1.25m), single.Result.Total);
        Assert.All(charged.Outcomes, o => Assert.NotNull(o.Charged));
        // Cash: 50 - 1.25 - 2.50. Lots: the voucher pays 3 of the logs, the card the other 1, the SMS 1 and then
        // 98 of the 120 (100 in all); the last 22 are owed.
        Assert.Equal(Yuan(46.25m), (await host.WalletAsync(cash.Id)).Cash);
        var lotWallet = await host.WalletAsync(lots.Id);
        Assert.Equal((Zero, Zero, Zero, Yuan(22m)), (lotWallet.Cash, lotWallet.OrdinaryVouchers, lotWallet.PrepaidCards, lotWallet.Arrears));
        await host.AssertLedgerCleanAsync();

        // The recharge, the voucher and the card (which open lots), the charge and the batch each saved a wallet write.
        Assert.True(saves.WalletWrites >= 5, $"{saves.WalletWrites} wallet writes seen");
        Assert.Equal(0, saves.LoadedAccountsTracked); // with tracked reads: every account of every book at each save
        Assert.True(saves.OpenedLotsTracked >= 2, $"{saves.OpenedLotsTracked} opened lots seen");
    }

    /// <summary>At each save of a wallet write (its wallet is tracked): the ledger accounts tracked, opened (Added) or loaded.</summary>
    private sealed class TrackedLedgerAccounts : SaveChangesInterceptor
    {
        private int _writes;
        private int _loaded;
        private int _opened;

        public int WalletWrites => Volatile.Read(ref _writes);
        public int LoadedAccountsTracked => Volatile.Read(ref _loaded);
        public int OpenedLotsTracked => Volatile.Read(ref _opened);

        public void Reset()
        {
            Interlocked.Exchange(ref _writes, 0);
            Interlocked.Exchange(ref _loaded, 0);
            Interlocked.Exchange(ref _opened, 0);
        }

        public override ValueTask<InterceptionResult<int>> SavingChangesAsync(
            DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            var tracker = eventData.Context!.ChangeTracker;
            if (!tracker.Entries<Wallet>().Any())
            {
                return base.SavingChangesAsync(eventData, result, cancellationToken);
            }
            var tracked = tracker.Entries<LedgerAccount>().ToList();
            Interlocked.Increment(ref _writes);
            Interlocked.Add(ref _opened, tracked.Count(e => e.State == EntityState.Added));
            Interlocked.Add(ref _loaded, tracked.Count(e => e.State != EntityState.Added));
            return base.SavingChangesAsync(eventData, result, cancellationToken);
        }
    }
}
