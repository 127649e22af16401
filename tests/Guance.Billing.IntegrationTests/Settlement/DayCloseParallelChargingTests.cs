using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.V1;
using Guance.Billing.Wallets;
using Microsoft.Extensions.DependencyInjection;
using static Guance.Billing.IntegrationTests.Settlement.DayCloseKit;

namespace Guance.Billing.IntegrationTests.Settlement;

/// <summary>
/// On PostgreSQL a day close charges the batches of disjoint billing accounts at once, each on its own
/// connection (Guance:Settlement:ChargeParallelism): two accounts' wallet writes are seen in flight at
/// the same moment, and still every bill is charged exactly once and VerifyLedger is clean.
/// </summary>
public sealed class DayCloseParallelChargingTests
{
    private const int Accounts = 6;

    [PostgresFact]
    public async Task A_close_on_PostgreSQL_charges_disjoint_accounts_at_once_and_every_bill_once()
    {
        var overlap = new OverlapProbe();
        await using var host = new BillingHost { ConfigureServices = services => services.AddSingleton<IArrearsListener>(overlap) };
        host.Settings["Guance:Settlement:ChargeBatchSize"] = "1";
        host.Settings["Guance:Settlement:ChargeParallelism"] = "3";
        var day = host.NextDay(China);
        var workspaces = new List<(TestWorkspace Workspace, Agent Agent)>();
        for (var i = 0; i < Accounts; i++)
        {
            // Unfunded accounts: each charge starts arrears, which calls the listeners inside the wallet write.
            var workspace = await host.CreateWorkspaceAsync("cn1");
            await host.UpgradeAsync(workspace);
            workspaces.Add((workspace, await host.AgentAsync(workspace)));
        }
        host.MoveClockTo(Local(day, China, 23, 0));
        foreach (var (_, agent) in workspaces)
        {
            await agent.ReportAsync(Record(BillingItem.Logs, 2_000_000, Local(day, China, 10)));
        }
        host.MoveClockTo(Local(day.AddDays(1), China, 1, 0));

        var close = await host.CloseDayAsync("cn1", day);

        Assert.True(overlap.Seen, "no two wallet writes of the close were in flight at once");
        Assert.Equal(Accounts, close.Bills);
        Assert.Equal(Accounts, close.BillsCharged);
        foreach (var (workspace, _) in workspaces)
        {
            var bill = await host.BillAsync(workspace.Id, day);
            Assert.Equal(DailyBillStatus.Charged, bill.Status);
        }
        var again = await host.CloseDayAsync("cn1", day);
        Assert.Equal(Accounts, again.BillsCharged);
        var report = await host.Operator.BillingAccounts.VerifyLedgerAsync(new VerifyLedgerRequest());
        Assert.True(report.Clean, string.Join("; ", report.Problems.Select(p => p.Description)));
    }

    /// <summary>
    /// Called inside each wallet write that starts arrears: the first one waits (bounded) until a second
    /// one is in flight; once two were seen at once, or the wait gave up, nobody waits any more.
    /// </summary>
    private sealed class OverlapProbe : IArrearsListener
    {
        private readonly TaskCompletionSource _overlapped = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _inFlight;
        private int _gaveUp;

        public bool Seen => _overlapped.Task.IsCompleted;

        public async Task OnArrearsChangedAsync(ArrearsChange change, Guance.Billing.Notifications.NoticeValues notice, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _inFlight) >= 2)
            {
                _overlapped.TrySetResult();
            }
            try
            {
                if (Volatile.Read(ref _gaveUp) == 0)
                {
                    await Task.WhenAny(_overlapped.Task, Task.Delay(TimeSpan.FromSeconds(30), cancellationToken));
                    if (!_overlapped.Task.IsCompleted)
                    {
                        Interlocked.Exchange(ref _gaveUp, 1);
                    }
                }
            }
            finally
            {
                Interlocked.Decrement(ref _inFlight);
            }
        }
    }
}
