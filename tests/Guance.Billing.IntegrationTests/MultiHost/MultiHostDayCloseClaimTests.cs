using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.IntegrationTests.Usage;
using Guance.Billing.V1;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace Guance.Billing.IntegrationTests.MultiHost;

/// <summary>
/// Two host processes closing one day on PostgreSQL share it: each claims batches of the plan (ranges
/// of workspaces to rate, then ranges of billing accounts to charge) instead of both doing everything
/// (no batch is claimed twice),
/// and still every workspace has exactly one bill and one charge, and VerifyLedger is clean.
/// </summary>
public sealed class MultiHostDayCloseClaimTests(ITestOutputHelper output)
{
    private const int Accounts = 8;
    private const int Workspaces = 32;

    private static readonly DateOnly Day = DateOnly.FromDateTime(SettlementCluster.DefaultStart.UtcDateTime);

    [PostgresFact]
    public async Task Two_hosts_closing_one_day_claim_each_batch_once_and_every_workspace_gets_one_bill_and_one_charge()
    {
        // Small batches: 16 rating batches of 2 workspaces, then charging batches of at least 2 bills, cut at accounts (one account's 4 bills each).
        await using var hosts = await SettlementCluster.StartAsync(output, new Dictionary<string, string>
        {
            ["Guance:Settlement:RatingBatchSize"] = "2",
            ["Guance:Settlement:ChargeBatchSize"] = "1",
            ["Guance:Settlement:ChargeParallelism"] = "2",
            ["Guance:Settlement:DayCloseJobEnabled"] = "false", // only the two CloseDay calls close the day
        });
        var owner = await hosts.SignUpAsync();
        var accounts = new List<(string Id, string Token)>();
        for (var a = 0; a < Accounts; a++)
        {
            accounts.Add(await hosts.RegisterAccountAsync(a % 2));
            await hosts.RechargeAsync(a % 2, accounts[a].Id, 100m);
        }
        var workspaces = new List<ClusterWorkspace>();
        for (var i = 0; i < Workspaces; i++)
        {
            var workspace = await hosts.CommercialWorkspaceAsync(i % 2, owner, accounts[i % Accounts]);
            workspaces.Add(workspace);
            // 1,000,000 log records at CN 1.50 per 1,000,000: 1.50 a workspace.
            await hosts.ReportAsync((i + 1) % 2, workspace, "agent-1", 1, UsageTestKit.Record(BillingItem.Logs, 1_000_000, hosts.Start));
        }
        await hosts.AdvanceBothAsync(new DateTimeOffset(Day.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.FromHours(8)).AddMinutes(30));

        var closes = await hosts.Cluster.OnEveryHostAtOnceAsync(async host =>
            (await host.Api(hosts.Cluster.OperatorToken).Settlement.CloseDayAsync(new CloseDayRequest { SiteCode = "cn1", Day = SettlementScenario.Day(Day) })).DayClose);

        Assert.All(closes, close =>
        {
            Assert.Equal(DayCloseState.Completed, close.State);
            Assert.Equal(Workspaces, close.Bills);
            Assert.Equal(Workspaces, close.BillsCharged);
            Assert.Equal(Workspaces * 150, close.Total.Cents());
        });
        await using (var db = hosts.Cluster.Database.NewContext())
        {
            var claims = await db.DayCloseClaims.AsNoTracking().Where(c => c.BillingDay == Day).ToListAsync();
            foreach (var claim in claims.OrderBy(c => c.Phase).ThenBy(c => c.Batch))
            {
                output.WriteLine($"{claim.Phase} {claim.Batch}: {claim.Holder}, claimed {claim.Claims}x");
            }
            Assert.Equal(Workspaces / 2, claims.Count(c => c.Phase == Guance.Billing.Settlement.DayClosePhase.Rating));
            Assert.Equal(Accounts, claims.Count(c => c.Phase == Guance.Billing.Settlement.DayClosePhase.Charging));
            Assert.All(claims, c => Assert.NotNull(c.CompletedAt));
            // Shared, not raced: every batch was claimed once, by one of the two processes (the holder is
            // "machine:process id:run"). Which host did how many depends on the scheduler, so it is only printed.
            Assert.All(claims, c => Assert.Equal(1, c.Claims));
            var processes = claims.Select(c => int.Parse(c.Holder!.Split(':')[^2], System.Globalization.CultureInfo.InvariantCulture)).ToHashSet();
            Assert.Subset(new HashSet<int> { hosts.Cluster[0].ProcessId, hosts.Cluster[1].ProcessId }, processes);
        }
        foreach (var account in accounts)
        {
            var bills = await hosts.BillsOfAccountAsync(0, account.Id, Day.Year, Day.Month);
            Assert.Equal(workspaces.Where(w => w.BillingAccountId == account.Id).Select(w => w.Id).Order(), bills.Select(b => b.WorkspaceId).Order());
            Assert.All(bills, b => Assert.Equal(DailyBillStatus.Charged, b.Status));
            var charges = await hosts.ChargesAsync(1, account.Id);
            Assert.Equal(bills.Select(b => b.DailyBillId).Order(), charges.Select(c => c.Reference).Order());
            Assert.Equal(10_000 - 4 * 150, (await hosts.WalletAsync(0, account.Id)).Cash.Cents());
            await hosts.AssertLedgerCleanAsync(1, account.Id);
        }
        hosts.Cluster.AssertNoErrorsLogged();
    }
}
