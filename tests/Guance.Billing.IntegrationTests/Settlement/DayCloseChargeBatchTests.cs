using System.Text.RegularExpressions;
using Grpc.Core;
using Guance.Billing.Data;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.V1;
using Microsoft.EntityFrameworkCore;
using static Guance.Billing.IntegrationTests.Settlement.DayCloseKit;

namespace Guance.Billing.IntegrationTests.Settlement;

/// <summary>
/// A day close charges all the billing accounts of a charge batch as ONE wallet write: the wallets of the
/// batch are locked by one statement, whatever state each account is in (enough cash, vouchers and a card,
/// in arrears, going into arrears), each paid by the rules of docs/domain.md §6; an account whose charge
/// the wallet refuses (here: it has no wallet) fails only its own bill, which stays due, and the close
/// says so after charging the others; once repaired, the next close charges it, every bill once.
/// </summary>
public sealed partial class DayCloseChargeBatchTests
{
    [Fact]
    public async Task A_batch_of_accounts_in_every_state_is_one_wallet_write_and_a_refused_account_fails_only_its_bill()
    {
        var locks = new StatementCounter(WalletLock());
        await using var host = CountingStatements(locks);
        var day = host.NextDay(China);
        var payers = await host.PayingWorkspacesAsync(5);
        var (cash, lots, owing, short_, noWallet) = (payers[0].Payer.Id, payers[1].Payer.Id, payers[2].Payer.Id, payers[3].Payer.Id, payers[4].Payer.Id);
        await host.RechargeAsync(cash, 100m);
        await host.GrantVoucherAsync(lots, 3m);
        await host.IssueCardAsync(lots, 100m);
        await host.Operator.BillingAccounts.ChargeAsync(BillingCenterScenario.Charge(owing, ("logs", 10m)));
        await host.RechargeAsync(short_, 2m);

        host.MoveClockTo(Local(day, China, 23, 0));
        foreach (var (_, _, agent) in payers)
        {
            // Logs 2,000,000 at 14 days' retention: 2.00 x 1.5 = 3.00; SMS 20: 2.00 x 1 = 2.00 (never paid by vouchers).
            await agent.ReportAsync(Record(BillingItem.Logs, 2_000_000, Local(day, China, 10)), Record(BillingItem.Sms, 20, Local(day, China, 11)));
        }
        host.MoveClockTo(Local(day.AddDays(1), China, 1, 0));
        Wallets.Wallet removed;
        await using (var db = host.Database.NewContext())
        {
            removed = await db.Wallets.AsNoTracking().SingleAsync(w => w.BillingAccountId == noWallet);
            await db.Wallets.Where(w => w.BillingAccountId == noWallet).ExecuteDeleteAsync();
        }

        locks.Reset();
        var refused = await Assert.ThrowsAsync<RpcException>(() => host.CloseDayAsync("cn1", day));

        Assert.Equal(StatusCode.NotFound, refused.StatusCode);
        Assert.Equal(1, locks.Count); // the five accounts' wallets in one statement, not one per account
        var paid = new Dictionary<string, DailyBill>();
        foreach (var (workspace, payer, _) in payers)
        {
            paid[payer.Id] = await host.BillAsync(workspace.Id, day);
            Assert.Equal(5_00, paid[payer.Id].Total.Cents());
        }
        Assert.Equal((DailyBillStatus.Charged, 5_00L), (paid[cash].Status, paid[cash].PaidByCash.Cents()));
        Assert.Equal((3_00L, 2_00L, 0L), (paid[lots].PaidByVouchers.Cents(), paid[lots].PaidByPrepaidCards.Cents(), paid[lots].Arrears.Cents()));
        Assert.Equal(5_00, paid[owing].Arrears.Cents());
        Assert.Equal(15_00, (await host.WalletAsync(owing)).Arrears.Cents());
        Assert.Equal((2_00L, 3_00L), (paid[short_].PaidByCash.Cents(), paid[short_].Arrears.Cents()));
        Assert.Equal(DailyBillStatus.Pending, paid[noWallet].Status);
        Assert.All(new[] { cash, lots, owing, short_ }, id => Assert.Equal(DailyBillStatus.Charged, paid[id].Status));

        await using (var db = host.Database.NewContext())
        {
            db.Wallets.Add(removed);
            await db.SaveChangesAsync();
        }
        var close = await host.CloseDayAsync("cn1", day);

        Assert.Equal(DayCloseState.Completed, close.State);
        Assert.Equal(5, close.BillsCharged);
        var repaired = await host.BillAsync(payers[4].Workspace.Id, day);
        Assert.Equal((DailyBillStatus.Charged, 5_00L), (repaired.Status, repaired.Arrears.Cents()));
        foreach (var (_, payer, _) in payers)
        {
            var charges = await host.Operator.BillingAccounts.ListTransactionsAsync(new ListTransactionsRequest { BillingAccountId = payer.Id, PageSize = 100 });
            Assert.Single(charges.Transactions, t => t.Reference == paid[payer.Id].DailyBillId);
        }
        await host.AssertLedgerCleanAsync();
    }

    /// <summary>The statement that locks wallets (the version bump of WalletLedger).</summary>
    [GeneratedRegex("""UPDATE\s+"?wallets"?(\s+AS\s+"?\w+"?)?\s+SET\s+"?version"?""", RegexOptions.IgnoreCase)]
    private static partial Regex WalletLock();
}
