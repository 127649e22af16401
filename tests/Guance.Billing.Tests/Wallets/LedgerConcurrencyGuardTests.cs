using Guance.Billing.Data;
using Guance.Billing.Wallets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Guance.Billing.Tests.Wallets;

/// <summary>The ledger stays exact without the in-process write queue: the database's guards suffice.</summary>
public sealed class LedgerConcurrencyGuardTests
{
    [Fact]
    public async Task Parallel_charges_and_recharges_are_exact_without_the_in_process_queue()
    {
        await using var bed = await WalletTestBed.CreateAsync(new() { ["Guance:Wallet:QueueSqliteWrites"] = "false" });
        var account = await bed.RegisterAsync();
        await bed.GrantVoucherAsync(account, 10, TimeSpan.FromDays(30));

        var work = Enumerable.Range(0, 30).Select(_ => (Func<Task>)(() => bed.ChargeAsync(account, ("logs", 300), ("sms", 45))))
            .Concat(Enumerable.Range(0, 30).Select(_ => (Func<Task>)(() => bed.RechargeAsync(account, 150))))
            .OrderBy(_ => Random.Shared.Next())
            .Select(call => Task.Run(call));
        await Task.WhenAll(work);

        // Charged 103.50: the 10.00 voucher first, then 93.50 of cash and arrears; recharged 45.00.
        var wallet = await bed.WalletAsync(account);
        Assert.Equal(0, wallet.OrdinaryVouchers);
        Assert.Equal(0, wallet.Cash);
        Assert.Equal(4_850, wallet.Arrears);
        await bed.AssertLedgerCleanAsync();
    }

    [Fact]
    public async Task A_writer_that_skipped_the_wallet_lock_cannot_overwrite_a_balance()
    {
        await using var bed = await WalletTestBed.CreateAsync();
        var account = await bed.RegisterAsync();
        await bed.RechargeAsync(account, 10_000);
        var cashId = LedgerAccountKinds.SingletonId(account, LedgerAccountKind.Cash);

        await using var first = bed.Services.CreateAsyncScope();
        await using var second = bed.Services.CreateAsyncScope();
        var one = first.ServiceProvider.GetRequiredService<BillingDbContext>();
        var two = second.ServiceProvider.GetRequiredService<BillingDbContext>();
        var seenByOne = await one.LedgerAccounts.SingleAsync(a => a.Id == cashId);
        var seenByTwo = await two.LedgerAccounts.SingleAsync(a => a.Id == cashId);

        seenByOne.Balance -= 100;
        await one.SaveChangesAsync();
        seenByTwo.Balance -= 200;
        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => two.SaveChangesAsync());

        // Nor number an entry that another writer numbered already: the count is a token too, even when the balance is the same.
        one.ChangeTracker.Clear();
        two.ChangeTracker.Clear();
        seenByOne = await one.LedgerAccounts.SingleAsync(a => a.Id == cashId);
        seenByTwo = await two.LedgerAccounts.SingleAsync(a => a.Id == cashId);
        seenByOne.EntryCount++;
        await one.SaveChangesAsync();
        seenByTwo.EntryCount++;
        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => two.SaveChangesAsync());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_balance_or_count_moved_under_a_wallet_write_fails_that_write_which_is_made_again_from_what_is_stored(bool balanceMoves)
    {
        await using var bed = await WalletTestBed.CreateAsync();
        var account = await bed.RegisterAsync();
        await bed.RechargeAsync(account, 10_000);
        var cashId = LedgerAccountKinds.SingletonId(account, LedgerAccountKind.Cash);
        var attempts = 0;

        await bed.InScopeAsync(async s =>
        {
            var db = s.GetRequiredService<BillingDbContext>();
            await s.GetRequiredService<WalletLedger>().WriteAsync(account, async book =>
            {
                if (++attempts == 1)
                {
                    // The cash moves after this book loaded it, as a writer that skipped the wallet lock would move it (here inside
                    // the write's own transaction, so that the refused attempt takes this cent back with it): its balance, or only
                    // its count of entries (two entries of that writer that cancel out).
                    await (balanceMoves
                        ? db.LedgerAccounts.Where(a => a.Id == cashId).ExecuteUpdateAsync(u => u.SetProperty(a => a.Balance, a => a.Balance + 1))
                        : db.LedgerAccounts.Where(a => a.Id == cashId).ExecuteUpdateAsync(u => u.SetProperty(a => a.EntryCount, a => a.EntryCount + 2)));
                }
                var transaction = book.Start(TransactionKind.Recharge, "test:moved-under", "moved-under", 500, "fingerprint");
                book.Move(transaction, book[LedgerAccountKind.PaymentsReceived], book[LedgerAccountKind.Cash], 500);
                return transaction;
            }, CancellationToken.None);
        });

        // The first attempt was refused (an account it loaded had moved) and rolled back, the move with it; the second made the recharge once.
        Assert.Equal(2, attempts);
        Assert.Equal(10_500, (await bed.WalletAsync(account)).Cash);
        await bed.AssertLedgerCleanAsync();
    }

    [Fact]
    public async Task The_database_refuses_a_negative_cash_or_lot_balance_and_positive_arrears()
    {
        await using var bed = await WalletTestBed.CreateAsync();
        var account = await bed.RegisterAsync();
        await using var scope = bed.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BillingDbContext>();
        var cash = LedgerAccountKinds.SingletonId(account, LedgerAccountKind.Cash);
        var arrears = LedgerAccountKinds.SingletonId(account, LedgerAccountKind.Arrears);
        await Assert.ThrowsAnyAsync<Exception>(() => db.LedgerAccounts.Where(a => a.Id == cash).ExecuteUpdateAsync(s => s.SetProperty(a => a.Balance, -1)));
        await Assert.ThrowsAnyAsync<Exception>(() => db.LedgerAccounts.Where(a => a.Id == arrears).ExecuteUpdateAsync(s => s.SetProperty(a => a.Balance, 1)));
        var revenue = LedgerAccountKinds.SingletonId(account, LedgerAccountKind.PaymentsReceived);
        Assert.Equal(1, await db.LedgerAccounts.Where(a => a.Id == revenue).ExecuteUpdateAsync(s => s.SetProperty(a => a.Balance, -1)));
    }
}
