using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.Settlement;
using Guance.Billing.V1;
using Microsoft.EntityFrameworkCore;
using static Guance.Billing.IntegrationTests.Settlement.DayCloseKit;
using DailyBillStatus = Guance.Billing.V1.DailyBillStatus;

namespace Guance.Billing.IntegrationTests.Settlement;

/// <summary>
/// A day close works its plan by claimed batches (docs/domain.md §5): a batch held by a host that died
/// (its claim row left with a lease that nobody renews) is not touched until the lease expires on the
/// clock, and is then taken over, so that every workspace still gets exactly one bill and one charge.
/// Same code path on SQLite and PostgreSQL.
/// </summary>
public sealed class DayCloseClaimTests
{
    private const int Workspaces = 6;

    [Fact]
    public async Task A_batch_held_by_a_dead_host_is_taken_over_once_its_lease_has_expired()
    {
        await using var host = new BillingHost();
        host.Settings["Guance:Settlement:RatingBatchSize"] = "2";
        host.Settings["Guance:Settlement:ClaimLease"] = "00:05:00";
        host.Settings["Guance:Settlement:ClaimWait"] = "00:00:00.020";
        var day = host.NextDay(China);
        var account = await host.RegisterBillingAccountAsync("payer");
        await host.RechargeAsync(account.Id, 1000m);
        var agents = new List<(TestWorkspace Workspace, Agent Agent)>();
        for (var i = 0; i < Workspaces; i++)
        {
            var workspace = await host.CreateWorkspaceAsync("cn1");
            await host.UpgradeAsync(workspace, account);
            agents.Add((workspace, await host.AgentAsync(workspace)));
        }
        host.MoveClockTo(Local(day, China, 23, 0));
        foreach (var (_, agent) in agents)
        {
            await agent.ReportAsync(Record(BillingItem.Logs, 2_000_000, Local(day, China, 10)));
        }
        host.MoveClockTo(Local(day.AddDays(1), China, 1, 0));
        var now = host.Clock.GetUtcNow();

        // The rating plan of a host that claimed batch 0 (the first two workspaces by id) and died.
        var ids = agents.Select(a => a.Workspace.Id).Order(StringComparer.Ordinal).ToList();
        await using (var db = host.Database.NewContext())
        {
            db.DayCloseClaims.AddRange(
                new DayCloseClaim { SiteCode = "cn1", BillingDay = day, Phase = DayClosePhase.Rating, Batch = 0, AfterKey = "", LastKey = ids[1], Holder = "dead-host", LeaseUntil = now.AddMinutes(5), Claims = 1 },
                new DayCloseClaim { SiteCode = "cn1", BillingDay = day, Phase = DayClosePhase.Rating, Batch = 1, AfterKey = ids[1], LastKey = ids[3] },
                new DayCloseClaim { SiteCode = "cn1", BillingDay = day, Phase = DayClosePhase.Rating, Batch = 2, AfterKey = ids[3], LastKey = ids[5] });
            await db.SaveChangesAsync();
        }

        var close = host.CloseDayAsync("cn1", day);

        // It does the free batches, then waits for the lease: the dead host's workspaces have no bill.
        await WaitUntilAsync(host, async db => await db.DayCloseClaims.CountAsync(c => c.BillingDay == day && c.CompletedAt != null) == 2, close);
        await using (var db = host.Database.NewContext())
        {
            var billed = await db.DailyBills.Where(b => b.BillingDay == day).Select(b => b.WorkspaceId).ToListAsync();
            Assert.Equal(ids.Skip(2).Order(StringComparer.Ordinal), billed.Order(StringComparer.Ordinal));
        }
        Assert.False(close.IsCompleted, "the close finished without the dead host's batch");

        host.MoveClockTo(now.AddMinutes(5));
        var closed = await close.WaitAsync(TimeSpan.FromMinutes(2));

        Assert.Equal(Workspaces, closed.Bills);
        Assert.Equal(Workspaces, closed.BillsCharged);
        await using (var db = host.Database.NewContext())
        {
            var taken = await db.DayCloseClaims.AsNoTracking().SingleAsync(c => c.BillingDay == day && c.Phase == DayClosePhase.Rating && c.Batch == 0);
            Assert.NotNull(taken.CompletedAt);
            Assert.NotEqual("dead-host", taken.Holder);
            Assert.Equal(2, taken.Claims);
            Assert.All(await db.DayCloseClaims.AsNoTracking().Where(c => c.BillingDay == day).ToListAsync(), c => Assert.NotNull(c.CompletedAt));
        }
        var bills = new List<Guance.Billing.V1.DailyBill>();
        foreach (var id in ids)
        {
            var bill = await host.BillAsync(id, day);
            Assert.Equal(DailyBillStatus.Charged, bill.Status);
            bills.Add(bill);
        }
        var charges = new ListTransactionsRequest { BillingAccountId = account.Id, PageSize = 100 };
        charges.Kinds.Add(TransactionKind.Charge);
        var ledger = (await host.Operator.BillingAccounts.ListTransactionsAsync(charges)).Transactions;
        Assert.Equal(bills.Select(b => b.DailyBillId).Order(StringComparer.Ordinal), ledger.Select(t => t.Reference).Order(StringComparer.Ordinal));
        var report = await host.Operator.BillingAccounts.VerifyLedgerAsync(new VerifyLedgerRequest { BillingAccountId = account.Id });
        Assert.True(report.Clean, string.Join("; ", report.Problems.Select(p => p.Description)));
    }

    /// <summary>Polls the database (the close runs meanwhile) until <paramref name="done"/>; fails if the close ends first or a minute passes.</summary>
    private static async Task WaitUntilAsync(BillingHost host, Func<Guance.Billing.Data.BillingDbContext, Task<bool>> done, Task close)
    {
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (true)
        {
            await using (var db = host.Database.NewContext())
            {
                if (await done(db))
                {
                    return;
                }
            }
            Assert.False(close.IsCompleted, "the close ended before the dead host's lease expired");
            Assert.True(DateTime.UtcNow < deadline, "the close did not do the free batches within a minute");
            await Task.Delay(20);
        }
    }
}
