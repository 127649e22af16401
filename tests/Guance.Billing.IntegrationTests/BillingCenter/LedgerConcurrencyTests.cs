using Guance.Billing.Data;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.V1;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Guance.Billing.IntegrationTests.Infrastructure.BillingCenterScenario;

namespace Guance.Billing.IntegrationTests.BillingCenter;

public sealed class LedgerConcurrencyTests : IClassFixture<BillingHost>
{
    private readonly BillingHost host;

    public LedgerConcurrencyTests(BillingHost host)
    {
        this.host = host;
        host.Settings["Guance:Wallet:ExpiryJobEnabled"] = "false";
        // Tests here move the clock by days; sessions outlive that.
        host.Settings["Guance:BillingCenter:SessionLifetime"] = "365.00:00:00";
    }

    [Fact]
    public async Task Two_hundred_charges_and_recharges_at_once_on_one_account_are_exact()
    {
        var account = await host.RegisterBillingAccountAsync("hot");
        await host.GrantVoucherAsync(account.Id, 50m);
        await host.IssueCardAsync(account.Id, 100m);

        // 100 charges of 3.45 (logs 3.00 that vouchers may pay, SMS 0.45 that they may not) and 100
        // recharges of 1.50, all at once, over separate channels; 20 of the charges are also sent twice.
        var charges = Enumerable.Range(0, 100).Select(i => Charge(account.Id, ("logs", 3m), ("sms", 0.45m))).ToList();
        var calls = new List<Func<Task>>();
        foreach (var charge in charges)
        {
            calls.Add(async () => await host.Operator.BillingAccounts.ChargeAsync(charge));
        }
        foreach (var charge in charges.Take(20))
        {
            calls.Add(async () => await host.Operator.BillingAccounts.ChargeAsync(charge));
        }
        for (var i = 0; i < 100; i++)
        {
            calls.Add(async () => await host.RechargeAsync(account.Id, 1.5m));
        }
        var shuffled = calls.OrderBy(_ => Random.Shared.Next()).ToList();
        using var start = new SemaphoreSlim(0);
        var running = shuffled.Select(call => Task.Run(async () =>
        {
            await start.WaitAsync();
            await call();
        })).ToList();
        start.Release(running.Count);
        await Task.WhenAll(running);

        // Charged 345.00: vouchers 50 (the first charges' logs), the card 100, then 195 from cash and
        // arrears; recharged 150, which always pays arrears before becoming cash. Whatever the order,
        // cash and arrears are never both above zero, so the net 150 - 195 leaves 45.00 of arrears.
        var wallet = await host.WalletAsync(account.Id);
        Assert.Equal(Zero, wallet.OrdinaryVouchers);
        Assert.Equal(Zero, wallet.PrepaidCards);
        Assert.Equal(Zero, wallet.Cash);
        Assert.Equal(Yuan(45m), wallet.Arrears);
        Assert.NotNull(wallet.ArrearsSince);

        var transactions = new List<WalletTransaction>();
        var token = "";
        do
        {
            var page = await host.Operator.BillingAccounts.ListTransactionsAsync(new ListTransactionsRequest { BillingAccountId = account.Id, PageSize = 1000, PageToken = token });
            transactions.AddRange(page.Transactions);
            token = page.NextPageToken;
        }
        while (token != "");
        Assert.Equal(100, transactions.Count(t => t.Kind == TransactionKind.Charge));
        Assert.Equal(100, transactions.Count(t => t.Kind == TransactionKind.Recharge));

        await using (var scope = host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BillingDbContext>();
            var revenue = await db.LedgerAccounts.SingleAsync(a => a.Id == account.Id + ":revenue");
            Assert.Equal(34_500, revenue.Balance);
            var smsFromVouchers = await (from e in db.LedgerEntries
                                         join a in db.LedgerAccounts on e.LedgerAccountId equals a.Id
                                         where a.BillingAccountId == account.Id && e.ItemCode == "sms" && a.LotId != null && a.Kind != Wallets.LedgerAccountKind.PrepaidCard
                                         select e).CountAsync();
            Assert.Equal(0, smsFromVouchers);
        }
        await host.AssertLedgerCleanAsync(account.Id);
        await host.AssertLedgerCleanAsync();
    }
}
