using System.Collections.Concurrent;
using Grpc.Core;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.IntegrationTests.Usage;
using Guance.Billing.V1;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Xunit.Abstractions;
using static Guance.Billing.IntegrationTests.Infrastructure.BillingCenterScenario;

namespace Guance.Billing.IntegrationTests.MultiHost;

/// <summary>
/// Daily settlement with two host processes on one PostgreSQL database, both on a simulated clock
/// with the same start (<see cref="SettlementCluster"/>): CloseDay called on both hosts at once, the
/// day-close job run by both hosts' clocks at once, and late usage batches on one host racing the
/// close on the other. Bills, charges and balances are exact; unique keys, conditional updates and
/// the site-day advisory lock, not timing, make them so.
/// </summary>
public sealed class MultiHostSettlementTests(ITestOutputHelper output)
{
    private static readonly DateOnly Day = DateOnly.FromDateTime(SettlementCluster.DefaultStart.UtcDateTime); // China 1's 2026-11-02 (08:00 local at the start)

    /// <summary>The end of China 1's day <paramref name="day"/>: 00:00 UTC+8 of the next day.</summary>
    private static DateTimeOffset EndOf(DateOnly day) => new DateTimeOffset(day.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.FromHours(8));

    // Three usage profiles; the commercial defaults are logs 14 days (CN 1.50 per 1,000,000) and
    // metrics 7 days (CN time series 0.70 per 1,000). Units truncate to 2 decimals, amounts round half-up.
    // A: logs 3,456,789 -> 3.45 units x 1.50 = 5.175 -> 5.18; time series 6,000 -> 6.00 x 0.70 = 4.20; total 9.38
    // B: logs 1,000,000 -> 1.00 x 1.50 = 1.50; total 1.50
    // C: time series 12,345 -> 12.34 x 0.70 = 8.638 -> 8.64; total 8.64
    private static readonly (long Logs, long TimeSeries, long TotalCents)[] Profiles =
    [
        (3_456_789, 6_000, 938),
        (1_000_000, 0, 150),
        (0, 12_345, 864),
    ];

    private static UsageRecord[] Records((long Logs, long TimeSeries, long) profile, DateTimeOffset observedAt)
    {
        var records = new List<UsageRecord>();
        if (profile.Logs > 0)
        {
            records.Add(UsageTestKit.Record(BillingItem.Logs, profile.Logs, observedAt));
        }
        if (profile.TimeSeries > 0)
        {
            records.Add(UsageTestKit.Record(BillingItem.TimeSeries, profile.TimeSeries, observedAt));
        }
        return records.ToArray();
    }

    [PostgresFact]
    public async Task CloseDay_called_on_both_hosts_at_once_bills_and_charges_every_workspace_exactly_once()
    {
        // Small batches, so that the two closes interleave over many rating and charging transactions.
        // The day-close job off: it would close the day when the clocks reach its grace's end.
        await using var hosts = await SettlementCluster.StartAsync(output, new Dictionary<string, string>
        {
            ["Guance:Settlement:RatingBatchSize"] = "5",
            ["Guance:Settlement:ChargeBatchSize"] = "4",
            ["Guance:Settlement:DayCloseJobEnabled"] = "false",
        });
        var owner = await hosts.SignUpAsync();
        var accounts = new List<(string Id, string Token)>();
        for (int a = 0; a < 4; a++)
        {
            accounts.Add(await hosts.RegisterAccountAsync(a % 2));
        }
        // Account 0 pays cash, account 1 a voucher then cash, account 2 has nothing (arrears), account 3 a prepaid card.
        await hosts.RechargeAsync(0, accounts[0].Id, 100m);
        await hosts.GrantVoucherAsync(1, accounts[1].Id, 10m);
        await hosts.RechargeAsync(0, accounts[1].Id, 50m);
        await hosts.IssueCardAsync(1, accounts[3].Id, 100m);

        // 24 workspaces, 6 per account (workspace i is paid by account i % 4, with profile i % 3: two of each per account).
        var workspaces = new List<(ClusterWorkspace Workspace, int Profile)>();
        for (int i = 0; i < 24; i++)
        {
            var workspace = await hosts.CommercialWorkspaceAsync(i % 2, owner, accounts[i % 4]);
            workspaces.Add((workspace, i % 3));
            await hosts.ReportAsync((i + 1) % 2, workspace, "agent-1", 1, Records(Profiles[i % 3], hosts.Start));
        }

        // The day and its late grace have ended on both hosts (a close comes no earlier).
        await hosts.AdvanceBothAsync(EndOf(Day).AddMinutes(30));
        var closes = await hosts.Cluster.OnEveryHostAtOnceAsync(async host =>
            (await host.Api(hosts.Cluster.OperatorToken).Settlement.CloseDayAsync(new CloseDayRequest { SiteCode = "cn1", Day = SettlementScenario.Day(Day) })).DayClose);

        // Each account: 2 x (9.38 + 1.50 + 8.64) = 39.04; the day: 4 x 39.04 = 156.16.
        Assert.All(closes, close =>
        {
            Assert.Equal(DayCloseState.Completed, close.State);
            Assert.Equal(24, close.Bills);
            Assert.Equal(24, close.BillsCharged);
            Assert.Equal(0, close.BillsAwaitingCloud);
            Assert.Equal(0, close.BillsUnbound);
            Assert.Equal(15_616, close.Total.Cents());
        });

        foreach (var (account, a) in accounts.Select((x, i) => (x, i)))
        {
            foreach (var host in new[] { 0, 1 })
            {
                var bills = await hosts.BillsOfAccountAsync(host, account.Id, Day.Year, Day.Month);
                var mine = workspaces.Where(w => w.Workspace.BillingAccountId == account.Id).ToList();
                // Exactly one bill per workspace of the account, with its profile's lines and total, charged.
                Assert.Equal(mine.Select(w => w.Workspace.Id).Order(), bills.Select(b => b.WorkspaceId).Order());
                foreach (var bill in bills)
                {
                    var profile = Profiles[mine.Single(w => w.Workspace.Id == bill.WorkspaceId).Profile];
                    Assert.Equal(Day, bill.Day.ToDateOnly());
                    Assert.Equal(DailyBillStatus.Charged, bill.Status);
                    Assert.Equal(profile.TotalCents, bill.Total.Cents());
                    Assert.Equal(profile.Logs, bill.Lines.Where(l => l.Item == BillingItem.Logs).Sum(l => l.Quantity));
                    Assert.Equal(profile.TimeSeries, bill.Lines.Where(l => l.Item == BillingItem.TimeSeries).Sum(l => l.Quantity));
                    Assert.Equal(bill.Total.Cents(), bill.PaidByVouchers.Cents() + bill.PaidByPrepaidCards.Cents() + bill.PaidByCash.Cents() + bill.Arrears.Cents());
                    Assert.NotEmpty(bill.TransactionId);
                }
                Assert.Equal(3904, bills.Sum(b => b.Total.Cents()));

                // One charge per bill in the ledger: the bill's transaction, referencing the bill, of the bill's total.
                var charges = await hosts.ChargesAsync(host, account.Id);
                Assert.Equal(bills.Select(b => b.DailyBillId).Order(), charges.Select(c => c.Reference).Order());
                Assert.All(bills, bill =>
                {
                    var charge = Assert.Single(charges, c => c.Reference == bill.DailyBillId);
                    Assert.Equal(bill.TransactionId, charge.TransactionId);
                    Assert.Equal(bill.Total.Cents(), Math.Abs(charge.Amount.Cents()));
                });
                await hosts.AssertLedgerCleanAsync(host, account.Id);

                var wallet = await hosts.WalletAsync(host, account.Id);
                switch (a)
                {
                    case 0: // cash 100.00 - 39.04 = 60.96
                        Assert.Equal(6096, wallet.Cash.Cents());
                        Assert.Equal(0, wallet.Arrears.Cents());
                        Assert.Equal(3904, bills.Sum(b => b.PaidByCash.Cents()));
                        break;
                    case 1: // the voucher's 10.00 first, then 29.04 of the cash 50.00: 20.96 left
                        Assert.Equal(0, wallet.OrdinaryVouchers.Cents());
                        Assert.Equal(2096, wallet.Cash.Cents());
                        Assert.Equal(0, wallet.Arrears.Cents());
                        Assert.Equal(1000, bills.Sum(b => b.PaidByVouchers.Cents()));
                        Assert.Equal(2904, bills.Sum(b => b.PaidByCash.Cents()));
                        break;
                    case 2: // nothing to pay with: 39.04 of arrears
                        Assert.Equal(0, wallet.Cash.Cents());
                        Assert.Equal(3904, wallet.Arrears.Cents());
                        Assert.Equal(3904, bills.Sum(b => b.Arrears.Cents()));
                        break;
                    case 3: // card 100.00 - 39.04 = 60.96
                        Assert.Equal(6096, wallet.PrepaidCards.Cents());
                        Assert.Equal(0, wallet.Cash.Cents());
                        Assert.Equal(0, wallet.Arrears.Cents());
                        Assert.Equal(3904, bills.Sum(b => b.PaidByPrepaidCards.Cents()));
                        break;
                }
            }
        }
        WriteClosers(hosts.Cluster);
        hosts.Cluster.AssertNoErrorsLogged();
    }

    [PostgresFact]
    public async Task The_day_close_job_on_both_hosts_bills_every_workspace_once_whichever_host_gets_there_first()
    {
        await using var hosts = await SettlementCluster.StartAsync(output, new Dictionary<string, string>
        {
            ["Guance:Settlement:RatingBatchSize"] = "3",
            ["Guance:Settlement:ChargeBatchSize"] = "2",
        });
        var owner = await hosts.SignUpAsync();
        var cash = await hosts.RegisterAccountAsync(0);
        var owing = await hosts.RegisterAccountAsync(1);
        await hosts.RechargeAsync(1, cash.Id, 200m);

        // 12 workspaces, 6 per account, profiles cycling (workspace i: account i % 2, profile i % 3: two of each per account).
        var workspaces = new List<(ClusterWorkspace Workspace, int Profile)>();
        for (int i = 0; i < 12; i++)
        {
            workspaces.Add((await hosts.CommercialWorkspaceAsync(i % 2, owner, i % 2 == 0 ? cash : owing), i % 3));
        }

        // Three days, each reported at 08:00 China time of the day and then passed on both clocks: the day
        // closes at 00:30 of the next day (end plus the 30 minutes' grace), where each host's clock stops
        // and runs the day-close job. Days 1 and 3: both hosts at the same moment; day 2: host 1 alone
        // first (its job closes the day), then host 0 (its job finds the day closed).
        for (int d = 0; d < 3; d++)
        {
            var at = hosts.Start.AddDays(d);
            foreach (var (workspace, i) in workspaces.Select((w, i) => (w, i)))
            {
                await hosts.ReportAsync((i + d) % 2, workspace.Workspace, "agent-1", d + 1, Records(Profiles[workspace.Profile], at));
            }
            var next = at.AddDays(1);
            if (d == 1)
            {
                await hosts.AdvanceAsync(1, next);
                await hosts.AdvanceAsync(0, next);
            }
            else
            {
                await hosts.AdvanceBothAsync(next);
            }
        }

        // Each account per day: 2 x (9.38 + 1.50 + 8.64) = 39.04; over three days 117.12.
        // The cash account: 200.00 - 117.12 = 82.88; the other owes 117.12.
        foreach (var (account, host) in new[] { (cash, 0), (owing, 1) })
        {
            var bills = await hosts.BillsOfAccountAsync(host, account.Id, Day.Year, Day.Month);
            var mine = workspaces.Where(w => w.Workspace.BillingAccountId == account.Id).ToList();
            for (int d = 0; d < 3; d++)
            {
                var ofDay = bills.Where(b => b.Day.ToDateOnly() == Day.AddDays(d)).ToList();
                Assert.Equal(mine.Select(w => w.Workspace.Id).Order(), ofDay.Select(b => b.WorkspaceId).Order());
                Assert.All(ofDay, bill =>
                {
                    Assert.Equal(DailyBillStatus.Charged, bill.Status);
                    Assert.Equal(Profiles[mine.Single(w => w.Workspace.Id == bill.WorkspaceId).Profile].TotalCents, bill.Total.Cents());
                });
            }
            Assert.Equal(18, bills.Count);
            Assert.Equal(11_712, bills.Sum(b => b.Total.Cents()));

            var charges = await hosts.ChargesAsync(1 - host, account.Id);
            Assert.Equal(bills.Select(b => b.DailyBillId).Order(), charges.Select(c => c.Reference).Order());
            Assert.All(bills, bill => Assert.Equal(bill.TransactionId, Assert.Single(charges, c => c.Reference == bill.DailyBillId).TransactionId));
            await hosts.AssertLedgerCleanAsync(1 - host, account.Id);
        }
        var paid = await hosts.WalletAsync(0, cash.Id);
        Assert.Equal(8288, paid.Cash.Cents());
        Assert.Equal(0, paid.Arrears.Cents());
        var owed = await hosts.WalletAsync(1, owing.Id);
        Assert.Equal(0, owed.Cash.Cents());
        Assert.Equal(11_712, owed.Arrears.Cents());

        // Each day's close is complete with every bill; both hosts' clocks are where the test put them.
        for (int d = 0; d < 3; d++)
        {
            var close = (await hosts.Operator(d % 2).Settlement.CloseDayAsync(new CloseDayRequest { SiteCode = "cn1", Day = SettlementScenario.Day(Day.AddDays(d)) })).DayClose;
            Assert.Equal(DayCloseState.Completed, close.State);
            Assert.Equal(12, close.Bills);
            Assert.Equal(12, close.BillsCharged);
            Assert.Equal(2 * 3904, close.Total.Cents());
        }
        WriteClosers(hosts.Cluster);
        hosts.Cluster.AssertNoErrorsLogged();
    }

    [PostgresFact]
    public async Task The_periodic_scheduler_of_both_hosts_on_the_real_clock_closes_every_due_day_once()
    {
        // On the real clock a past day refuses usage once its grace is over, so the usage is made by two
        // hosts on a simulated clock two days back (scheduler off), which then stop. Two hosts on the
        // system clock, each running the scheduler every 100 ms, start together on the same database: their
        // first passes race to close every due day, from the day of the upgrades to yesterday.
        using var database = TestDatabase.Create();
        // An hour back: the day after the first is due (its late grace of 30 minutes over) whatever the
        // time of day; from now itself, between 00:00 and 00:30 China time it was not, and the test waited in vain.
        var now = DateTimeOffset.UtcNow.AddHours(-1);
        var start = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero).AddDays(-2);
        var firstDay = DateOnly.FromDateTime(start.ToOffset(TimeSpan.FromHours(8)).DateTime);
        var workspaces = new List<(ClusterWorkspace Workspace, int Profile)>();
        (string Id, string Token) cash, owing;
        await using (var setup = await SettlementCluster.StartAsync(output, new Dictionary<string, string> { ["Guance:Jobs:Enabled"] = "false" }, start, database))
        {
            var owner = await setup.SignUpAsync();
            cash = await setup.RegisterAccountAsync(0);
            owing = await setup.RegisterAccountAsync(1);
            await setup.RechargeAsync(1, cash.Id, 200m);
            for (int i = 0; i < 12; i++)
            {
                var workspace = await setup.CommercialWorkspaceAsync(i % 2, owner, i % 2 == 0 ? cash : owing);
                workspaces.Add((workspace, i % 3));
                await setup.ReportAsync((i + 1) % 2, workspace, "agent-1", 1, Records(Profiles[i % 3], start));
            }
        }

        await using var cluster = await HostCluster.StartAsync(2, new Dictionary<string, string>
        {
            ["Guance:Jobs:Enabled"] = "true",
            ["Guance:Jobs:Interval"] = "00:00:00.100",
            ["Guance:Settlement:RatingBatchSize"] = "3",
            ["Guance:Settlement:ChargeBatchSize"] = "2",
        }, database);
        await WaitUntilAsync(async () =>
        {
            await using var db = database.NewContext();
            // Both days: each is closed on its own, so the later one may complete while the first still charges.
            return await db.DayCloses.CountAsync(c => c.SiteCode == "cn1" && (c.BillingDay == firstDay || c.BillingDay == firstDay.AddDays(1)) && c.CompletedAt != null) == 2;
        }, "the schedulers have closed the day of the upgrades and the day after");
        var hosts = new SettlementCluster(cluster, start, output);

        // The first day as in the other tests: each account 2 x (9.38 + 1.50 + 8.64) = 39.04; later days
        // have no usage and a zero bill per workspace, with nothing charged.
        // The cash account: 200.00 - 39.04 = 160.96; the other owes 39.04.
        foreach (var (account, host) in new[] { (cash, 0), (owing, 1) })
        {
            var mine = workspaces.Where(w => w.Workspace.BillingAccountId == account.Id).ToList();
            var bills = await hosts.BillsOfAccountAsync(host, account.Id, firstDay.Year, firstDay.Month);
            if (firstDay.AddDays(1).Month != firstDay.Month)
            {
                bills.AddRange(await hosts.BillsOfAccountAsync(host, account.Id, firstDay.AddDays(1).Year, firstDay.AddDays(1).Month));
            }
            foreach (var day in new[] { firstDay, firstDay.AddDays(1) })
            {
                var ofDay = bills.Where(b => b.Day.ToDateOnly() == day).ToList();
                Assert.Equal(mine.Select(w => w.Workspace.Id).Order(), ofDay.Select(b => b.WorkspaceId).Order());
                Assert.All(ofDay, bill =>
                {
                    Assert.Equal(DailyBillStatus.Charged, bill.Status);
                    Assert.Equal(day == firstDay ? Profiles[mine.Single(w => w.Workspace.Id == bill.WorkspaceId).Profile].TotalCents : 0, bill.Total.Cents());
                });
            }
            var firstDayBills = bills.Where(b => b.Day.ToDateOnly() == firstDay).ToList();
            Assert.Equal(3904, firstDayBills.Sum(b => b.Total.Cents()));
            var charges = await hosts.ChargesAsync(1 - host, account.Id);
            Assert.Equal(firstDayBills.Select(b => b.DailyBillId).Order(), charges.Select(c => c.Reference).Order());
            Assert.All(firstDayBills, bill => Assert.Equal(bill.TransactionId, Assert.Single(charges, c => c.Reference == bill.DailyBillId).TransactionId));
            await hosts.AssertLedgerCleanAsync(host, account.Id);
        }
        Assert.Equal(16_096, (await hosts.WalletAsync(0, cash.Id)).Cash.Cents());
        var owed = await hosts.WalletAsync(1, owing.Id);
        Assert.Equal(3904, owed.Arrears.Cents());
        Assert.Equal(0, owed.Cash.Cents());
        await using (var db = database.NewContext())
        {
            var closes = await db.DayCloses.AsNoTracking().Where(c => c.SiteCode == "cn1").OrderBy(c => c.BillingDay).ToListAsync();
            Assert.Equal(firstDay, closes[0].BillingDay);
            Assert.Equal(7808, closes[0].Total);
            Assert.All(closes.Where(c => c.CompletedAt != null), c => Assert.Equal(12, c.Bills));
        }
        WriteClosers(cluster);
        cluster.AssertNoErrorsLogged();
    }

    [PostgresFact]
    public async Task A_late_batch_racing_the_day_close_on_the_other_host_is_billed_or_refused_never_lost()
    {
        await using var hosts = await SettlementCluster.StartAsync(output, new Dictionary<string, string> { ["Guance:Settlement:DayCloseJobEnabled"] = "false" });
        var owner = await hosts.SignUpAsync();
        var account = await hosts.RegisterAccountAsync(0);
        await hosts.RechargeAsync(0, account.Id, 10_000m);
        var workspaces = new List<ClusterWorkspace>();
        for (int w = 0; w < 2; w++)
        {
            workspaces.Add(await hosts.CommercialWorkspaceAsync(w, owner, account));
        }

        // On host 0 the day has ended but its grace has not: it still admits records of the day. Host 1's clock is at
        // the grace's end, where the operator may close the day (the day-close job is off, so only the CloseDay below closes it).
        await hosts.AdvanceAsync(0, EndOf(Day).AddMinutes(1));
        await hosts.AdvanceAsync(1, EndOf(Day).AddMinutes(30));
        var late = EndOf(Day).AddMinutes(-10);

        // Three collectors per workspace stream to host 0, each batch one record of 20,000 log records of
        // the last hour of the day, as many in flight as the stream allows, until a batch is refused.
        const long perBatch = 20_000;
        const long MaxBatchesPerStream = 2_000;
        var applied = new ConcurrentDictionary<string, long>();

        // A collector that reports once now; its second batch is the one held in its commit below.
        Assert.False((await hosts.ReportAsync(0, workspaces[0], "held", 1, UsageTestKit.Record(BillingItem.Logs, perBatch, late))).Duplicate);
        applied[workspaces[0].Id] = perBatch;

        var refusedBatches = 0;
        var acknowledged = 0;
        var enoughAcknowledged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var collectors = workspaces.SelectMany(w => Enumerable.Range(0, 3).Select(c => Task.Run(async () =>
        {
            var (stream, opened) = await UsageStream.OpenAsync(hosts.Cluster.Api(0, w.CollectorToken), $"late-{c}");
            await using var _ = stream;
            using var window = new SemaphoreSlim(opened.MaxBatchesInFlight);
            var stop = false;
            long sent = 0;
            var sender = Task.Run(async () =>
            {
                for (long sequence = 1; sequence <= MaxBatchesPerStream; sequence++)
                {
                    await window.WaitAsync(timeout.Token);
                    if (Volatile.Read(ref stop))
                    {
                        return;
                    }
                    Interlocked.Increment(ref sent);
                    await stream.SendAsync(sequence, UsageTestKit.Record(BillingItem.Logs, perBatch, late));
                }
            });
            long answered = 0;
            var refusedHere = false;
            while (true)
            {
                var answer = await stream.NextAsync();
                answered++;
                if (answer.KindCase == StreamUsageResponse.KindOneofCase.Ack)
                {
                    // Acknowledged while the day was open, or after its close: then it was committed before the close.
                    Assert.False(answer.Ack.Duplicate);
                    Assert.False(refusedHere, "a batch was acknowledged after an earlier one was refused");
                    applied.AddOrUpdate(w.Id, perBatch, (_, sum) => sum + perBatch);
                    if (Interlocked.Increment(ref acknowledged) >= 60)
                    {
                        enoughAcknowledged.TrySetResult();
                    }
                }
                else
                {
                    Assert.Equal(StreamUsageResponse.KindOneofCase.Rejected, answer.KindCase);
                    Assert.Equal(UsageErrorReasons.DayClosed, answer.Rejected.Status.GetDetail<Google.Rpc.ErrorInfo>().Reason);
                    Interlocked.Increment(ref refusedBatches);
                    refusedHere = true;
                    Volatile.Write(ref stop, true);
                }
                window.Release();
                if (answered == MaxBatchesPerStream)
                {
                    break; // never refused: the close did not stop the day (the assertion below fails)
                }
                if (Volatile.Read(ref stop))
                {
                    await sender;
                    if (answered == Interlocked.Read(ref sent))
                    {
                        break;
                    }
                }
            }
            await stream.CompleteAsync();
        }))).ToList();

        // Host 1 closes the day while the batches flow to host 0, and while one batch is held in the middle
        // of its commit on host 0: it has read the day open (under the site-day's shared lock) and waits for
        // a row lock the test holds on its collector's mark. The close must wait for that commit (its
        // exclusive site-day lock) and then bill the batch; a close that went ahead would bill the day
        // without it, and the batch would be acknowledged after the close had read the usage.
        await enoughAcknowledged.Task.WaitAsync(timeout.Token);
        await using var watcher = new NpgsqlConnection(hosts.Cluster.Database.ConnectionString);
        await watcher.OpenAsync();
        await using var holder = new NpgsqlConnection(hosts.Cluster.Database.ConnectionString);
        await holder.OpenAsync();
        var hold = await holder.BeginTransactionAsync();
        await using (var lockMark = new NpgsqlCommand("SELECT last_sequence FROM usage_collectors WHERE workspace_id = $1 AND collector_id = 'held' FOR UPDATE", holder, hold))
        {
            lockMark.Parameters.Add(new NpgsqlParameter { Value = workspaces[0].Id });
            Assert.Equal(1L, await lockMark.ExecuteScalarAsync());
        }
        var held = hosts.ReportAsync(0, workspaces[0], "held", 2, UsageTestKit.Record(BillingItem.Logs, perBatch, late));
        await WaitUntilAsync(() => WaitingAsync(watcher, "wait_event_type = 'Lock' AND query LIKE '%usage_collectors%'"), "host 0's usage commit waits for the held mark");
        var closing = hosts.Operator(1).Settlement.CloseDayAsync(new CloseDayRequest { SiteCode = "cn1", Day = SettlementScenario.Day(Day) }).ResponseAsync;
        await WaitUntilAsync(async () => closing.IsCompleted || await WaitingAsync(watcher, "wait_event = 'advisory' AND query LIKE '%pg_advisory_xact_lock(%'"),
            "the close waits for the site-day lock or ends");
        Assert.False(closing.IsCompleted, "the close went ahead while a batch that had read the day open was still committing");
        await hold.RollbackAsync();
        Assert.False((await held).Duplicate);
        applied.AddOrUpdate(workspaces[0].Id, perBatch, (_, sum) => sum + perBatch);
        var close = (await closing).DayClose;
        await Task.WhenAll(collectors);
        output.WriteLine($"{acknowledged} batches acknowledged, {refusedBatches} refused DAY_CLOSED");
        Assert.True(refusedBatches >= collectors.Count, "every stream ran until a batch was refused");

        // The bill counts exactly what was acknowledged: 20,000 records a batch, 0.02 units (exact) x 1.50 = 0.03 a batch.
        var bills = await hosts.BillsOfAccountAsync(0, account.Id, Day.Year, Day.Month);
        Assert.Equal(2, bills.Count);
        foreach (var workspace in workspaces)
        {
            var bill = Assert.Single(bills, b => b.WorkspaceId == workspace.Id);
            var quantity = applied.GetValueOrDefault(workspace.Id);
            Assert.Equal(quantity, Assert.Single(bill.Lines, l => l.Item == BillingItem.Logs).Quantity);
            Assert.Equal(quantity / perBatch * 3, bill.Total.Cents());
            Assert.Equal(DailyBillStatus.Charged, bill.Status);
        }
        Assert.Equal(bills.Sum(b => b.Total.Cents()), close.Total.Cents());

        // After the close: a new batch of the day is refused on either host; a batch committed before it, sent again, is acknowledged as a duplicate.
        foreach (var host in new[] { 0, 1 })
        {
            var error = await Assert.ThrowsAsync<RpcException>(() => hosts.ReportAsync(host, workspaces[0], $"straggler-{host}", 1, UsageTestKit.Record(BillingItem.Logs, perBatch, late)));
            Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
            Assert.Equal(UsageErrorReasons.DayClosed, error.GetRpcStatus()!.GetDetail<Google.Rpc.ErrorInfo>()!.Reason);
            var again = await hosts.ReportAsync(host, workspaces[0], "late-0", 1, UsageTestKit.Record(BillingItem.Logs, perBatch, late));
            Assert.True(again.Duplicate);
        }
        // 10,000.00 less the day's bills.
        Assert.Equal(1_000_000 - close.Total.Cents(), (await hosts.WalletAsync(1, account.Id)).Cash.Cents());
        await hosts.AssertLedgerCleanAsync(0, account.Id);
        hosts.Cluster.AssertNoErrorsLogged();
    }

    /// <summary>Whether a session of the test database waits as <paramref name="condition"/> (on pg_stat_activity) says.</summary>
    private static async Task<bool> WaitingAsync(NpgsqlConnection watcher, string condition)
    {
        await using var command = new NpgsqlCommand($"SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND {condition}", watcher);
        return (long)(await command.ExecuteScalarAsync())! > 0;
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Still waiting after a minute until {what}.");
            await Task.Delay(20);
        }
    }

    /// <summary>Which host's closes wrote bills (each logs how many it wrote).</summary>
    private void WriteClosers(HostCluster cluster)
    {
        for (int h = 0; h < cluster.Hosts.Count; h++)
        {
            foreach (var line in cluster[h].OutputLines.Where(l => l.Contains("bills written", StringComparison.Ordinal)))
            {
                output.WriteLine($"host {h}: {line.Trim()}");
            }
        }
    }

    private static class UsageErrorReasons
    {
        public const string DayClosed = "DAY_CLOSED";
    }
}
