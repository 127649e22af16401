using System.Diagnostics;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Guance.Billing.V1;

namespace Guance.Billing.Benchmarks;

/// <summary>
/// Charges per second through the wallet's charge engine, by parallel gRPC calls to a host on
/// SQLite: first all on one hot account (every charge waits for that account's lock), then spread
/// over many accounts; then VerifyLedger must be clean and every balance exact.
/// Options: --accounts N (1000), --charges N per phase (2000), --concurrency N (32), --warm-up N charges (1500);
/// --postgres to use PostgreSQL instead (a fresh database on the server whose administrative connection
/// string follows, or "start" for a throwaway server), and --hosts N (1) to spread the calls over N
/// host processes on that one database (the multi-host case); --host DLL to run another build of the
/// host, and --baseline-host DLL to run the whole benchmark first with that build (for example main's,
/// copied aside) on a fresh database, then with this one, and print the ratios of the two.
/// --batch-size N (0: off) adds a phase of ChargeBatch calls of N charges over the same accounts
/// (--batch-charges N in all, 20000; --batch-concurrency N calls in flight, 4), printed beside the
/// single Charge phase of the same run, and beside the baseline build's ChargeBatch phase (or its Charge phase, when the
/// baseline build is older than ChargeBatch);
/// --max-charges-per-commit N sets the hosts' group commit bound, --set Key=Value any other host setting; --floor then runs the phase over many accounts
/// against a bare gRPC server that answers each Charge at once (<see cref="FloorHost"/>), and prints the host's CPU
/// per charge beside what the protocol alone costs.
/// </summary>
public static class ChargesBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var baseline = OptionText(args, "--baseline-host") is { } old ? Path.GetFullPath(old) : null;
        var host = OptionText(args, "--host") is { } given ? Path.GetFullPath(given) : null;
        if (baseline is null)
        {
            var run = await RunOnceAsync(args, host);
            if (args.Contains("--floor"))
            {
                await RunFloorAsync(args, run.SpreadRate, run.SpreadCpu);
            }
            return run.Exact ? 0 : 1;
        }
        Console.WriteLine($"baseline: {baseline}");
        var before = await RunOnceAsync(args, baseline);
        Console.WriteLine($"this build: {host ?? BenchmarkHost.HostAssembly()}");
        var after = await RunOnceAsync(args, host);
        Console.WriteLine($"  ratio this build / baseline: one hot account {after.HotRate / before.HotRate:F2} times the charges/s, "
            + $"spread {after.SpreadRate / before.SpreadRate:F2} times the charges/s, {after.SpreadCpu / before.SpreadCpu:F2} times the host CPU per charge");
        if (after.BatchRate > 0 && before.BatchRate > 0)
        {
            Console.WriteLine($"  ratio this build / baseline: ChargeBatch {after.BatchRate / before.BatchRate:F2} times the charges/s, "
                + $"{after.BatchCpu / before.BatchCpu:F2} times the host CPU per charge");
        }
        else if (after.BatchRate > 0)
        {
            Console.WriteLine($"  ratio this build's ChargeBatch / baseline's Charge over {Option(args, "--accounts", 1000)} accounts: "
                + $"{after.BatchRate / before.SpreadRate:F2} times the charges/s, {after.BatchCpu / before.SpreadCpu:F2} times the host CPU per charge");
        }
        return before.Exact && after.Exact ? 0 : 1;
    }

    private static async Task<(double HotRate, double SpreadRate, double SpreadCpu, double BatchRate, double BatchCpu, bool Exact)> RunOnceAsync(
        string[] args, string? hostDll)
    {
        var accounts = Option(args, "--accounts", 1000);
        var charges = Option(args, "--charges", 2000);
        var concurrency = Option(args, "--concurrency", 32);

        var postgres = BenchmarkDatabase.PostgresOption(args);
        var hostCount = Math.Max(1, Option(args, "--hosts", 1));
        var engine = postgres is null ? "SQLite" : "PostgreSQL";
        Console.WriteLine($"charges: {charges} charges per phase, {accounts} accounts, {concurrency} calls in flight, {engine}, {hostCount} host(s), gRPC over loopback h2c");
        if (postgres is null && hostCount > 1)
        {
            Console.WriteLine("  several hosts need one shared database: pass --postgres");
            return (0, 0, 0, 0, 0, false);
        }
        await using var database = await BenchmarkDatabase.CreateAsync(postgres);
        var hosts = new List<BenchmarkHost>();
        var commits = new List<HostCommits>();
        await using var stop = new HostsDisposer(hosts);
        for (var i = 0; i < hostCount; i++)
        {
            // The ops endpoint, for the charge writer's commits (HostCommits).
            var ops = new Uri($"http://127.0.0.1:{BenchmarkHost.FreePort()}");
            var settings = new List<string> { "--Guance:Wallet:ExpiryJobEnabled=false", $"--Guance:Console:Url={ops}" };
            // --max-charges-per-commit N: the group commit's bound (Guance:Wallet:MaxChargesPerCommit, 128 by default).
            if (Option(args, "--max-charges-per-commit", 0) is > 0 and var max)
            {
                settings.Add($"--Guance:Wallet:MaxChargesPerCommit={max}");
            }
            // --set Key=Value (repeated): any other host setting, for example Guance:Wallet:ChargeWriters=8.
            settings.AddRange(args.Select((a, j) => (a, j)).Where(p => p.a == "--set" && p.j + 1 < args.Length).Select(p => "--" + args[p.j + 1]));
            hosts.Add(await BenchmarkHost.StartAsync(hostDll, database, [.. settings]));
            commits.Add(HostCommits.Charges(ops));
        }
        var channels = hosts.Select(h => h.Channel()).ToList();
        var anonymous = new BillingAccountService.BillingAccountServiceClient(channels[0]);
        // Calls go to the hosts in turn.
        var client = new BillingAccountService.BillingAccountServiceClient(new RoundRobinInvoker(channels.Select(c => c.Intercept(m =>
        {
            m.Add("authorization", "Bearer " + BenchmarkHost.OperatorToken);
            return m;
        })).ToList()));

        var setup = Stopwatch.StartNew();
        var ids = new string[accounts];
        await ForEachAsync(Enumerable.Range(0, accounts), 16, async i =>
        {
            var registered = await anonymous.RegisterBillingAccountAsync(new RegisterBillingAccountRequest
            {
                Username = $"bench-{i}-{Guid.NewGuid():N}"[..24], Password = "benchmark password", Email = $"bench{i}@example.com",
            });
            ids[i] = registered.BillingAccount.BillingAccountId;
            await client.RechargeAsync(new RechargeRequest
            {
                BillingAccountId = ids[i], Amount = Cny(1_000_000), RequestId = $"fund-{ids[i]}", PaymentMethod = PaymentMethod.BankTransfer,
            });
        });
        // The hot account, and the first warm-up accounts, also hold a voucher and a card, used first.
        var withLots = ids.Take(Math.Min(accounts, 11)).ToList();
        foreach (var id in withLots)
        {
            await client.IssueVoucherAsync(new IssueVoucherRequest
            {
                BillingAccountId = id, Kind = VoucherKind.Ordinary, Amount = Cny(500), RequestId = "voucher-" + id,
                ExpireTime = Timestamp.FromDateTime(DateTime.UtcNow.AddDays(30)),
            });
            await client.IssuePrepaidCardAsync(new IssuePrepaidCardRequest
            {
                BillingAccountId = id, FaceValue = Cny(1000), RequestId = "card-" + id, ExpireTime = Timestamp.FromDateTime(DateTime.UtcNow.AddDays(365)),
            });
        }
        var hot = ids[0];
        Console.WriteLine($"  setup: {accounts} accounts registered and funded in {setup.Elapsed.TotalSeconds:F1} s");

        // Warm up the host until its code is fully compiled (tiered JIT), on accounts other than the hot one.
        var warmUp = Option(args, "--warm-up", 1500);
        await RunPhaseAsync(hosts, client, "warm-up", warmUp, concurrency, i => ids[1 + i % Math.Max(1, accounts - 1)]);

        var (hotRate, _) = await RunPhaseAsync(hosts, client, "one hot account", charges, concurrency, _ => hot, commits);
        var (spreadRate, spreadCpu) = await RunPhaseAsync(hosts, client, $"{accounts} accounts", charges, concurrency, i => ids[i % accounts], commits);
        Console.WriteLine($"  ratio: {accounts} accounts / one hot account = {spreadRate / hotRate:F2}");

        var batchSize = Option(args, "--batch-size", 0);
        var batchCharges = batchSize > 0 ? Option(args, "--batch-charges", 20000) : 0;
        double batchRate = 0, batchCpu = 0;
        if (batchSize > 0)
        {
            var batchConcurrency = Option(args, "--batch-concurrency", 4);
            try
            {
                // The batch path warmed up too, away from the measured phase.
                await RunBatchPhaseAsync(hosts, client, "batch warm-up", warmUp, batchSize, batchConcurrency, i => ids[1 + i % Math.Max(1, accounts - 1)]);
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unimplemented)
            {
                Console.WriteLine("  this build has no ChargeBatch");
                batchSize = 0;
            }
        }
        if (batchSize > 0)
        {
            var batchConcurrency = Option(args, "--batch-concurrency", 4);
            (batchRate, batchCpu) = await RunBatchPhaseAsync(hosts, client, $"{accounts} accounts, ChargeBatch of {batchSize}, {batchConcurrency} in flight", batchCharges, batchSize, batchConcurrency, i => ids[i % accounts], commits);
            Console.WriteLine($"  ratio: ChargeBatch / Charge over {accounts} accounts = {batchRate / spreadRate:F2} times the charges/s, {batchCpu / spreadCpu:F2} times the host CPU per charge");
        }

        var verify = Stopwatch.StartNew();
        var report = await client.VerifyLedgerAsync(new VerifyLedgerRequest());
        Console.WriteLine($"  VerifyLedger: {(report.Clean ? "clean" : "NOT CLEAN")}, {report.TransactionsChecked} transactions, {report.EntriesChecked} entries, "
            + $"{report.AccountsChecked} ledger accounts in {verify.Elapsed.TotalSeconds:F2} s");
        foreach (var problem in report.Problems.Take(10))
        {
            Console.WriteLine($"    {problem.Kind} {problem.Subject}: {problem.Description}");
        }

        // Every charge is 3.45 CNY and no account runs out, so what every wallet holds is exactly what
        // was put in (1,000,000 cash each, 1,500 of lots for some) less 3.45 per charge.
        var totalCharges = (long)warmUp + 2L * charges + (batchSize > 0 ? warmUp + batchCharges : 0);
        var expected = accounts * 1_000_000_00L + withLots.Count * 1500_00L - totalCharges * 345L;
        long held = 0, arrears = 0;
        await ForEachAsync(Enumerable.Range(0, accounts), 16, async i =>
        {
            var wallet = (await client.GetWalletAsync(new GetWalletRequest { BillingAccountId = ids[i] })).Wallet;
            Interlocked.Add(ref held, Cents(wallet.Cash) + Cents(wallet.OrdinaryVouchers) + Cents(wallet.PrepaidCards));
            Interlocked.Add(ref arrears, Cents(wallet.Arrears));
        });
        var exact = held == expected && arrears == 0;
        Console.WriteLine($"  balances: {totalCharges} charges, all wallets hold {held / 100}.{held % 100:00} CNY, expected {expected / 100}.{expected % 100:00}: {(exact ? "exact" : "WRONG")}");
        return (hotRate, spreadRate, spreadCpu, batchRate, batchCpu, report.Clean && exact);
    }

    /// <summary>The Charge phase over many accounts against the floor: the same calls, in flight as many, nothing behind them.</summary>
    private static async Task RunFloorAsync(string[] args, double hostRate, double hostCpu)
    {
        var accounts = Option(args, "--accounts", 1000);
        var charges = Option(args, "--charges", 2000);
        var concurrency = Option(args, "--concurrency", 32);
        var floor = await BenchmarkHost.StartFloorAsync();
        await using var stop = new HostsDisposer([floor]);
        var client = new BillingAccountService.BillingAccountServiceClient(floor.Channel().Intercept(m =>
        {
            m.Add("authorization", "Bearer " + BenchmarkHost.OperatorToken);
            return m;
        }));
        var ids = Enumerable.Range(0, accounts).Select(i => $"ba_01kb{i:D22}").ToArray();
        Console.WriteLine($"  the floor: a gRPC server that answers each Charge at once, {concurrency} calls in flight");
        await RunPhaseAsync([floor], client, "floor warm-up", Option(args, "--warm-up", 1500), concurrency, i => ids[i % accounts]);
        var (rate, cpu) = await RunPhaseAsync([floor], client, "floor", charges, concurrency, i => ids[i % accounts]);
        Console.WriteLine($"  ratio the host / the floor over {accounts} accounts: {hostRate / rate:F2} times the charges/s, {hostCpu / cpu:F2} times the host CPU per charge");
    }

    /// <summary>Runs a phase; its charges/s and host CPU (ms) per charge.</summary>
    private static async Task<(double Rate, double CpuPerCharge)> RunPhaseAsync(IReadOnlyList<BenchmarkHost> hosts, BillingAccountService.BillingAccountServiceClient client, string name, int charges, int concurrency, Func<int, string> accountOf,
        IReadOnlyList<HostCommits>? commits = null)
    {
        var before = commits is null ? [] : await Task.WhenAll(commits.Select(c => c.ReadAsync()));
        var cpu = hosts.Aggregate(TimeSpan.Zero, (sum, h) => sum + h.CpuTime);
        var watch = Stopwatch.StartNew();
        await ForEachAsync(Enumerable.Range(0, charges), concurrency, async i =>
        {
            await client.ChargeAsync(Request(accountOf(i)));
        });
        var rate = charges / watch.Elapsed.TotalSeconds;
        var cpuPerCharge = (hosts.Aggregate(TimeSpan.Zero, (sum, h) => sum + h.CpuTime) - cpu).TotalMilliseconds / charges;
        Console.WriteLine($"  {name,-16} {charges} charges in {watch.Elapsed.TotalSeconds:F2} s: {rate:F0} charges/s (host CPU {cpuPerCharge:F3} ms per charge)");
        await PrintCommitsAsync(commits, before);
        return (rate, cpuPerCharge);
    }

    /// <summary>Runs a phase of ChargeBatch calls; its charges/s and host CPU (ms) per charge. Every entry must be charged.</summary>
    private static async Task<(double Rate, double CpuPerCharge)> RunBatchPhaseAsync(IReadOnlyList<BenchmarkHost> hosts, BillingAccountService.BillingAccountServiceClient client, string name, int charges, int batchSize, int concurrency, Func<int, string> accountOf,
        IReadOnlyList<HostCommits>? commits = null)
    {
        var calls = (charges + batchSize - 1) / batchSize;
        var requests = Enumerable.Range(0, calls).Select(b =>
        {
            var request = new ChargeBatchRequest();
            for (var i = b * batchSize; i < Math.Min(charges, (b + 1) * batchSize); i++)
            {
                request.Charges.Add(Request(accountOf(i)));
            }
            return request;
        }).ToList();
        var before = commits is null ? [] : await Task.WhenAll(commits.Select(c => c.ReadAsync()));
        var cpu = hosts.Aggregate(TimeSpan.Zero, (sum, h) => sum + h.CpuTime);
        var refused = 0;
        var watch = Stopwatch.StartNew();
        await ForEachAsync(Enumerable.Range(0, calls), concurrency, async b =>
        {
            var response = await client.ChargeBatchAsync(requests[b]);
            Interlocked.Add(ref refused, response.Outcomes.Count(o => o.Charged is null));
        });
        var rate = charges / watch.Elapsed.TotalSeconds;
        var cpuPerCharge = (hosts.Aggregate(TimeSpan.Zero, (sum, h) => sum + h.CpuTime) - cpu).TotalMilliseconds / charges;
        Console.WriteLine($"  {name,-16} {charges} charges in {watch.Elapsed.TotalSeconds:F2} s: {rate:F0} charges/s (host CPU {cpuPerCharge:F3} ms per charge){(refused > 0 ? $", {refused} REFUSED" : "")}");
        await PrintCommitsAsync(commits, before);
        return (rate, cpuPerCharge);
    }

    /// <summary>Each host's charge writer over a phase: its commits, the charges a commit, the time a commit.</summary>
    private static async Task PrintCommitsAsync(IReadOnlyList<HostCommits>? commits, HostCommits.Reading[] before)
    {
        for (var i = 0; commits is not null && i < commits.Count; i++)
        {
            Console.WriteLine($"    the charge writer{(commits.Count > 1 ? $" of host {i}" : "")}: {commits[i].Between(before[i], await commits[i].ReadAsync())}");
        }
    }

    private static ChargeRequest Request(string account)
    {
        var request = new ChargeRequest { BillingAccountId = account, Reference = $"bench-{Guid.NewGuid():N}" };
        request.Lines.Add(new ChargeLine { ItemCode = "logs", Amount = Cny(2) });
        request.Lines.Add(new ChargeLine { ItemCode = "time_series", Amount = Cny(1) });
        request.Lines.Add(new ChargeLine { ItemCode = "sms", Amount = new Money { CurrencyCode = "CNY", Nanos = 450_000_000 } });
        return request;
    }

    private static async Task ForEachAsync(IEnumerable<int> items, int concurrency, Func<int, Task> body) =>
        await Parallel.ForEachAsync(items, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (i, _) => await body(i));

    private static Money Cny(long units) => new() { CurrencyCode = "CNY", Units = units };

    private static long Cents(Money money) => money.Units * 100 + money.Nanos / 10_000_000;

    /// <summary>Sends each call to the next host in turn.</summary>
    private sealed class RoundRobinInvoker(IReadOnlyList<CallInvoker> invokers) : CallInvoker
    {
        private int _next;

        private CallInvoker Next => invokers[(int)((uint)Interlocked.Increment(ref _next) % invokers.Count)];

        public override TResponse BlockingUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) =>
            Next.BlockingUnaryCall(method, host, options, request);

        public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) =>
            Next.AsyncUnaryCall(method, host, options, request);

        public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) =>
            Next.AsyncServerStreamingCall(method, host, options, request);

        public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options) =>
            Next.AsyncClientStreamingCall(method, host, options);

        public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options) =>
            Next.AsyncDuplexStreamingCall(method, host, options);
    }

    private static string? OptionText(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length && int.TryParse(args[index + 1], out var value) ? value : fallback;
    }
}
