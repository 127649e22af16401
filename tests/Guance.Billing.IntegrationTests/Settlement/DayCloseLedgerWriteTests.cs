using System.Text.RegularExpressions;
using Guance.Billing.Data;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.V1;
using Microsoft.EntityFrameworkCore;
using static Guance.Billing.IntegrationTests.Settlement.DayCloseKit;

namespace Guance.Billing.IntegrationTests.Settlement;

/// <summary>
/// A wallet write (a day close's charge batch, and a Charge RPC's group) writes its ledger transactions and
/// its balances set-based, not through the change tracker's statement per row, and the rows are exactly what
/// the charges say: one transaction per bill keyed by it, with the bill's total, description and the close's
/// time, balances equal to their entries (VerifyLedger).
/// </summary>
public sealed partial class DayCloseLedgerWriteTests
{
    [Fact]
    public async Task A_close_and_a_charge_write_their_ledger_rows_set_based_and_exactly()
    {
        var writes = new StatementCounter(LedgerRowWrite());
        await using var host = CountingStatements(writes);
        var day = host.NextDay(China);
        var payers = await host.PayingWorkspacesAsync(3);
        await host.RechargeAsync(payers[0].Payer.Id, 100m);
        await host.GrantVoucherAsync(payers[1].Payer.Id, 3m);
        await host.RechargeAsync(payers[2].Payer.Id, 2m);
        host.MoveClockTo(Local(day, China, 23, 0));
        foreach (var (_, _, agent) in payers)
        {
            // Logs 2,000,000 at 14 days' retention: 3.00; SMS 20: 2.00.
            await agent.ReportAsync(Record(BillingItem.Logs, 2_000_000, Local(day, China, 10)), Record(BillingItem.Sms, 20, Local(day, China, 11)));
        }
        var closedAt = Local(day.AddDays(1), China, 1, 0);
        host.MoveClockTo(closedAt);

        writes.Reset();
        var close = await host.CloseDayAsync("cn1", day);
        var charge = await host.Operator.BillingAccounts.ChargeAsync(BillingCenterScenario.Charge(payers[0].Payer.Id, ("logs", 1.25m)));

        Assert.Equal((DayCloseState.Completed, 3), (close.State, close.BillsCharged));
        Assert.Equal(0, writes.Count); // without the set-based writer: a statement per transaction and per balance moved
        await using (var db = host.Database.NewContext())
        {
            foreach (var (workspace, payer, _) in payers)
            {
                var bill = await host.BillAsync(workspace.Id, day);
                var made = await db.LedgerTransactions.AsNoTracking().SingleAsync(t => t.Reference == bill.DailyBillId);
                Assert.Equal((bill.TransactionId, payer.Id, Wallets.TransactionKind.Charge, "charge:" + bill.DailyBillId, 5_00L),
                    (made.Id, made.BillingAccountId, made.Kind, made.IdempotencyKey, made.Amount));
                Assert.Equal($"Daily bill {day:yyyy-MM-dd} of workspace {workspace.Id}", made.Description);
                Assert.Equal(closedAt, made.CreatedAt);
            }
            var rpc = await db.LedgerTransactions.AsNoTracking().SingleAsync(t => t.Id == charge.Result.TransactionId);
            Assert.Equal((payers[0].Payer.Id, 1_25L, closedAt), (rpc.BillingAccountId, rpc.Amount, rpc.CreatedAt));
        }
        Assert.Equal(100_00 - 5_00 - 1_25, (await host.WalletAsync(payers[0].Payer.Id)).Cash.Cents());
        Assert.Equal(3_00, (await host.WalletAsync(payers[2].Payer.Id)).Arrears.Cents());
        await host.AssertLedgerCleanAsync();
    }

    /// <summary>A statement of the change tracker that inserts a ledger transaction or updates a balance.</summary>
    [GeneratedRegex("""INSERT\s+INTO\s+"?ledger_transactions"?|UPDATE\s+"?ledger_accounts"?\s+SET""", RegexOptions.IgnoreCase)]
    private static partial Regex LedgerRowWrite();
}
