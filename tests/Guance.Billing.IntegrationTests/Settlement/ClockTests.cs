using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.IntegrationTests.Usage;
using IScheduledJob = Guance.Billing.Jobs.IScheduledJob;
using Guance.Billing.V1;
using Microsoft.Extensions.DependencyInjection;
using static Guance.Billing.IntegrationTests.Settlement.SettlementLifeKit;

namespace Guance.Billing.IntegrationTests.Settlement;

/// <summary>
/// GetClock and AdvanceClock: the system clock (the class's host, whose clock is the tests' fake
/// TimeProvider, not a simulated clock) refuses to be advanced; a host with
/// Guance:Clock:Mode=Simulated (its own, per test) moves only by AdvanceClock, stopping at every
/// instant a job falls due and running the jobs there, in the order of those instants.
/// </summary>
public sealed class ClockTests(BillingHost host) : IClassFixture<BillingHost>
{
    private static readonly DateTimeOffset Start = Local(11, 2, 9, 30);

    [Fact]
    public async Task The_system_clock_is_shown_and_cannot_be_advanced()
    {
        var clock = await host.Operator.Settlement.GetClockAsync(new GetClockRequest());
        Assert.Equal(ClockMode.System, clock.Mode);
        Assert.Equal(host.Clock.GetUtcNow(), clock.Now.ToDateTimeOffset());

        await RpcAssert.Precondition(() => host.Operator.Settlement.AdvanceClockAsync(new AdvanceClockRequest { Duration = Duration.FromTimeSpan(TimeSpan.FromHours(1)) }),
            "CLOCK_NOT_SIMULATED");
        await RpcAssert.Precondition(() => host.Operator.Settlement.AdvanceClockAsync(new AdvanceClockRequest { TargetTime = Ts(host.Clock.GetUtcNow().AddDays(1)) }),
            "CLOCK_NOT_SIMULATED");
        // A malformed request is refused as such first.
        await RpcAssert.InvalidFields(() => host.Operator.Settlement.AdvanceClockAsync(new AdvanceClockRequest()), "target_time");
        Assert.Equal(host.Clock.GetUtcNow(), (await host.Operator.Settlement.GetClockAsync(new GetClockRequest())).Now.ToDateTimeOffset());
    }

    [Fact]
    public async Task Only_the_operator_may_read_or_move_the_clock()
    {
        using var simulated = new BillingHost { SimulatedClockStart = Start };
        foreach (var target in new[] { host, simulated })
        {
            var user = await target.SignUpAsync("console");
            var (_, collector) = await target.ConsoleAndCollectorAsync();
            var account = await target.RegisterBillingAccountAsync("acct");
            var advance = new AdvanceClockRequest { Duration = Duration.FromTimeSpan(TimeSpan.FromHours(1)) };
            foreach (var caller in new[] { user.Api, collector, account.Api })
            {
                await RpcAssert.Fails(StatusCode.PermissionDenied, () => caller.Settlement.GetClockAsync(new GetClockRequest()), "OPERATOR_REQUIRED");
                await RpcAssert.Fails(StatusCode.PermissionDenied, () => caller.Settlement.AdvanceClockAsync(advance), "OPERATOR_REQUIRED");
            }
            await RpcAssert.Fails(StatusCode.Unauthenticated, () => target.Api().Settlement.GetClockAsync(new GetClockRequest()), "TOKEN_MISSING");
            await RpcAssert.Fails(StatusCode.Unauthenticated, () => target.Api().Settlement.AdvanceClockAsync(advance), "TOKEN_MISSING");
        }
        // Nobody moved it.
        var clock = await simulated.Operator.Settlement.GetClockAsync(new GetClockRequest());
        Assert.Equal(ClockMode.Simulated, clock.Mode);
        Assert.Equal(Start, clock.Now.ToDateTimeOffset());
    }

    [Fact]
    public async Task AdvanceClock_takes_a_target_time_or_a_positive_duration_of_at_most_400_days()
    {
        using var simulated = new BillingHost { SimulatedClockStart = Start };
        var settlement = simulated.Operator.Settlement;
        Task Invalid(AdvanceClockRequest request, string field) => RpcAssert.InvalidFields(() => settlement.AdvanceClockAsync(request), field);

        await Invalid(new AdvanceClockRequest(), "target_time");
        await Invalid(new AdvanceClockRequest { TargetTime = Ts(Start.AddHours(1)), Duration = Duration.FromTimeSpan(TimeSpan.FromHours(1)) }, "duration");
        await Invalid(new AdvanceClockRequest { Duration = new Duration() }, "duration");
        await Invalid(new AdvanceClockRequest { Duration = Duration.FromTimeSpan(TimeSpan.FromHours(-1)) }, "duration");
        await Invalid(new AdvanceClockRequest { Duration = Duration.FromTimeSpan(TimeSpan.FromDays(400) + TimeSpan.FromSeconds(1)) }, "duration");
        await Invalid(new AdvanceClockRequest { TargetTime = Ts(Start) }, "target_time");
        await Invalid(new AdvanceClockRequest { TargetTime = Ts(Start.AddHours(-1)) }, "target_time");
        await Invalid(new AdvanceClockRequest { TargetTime = Ts(Start.AddDays(400).AddSeconds(1)) }, "target_time");
        var malformed = new Timestamp { Seconds = Ts(Start).Seconds + 60, Nanos = -1 };
        await Invalid(new AdvanceClockRequest { TargetTime = malformed }, "target_time");
        // A malformed target_time is not an absent one: with a duration the clock must not move by the duration.
        await RpcAssert.InvalidFields(() => settlement.AdvanceClockAsync(new AdvanceClockRequest
        {
            TargetTime = malformed, Duration = Duration.FromTimeSpan(TimeSpan.FromHours(1)),
        }), "target_time", "duration");
        Assert.Equal(Start, await simulated.ClockNowAsync());

        // No commercial workspace, nothing due: the only stop is the target.
        var byDuration = await settlement.AdvanceClockAsync(new AdvanceClockRequest { Duration = Duration.FromTimeSpan(TimeSpan.FromMinutes(90)) });
        Assert.Equal(Start, byDuration.PreviousTime.ToDateTimeOffset());
        Assert.Equal(Start.AddMinutes(90), byDuration.Now.ToDateTimeOffset());
        Assert.Equal(1, byDuration.Stops);

        var byTarget = await settlement.AdvanceClockAsync(new AdvanceClockRequest { TargetTime = Ts(Start.AddDays(400)) });
        Assert.Equal(Start.AddMinutes(90), byTarget.PreviousTime.ToDateTimeOffset());
        Assert.Equal(Start.AddDays(400), byTarget.Now.ToDateTimeOffset());
        Assert.Equal(1, byTarget.Stops);
        Assert.Equal(Start.AddDays(400), await simulated.ClockNowAsync());
        // It never goes back.
        await Invalid(new AdvanceClockRequest { TargetTime = Ts(Start.AddDays(399)) }, "target_time");
    }

    /// <summary>
    /// One AdvanceClock over three days runs the jobs at the instants they fall due, in that order: the
    /// close of Nov 2 (Nov 3 00:30) charges the card before the card expires (Nov 3 12:00). Run at the
    /// target instead, the expiry would have cleared the card first and the bill gone to cash.
    /// <code>
    /// Nov 2 bill: logs 20,000,000 / 1,000,000 = 20.00 units × 1.50 (14-day retention) = 30.00, paid by the card
    /// card: 100.00 - 30.00 = 70.00 cleared at its expiry; cash 10.00 untouched
    /// </code>
    /// </summary>
    [Fact]
    public async Task AdvanceClock_runs_the_jobs_due_on_the_way_in_the_order_of_their_instants()
    {
        using var simulated = new BillingHost { SimulatedClockStart = Start };
        simulated.LongLivedTokens();
        var workspace = await simulated.CreateWorkspaceAsync("cn1");
        var collector = await simulated.CollectorAsync(workspace);
        var account = await simulated.RegisterBillingAccountAsync("payer");
        var card = await simulated.IssueCardAsync(account.Id, 100m, Local(11, 3, 12));
        await simulated.RechargeAsync(account.Id, 10m);
        await simulated.AdvanceToAsync(Local(11, 2, 11, 30));
        await simulated.UpgradeAsync(workspace, account);
        await simulated.AdvanceToAsync(Local(11, 2, 14));
        await collector.ReportAsync("agent-1", 1, UsageTestKit.Record(BillingItem.Logs, 20_000_000, Local(11, 2, 12, 10)));

        var advance = await simulated.AdvanceToAsync(Local(11, 5, 11));
        // Nov 3 00:00 (October's monthly bills fall due), Nov 3 00:30 (close of Nov 2), Nov 3 12:00 (card expiry),
        // Nov 4 00:30, Nov 5 00:30 (closes), Nov 5 11:00 (the target).
        Assert.Equal(6, advance.Stops);
        Assert.Equal(Local(11, 2, 14), advance.PreviousTime.ToDateTimeOffset());
        Assert.Equal(Local(11, 5, 11), advance.Now.ToDateTimeOffset());

        var bills = await simulated.BillsAsync(workspace.Id, 2026, 11);
        Assert.Equal([new DateOnly(2026, 11, 2), new DateOnly(2026, 11, 3), new DateOnly(2026, 11, 4)], bills.Select(b => b.Day.ToDateOnly()));
        var nov2 = bills[0];
        Cny(3000, nov2.Total, "Nov 2");
        Cny(3000, nov2.PaidByPrepaidCards, "Nov 2 by card");
        Cny(0, nov2.PaidByCash, "Nov 2 by cash");
        Assert.Equal(Local(11, 3, 0, 30), nov2.ChargeTime.ToDateTimeOffset());
        Assert.All(bills.Skip(1), b => Cny(0, b.Total, $"{b.Day.ToDateOnly()}"));

        var expired = Assert.Single(await simulated.NoticesAsync(account.Id, NotificationKind.CardExpired));
        Assert.Equal(card.PrepaidCardId, expired.Reference);
        Assert.Equal(Local(11, 3, 12), expired.CreateTime.ToDateTimeOffset());
        Assert.Contains("70.00 CNY", expired.Body);

        // Each close ran at its own instant.
        foreach (var (day, closedAt) in new[] { (new DateOnly(2026, 11, 3), Local(11, 4, 0, 30)), (new DateOnly(2026, 11, 4), Local(11, 5, 0, 30)) })
        {
            var close = (await simulated.Operator.Settlement.CloseDayAsync(new CloseDayRequest { SiteCode = "cn1", Day = SettlementScenario.Day(day) })).DayClose;
            Assert.Equal(DayCloseState.Completed, close.State);
            Assert.Equal(closedAt, close.CloseTime.ToDateTimeOffset());
        }

        var wallet = await simulated.WalletAsync(account.Id);
        Cny(1000, wallet.Cash, "cash");
        Cny(0, wallet.PrepaidCards, "cards");
        Cny(0, wallet.Arrears, "arrears");
        await simulated.AssertLedgerCleanAsync(account.Id);
    }

    /// <summary>
    /// Two test jobs beside the real ones: "early" (order 5) due at +1 h and +2 h, "late" (order 50)
    /// due at +2 h and +5 h. The clock stops at each due instant and runs a pass of every job there,
    /// lower order first; a job that fails stops the clock at that instant (JOB_FAILED) and runs again
    /// at the next advance.
    /// </summary>
    [Fact]
    public async Task AdvanceClock_stops_at_each_due_instant_runs_every_job_in_order_and_stops_where_a_job_fails()
    {
        var log = new RunLog();
        var early = new JobPlan("early", 5, [Start.AddHours(1), Start.AddHours(2)], null);
        var late = new JobPlan("late", 50, [Start.AddHours(2), Start.AddHours(5)], Start.AddHours(5));
        using var simulated = new BillingHost
        {
            SimulatedClockStart = Start,
            ConfigureServices = services =>
            {
                services.AddSingleton(log);
                services.AddScoped<IScheduledJob>(_ => new RecordingJob(early, log));
                services.AddScoped<IScheduledJob>(_ => new RecordingJob(late, log));
            },
        };

        var advance = await simulated.AdvanceToAsync(Start.AddHours(3));
        Assert.Equal(3, advance.Stops);
        Assert.Equal(
            [("early", Start.AddHours(1)), ("late", Start.AddHours(1)), ("early", Start.AddHours(2)), ("late", Start.AddHours(2)), ("early", Start.AddHours(3)), ("late", Start.AddHours(3))],
            log.Runs());

        log.Clear();
        var failed = await RpcAssert.Precondition(() => simulated.Operator.Settlement.AdvanceClockAsync(new AdvanceClockRequest { TargetTime = Ts(Start.AddHours(6)) }),
            "JOB_FAILED");
        Assert.Contains(failed.Violations, v => v.Subject == "jobs/late");
        Assert.Equal(Start.AddHours(5), await simulated.ClockNowAsync());
        // The pass went on past the failure (the runner runs every job), but the clock went no further.
        Assert.Equal([("early", Start.AddHours(5)), ("late", Start.AddHours(5))], log.Runs());

        log.Clear();
        late.FailAt = null;
        var resumed = await simulated.AdvanceToAsync(Start.AddHours(6));
        Assert.Equal(1, resumed.Stops);
        Assert.Equal([("early", Start.AddHours(6)), ("late", Start.AddHours(6))], log.Runs());
    }

    /// <summary>A test job's name, order, due instants and the instant it fails at (null: never).</summary>
    private sealed class JobPlan(string name, int order, DateTimeOffset[] due, DateTimeOffset? failAt)
    {
        public string Name => name;
        public int Order => order;
        public DateTimeOffset[] Due => due;
        public DateTimeOffset? FailAt { get; set; } = failAt;
    }

    private sealed class RunLog
    {
        private readonly List<(string, DateTimeOffset)> runs = [];

        public void Add(string job, DateTimeOffset at)
        {
            lock (runs)
            {
                runs.Add((job, at));
            }
        }

        public List<(string, DateTimeOffset)> Runs()
        {
            lock (runs)
            {
                return runs.Where(r => r.Item1 is "early" or "late").ToList();
            }
        }

        public void Clear()
        {
            lock (runs)
            {
                runs.Clear();
            }
        }
    }

    private sealed class RecordingJob(JobPlan plan, RunLog log) : IScheduledJob
    {
        public string Name => plan.Name;

        public int Order => plan.Order;

        public Task RunDueAsync(DateTimeOffset now, CancellationToken cancellationToken)
        {
            log.Add(plan.Name, now);
            if (plan.FailAt == now)
            {
                throw new InvalidOperationException($"{plan.Name} fails at {now:O} (test)");
            }
            return Task.CompletedTask;
        }

        public Task<DateTimeOffset?> NextDueAsync(DateTimeOffset after, CancellationToken cancellationToken) =>
            Task.FromResult(plan.Due.Where(d => d > after).Select(d => (DateTimeOffset?)d).Min());
    }
}
