using System.Data.Common;
using System.Diagnostics;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Guance.Billing.Common;
using Guance.Billing.V1;
using Sites = Guance.Billing.Workspaces.Sites;
using Site = Guance.Billing.Workspaces.Site;
using BillingItem = Guance.Billing.V1.BillingItem;

namespace Guance.Billing.Benchmarks;

/// <summary>
/// The time of CloseDay for many commercial workspaces of one site with every item in use (target:
/// 10,000 workspaces in at most 10 s). One workspace is made through gRPC (sign-up, workspace,
/// billing account, upgrade); the others are copies of its rows made set-based in the database, bound
/// in turn to <c>--accounts</c> funded billing accounts, and each gets 24 hourly points of all eleven
/// items of yesterday (China 1) by one INSERT ... SELECT. Then one CloseDay through gRPC is timed,
/// and the result checked: one bill per workspace, all charged, and the day's total equal to the
/// workspaces' count times one bill (they all have the same usage).
/// Options: --workspaces N (10000), --accounts N (1000), --postgres as in the other benchmarks;
/// --charge-parallelism N (the host's default) sets Guance:Settlement:ChargeParallelism, and --compare
/// runs the whole benchmark first with one charging connection, on a fresh database, as the baseline,
/// then prints the ratio; --host HOST_DLL runs another build of the host (e.g. main's copied aside), and with
/// --compare that build first as the baseline, then this one, with the same settings; --hosts N (PostgreSQL) runs it first with one host process as the baseline, then
/// on a fresh database with N host processes that are all called CloseDay at once and share the day by
/// claimed batches, and prints both times, the ratio and the batches each host did.
/// </summary>
public static class CloseDayBenchmark
{
    public const string Description = "CloseDay of one site-day: N commercial workspaces (10,000) with every item in use, bills/s (gRPC; SQLite or --postgres)";

    private static readonly BillingItem[] Items =
    [
        BillingItem.TimeSeries, BillingItem.Logs, BillingItem.BackupLogs, BillingItem.NetworkHosts, BillingItem.SessionReplay, BillingItem.ApmTrace,
        BillingItem.ApmProfile, BillingItem.RumPv, BillingItem.SyntheticTests, BillingItem.Triggers, BillingItem.Sms,
    ];

    public static async Task<int> RunAsync(string[] args)
    {
        var parallelism = Option(args, "--charge-parallelism", 0);
        var hostCount = Math.Max(1, Option(args, "--hosts", 1));
        if (hostCount > 1)
        {
            if (BenchmarkDatabase.PostgresOption(args) is null)
            {
                Console.WriteLine("closeday --hosts: several hosts need one shared database: pass --postgres");
                return 2;
            }
            var alone = await RunOnceAsync(args, parallelism, 1);
            var shared = await RunOnceAsync(args, parallelism, hostCount);
            Console.WriteLine($"closeday --hosts {hostCount}: one host {alone.Seconds:F2} s (charging {alone.Charging:F2} s), "
                + $"{hostCount} hosts {shared.Seconds:F2} s (charging {shared.Charging:F2} s): ratio {alone.Seconds / shared.Seconds:F2} x overall, "
                + $"{alone.Charging / shared.Charging:F2} x charging");
            return Math.Max(alone.ExitCode, shared.ExitCode);
        }
        var hostIndex = Array.IndexOf(args, "--host");
        var oldHost = hostIndex >= 0 && hostIndex + 1 < args.Length ? Path.GetFullPath(args[hostIndex + 1]) : null;
        if (!args.Contains("--compare"))
        {
            return (await RunOnceAsync(args, parallelism, hostDll: oldHost)).ExitCode;
        }
        if (oldHost is not null)
        {
            var before = await RunOnceAsync(args, parallelism, hostDll: oldHost);
            var after = await RunOnceAsync(args, parallelism);
            Console.WriteLine($"closeday --compare --host: that build {before.Seconds:F2} s (rating {before.Rating:F2} s, charging {before.Charging:F2} s), "
                + $"this build {after.Seconds:F2} s (rating {after.Rating:F2} s, charging {after.Charging:F2} s): "
                + $"ratio {before.Seconds / after.Seconds:F2} x overall, {before.Rating / after.Rating:F2} x rating, "
                + $"{before.Charging / after.Charging:F2} x charging");
            return Math.Max(before.ExitCode, after.ExitCode);
        }
        var baseline = await RunOnceAsync(args, 1);
        var measured = await RunOnceAsync(args, parallelism);
        Console.WriteLine($"closeday --compare: one charging connection {baseline.Seconds:F2} s (charging {baseline.Charging:F2} s), "
            + $"ChargeParallelism {(parallelism > 0 ? parallelism.ToString(System.Globalization.CultureInfo.InvariantCulture) : "default")} {measured.Seconds:F2} s (charging {measured.Charging:F2} s): "
            + $"ratio {baseline.Seconds / measured.Seconds:F2} x overall, {baseline.Charging / measured.Charging:F2} x charging");
        return Math.Max(baseline.ExitCode, measured.ExitCode);
    }

    private static async Task<(int ExitCode, double Seconds, double Charging, double Rating)> RunOnceAsync(string[] args, int parallelism, int hostCount = 1, string? hostDll = null)
    {
        var count = Option(args, "--workspaces", 10_000);
        var accountCount = Math.Clamp(Option(args, "--accounts", 1000), 1, count);
        await using var database = await BenchmarkDatabase.CreateAsync(BenchmarkDatabase.PostgresOption(args));
        Console.WriteLine($"closeday: {count:N0} commercial workspaces on cn1, {Items.Length} items each, {accountCount:N0} billing accounts, {database.Engine}, "
            + $"{hostCount} host process(es){(hostDll is null ? "" : " of " + hostDll)}, gRPC over loopback h2c");
        string[] settings = parallelism > 0
            ? ["--Guance:Jobs:Enabled=false", "--Guance:Wallet:ExpiryJobEnabled=false", $"--Guance:Settlement:ChargeParallelism={parallelism}"]
            : ["--Guance:Jobs:Enabled=false", "--Guance:Wallet:ExpiryJobEnabled=false"];
        if (parallelism > 0)
        {
            Console.WriteLine($"  ChargeParallelism {parallelism}");
        }
        var hosts = new List<BenchmarkHost>();
        await using var stop = new HostsDisposer(hosts);
        for (var i = 0; i < hostCount; i++)
        {
            hosts.Add(await BenchmarkHost.StartAsync(hostDll, database, settings));
        }
        var host = hosts[0];
        using var channel = host.Channel();
        var operatorInvoker = channel.Intercept(m => { m.Add("authorization", "Bearer " + BenchmarkHost.OperatorToken); return m; });
        var settlement = new SettlementService.SettlementServiceClient(operatorInvoker);
        var accountsByOperator = new BillingAccountService.BillingAccountServiceClient(operatorInvoker);

        var site = Sites.Get("cn1");
        // The last day whose late grace (30 minutes) is over: CloseDay takes no day before that.
        var day = site.BillingDayOf(DateTimeOffset.UtcNow - TimeSpan.FromMinutes(30)).AddDays(-1);

        var setup = Stopwatch.StartNew();
        var (template, accounts) = await TemplateAsync(channel, accountsByOperator, accountCount);
        Console.WriteLine($"  setup: 1 workspace upgraded and {accountCount:N0} accounts funded through gRPC in {setup.Elapsed.TotalSeconds:F1} s");
        var seed = Stopwatch.StartNew();
        var points = await SeedAsync(database, template, accounts, count, site, day);
        Console.WriteLine($"  seed: {count:N0} workspaces and {points:N0} usage points of {day:yyyy-MM-dd} with their rollups inserted set-based in {seed.Elapsed.TotalSeconds:F1} s");

        var cpu = CpuOf(hosts);
        var startedAt = ToMicroseconds(DateTimeOffset.UtcNow);
        var watch = Stopwatch.StartNew();
        // Every host is asked at once (as the day-close job of each would): they share the day by claimed batches.
        var closes = await Task.WhenAll(hosts.Select(async h =>
        {
            using var hostChannel = h.Channel();
            var client = new SettlementService.SettlementServiceClient(hostChannel.Intercept(m => { m.Add("authorization", "Bearer " + BenchmarkHost.OperatorToken); return m; }));
            return (await client.CloseDayAsync(new CloseDayRequest { SiteCode = site.Code, Day = new BillingDay { Year = day.Year, Month = day.Month, Day = day.Day } },
                deadline: DateTime.UtcNow.AddMinutes(60))).DayClose;
        }));
        var close = closes[0];
        var seconds = watch.Elapsed.TotalSeconds;
        var hostCpu = (CpuOf(hosts) - cpu).TotalSeconds;
        Console.WriteLine($"  CloseDay: {close.Bills:N0} bills ({close.BillsCharged:N0} charged) in {seconds:F2} s: {close.Bills / seconds:N0} bills/s "
            + $"(host CPU {hostCpu:F2} s, peak memory {host.PeakMemoryBytes() / (1024 * 1024):N0} MiB); target 10 s: {(seconds <= 10 ? "met" : "MISSED")}");
        if (hostCount > 1)
        {
            Console.WriteLine("  batches done per host (rating/charging): " + string.Join(", ", await Task.WhenAll(hosts.Select(async (h, i) =>
                $"host {i} {await ScalarAsync(database, $"SELECT COUNT(*) FROM day_close_claims WHERE site_code = 'cn1' AND billing_day = @day AND phase = 1 AND holder LIKE '%:{h.ProcessId}:%'", day)}"
                + $"/{await ScalarAsync(database, $"SELECT COUNT(*) FROM day_close_claims WHERE site_code = 'cn1' AND billing_day = @day AND phase = 2 AND holder LIKE '%:{h.ProcessId}:%'", day)}"))));
        }

        // Where the time went, from the bills' own timestamps (the host's clock is this machine's): rating writes
        // the bills a batch at a time (created_at), then the charges mark them charged (charged_at).
        var lastWritten = await ScalarAsync(database, "SELECT MAX(created_at) FROM daily_bills WHERE site_code = 'cn1' AND billing_day = @day", day);
        var lastCharged = await ScalarAsync(database, "SELECT MAX(charged_at) FROM daily_bills WHERE site_code = 'cn1' AND billing_day = @day", day);
        var chargingSeconds = (lastCharged - lastWritten) / 1e6;
        Console.WriteLine($"  split: rating (all bills written) {(lastWritten - startedAt) / 1e6:F2} s, charging {chargingSeconds:F2} s, "
            + $"{close.BillsCharged / Math.Max(0.001, (lastCharged - lastWritten) / 1e6):N0} charges/s");

        // Every workspace has the same usage and retention: the day's total is the count times one bill.
        var one = (await settlement.ListDailyBillsAsync(new ListDailyBillsRequest { WorkspaceId = template, Year = day.Year, Month = day.Month })).DailyBills.Single();
        var expectedTotal = Cents(one.Total) * count;
        var chargesInLedger = await ScalarAsync(database,
            "SELECT COUNT(*) FROM ledger_transactions t JOIN daily_bills b ON b.id = t.reference WHERE b.site_code = 'cn1' AND b.billing_day = @day", day);
        var billsInDatabase = await ScalarAsync(database, "SELECT COUNT(*) FROM daily_bills WHERE site_code = 'cn1' AND billing_day = @day AND status = 2", day);
        var linesInDatabase = await ScalarAsync(database,
            "SELECT COUNT(*) FROM daily_bill_lines l JOIN daily_bills b ON b.id = l.daily_bill_id WHERE b.site_code = 'cn1' AND b.billing_day = @day", day);
        // The seed's rollups against its points, for the first 1,000 workspaces: what the usage writer would have kept.
        var stock = string.Join(", ", Items.Where(i => Usage.BillingItems.Get((Usage.BillingItem)(int)i).IsStock).Select(i => (int)i));
        var rollupsOff = await ScalarAsync(database, $"""
            SELECT COUNT(*) FROM usage_daily_rollups d
            WHERE d.billing_day = @day AND d.workspace_id IN (SELECT id FROM workspaces WHERE site_code = 'cn1' ORDER BY id LIMIT 1000)
              AND d.quantity <> (SELECT CASE WHEN d.item IN ({stock}) THEN MAX(p.quantity) ELSE SUM(p.quantity) END FROM usage_points p
                                 WHERE p.workspace_id = d.workspace_id AND p.item = d.item AND p.plan = d.plan AND p.billing_day = d.billing_day)
            """, day) + await ScalarAsync(database, """
            SELECT COUNT(*) FROM usage_points p LEFT JOIN usage_hourly_rollups r
              ON r.workspace_id = p.workspace_id AND r.item = p.item AND r.plan = p.plan AND r.billing_day = p.billing_day AND r.hour_start = p.hour_start
            WHERE p.billing_day = @day AND p.workspace_id IN (SELECT id FROM workspaces WHERE site_code = 'cn1' ORDER BY id LIMIT 1000)
              AND (r.quantity IS NULL OR r.quantity <> p.quantity)
            """, day);
        var again = Stopwatch.StartNew();
        var second = (await settlement.CloseDayAsync(new CloseDayRequest { SiteCode = site.Code, Day = close.Day })).DayClose;
        var againSeconds = again.Elapsed.TotalSeconds;
        var exact = close.Bills == count && close.BillsCharged == count && billsInDatabase == count && linesInDatabase == (long)count * Items.Length
            && chargesInLedger == count && Cents(close.Total) == expectedTotal && second.Equals(close) && closes.All(c => c.Equals(close)) && rollupsOff == 0;
        Console.WriteLine($"  check: {billsInDatabase:N0} charged bills, {linesInDatabase:N0} lines and {chargesInLedger:N0} charges in the database, one bill {Cents(one.Total) / 100}.{Cents(one.Total) % 100:00} CNY, "
            + $"day total {Cents(close.Total) / 100:N0}.{Cents(close.Total) % 100:00} (expected {expectedTotal / 100:N0}.{expectedTotal % 100:00}); "
            + $"rollups of 1,000 workspaces against their points: {(rollupsOff == 0 ? "equal" : rollupsOff + " OFF")}; "
            + $"CloseDay again {againSeconds:F2} s, unchanged: {(exact ? "exact" : "WRONG")}");

        var verify = Stopwatch.StartNew();
        var report = await accountsByOperator.VerifyLedgerAsync(new VerifyLedgerRequest(), deadline: DateTime.UtcNow.AddMinutes(10));
        Console.WriteLine($"  VerifyLedger: {(report.Clean ? "clean" : "NOT CLEAN")}, {report.TransactionsChecked:N0} transactions in {verify.Elapsed.TotalSeconds:F1} s");
        return (exact && report.Clean ? 0 : 1, seconds, chargingSeconds, (lastWritten - startedAt) / 1e6);
    }

    /// <summary>A workspace upgraded through gRPC and the funded billing accounts (the first one bound to it).</summary>
    private static async Task<(string Workspace, List<string> Accounts)> TemplateAsync(Grpc.Net.Client.GrpcChannel channel,
        BillingAccountService.BillingAccountServiceClient byOperator, int accountCount)
    {
        var anonymous = new CallInvoker[] { channel.CreateCallInvoker() }[0];
        var signUp = await new IdentityService.IdentityServiceClient(anonymous).SignUpAsync(new SignUpRequest
        {
            Email = $"closeday.{Guid.NewGuid():N}@example.com", Password = "benchmark password", DisplayName = "Close day",
        });
        var owner = channel.Intercept(m => { m.Add("authorization", "Bearer " + signUp.Token); return m; });
        var workspace = (await new WorkspaceService.WorkspaceServiceClient(owner).CreateWorkspaceAsync(new CreateWorkspaceRequest
        {
            Name = "bench 0", SiteCode = "cn1", ActivationChannel = ActivationChannel.OfficialWebsite,
        })).Workspace.WorkspaceId;

        var accounts = new string[accountCount];
        var sessions = new string[accountCount];
        var registering = new BillingAccountService.BillingAccountServiceClient(anonymous);
        await Parallel.ForEachAsync(Enumerable.Range(0, accountCount), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, cancellationToken) =>
        {
            var registered = await registering.RegisterBillingAccountAsync(new RegisterBillingAccountRequest
            {
                Username = $"close-{i}-{Guid.NewGuid():N}"[..24], Password = "benchmark password", Email = $"close{i}@example.com",
            }, cancellationToken: cancellationToken);
            accounts[i] = registered.BillingAccount.BillingAccountId;
            sessions[i] = registered.Token;
            await byOperator.RechargeAsync(new RechargeRequest
            {
                BillingAccountId = accounts[i], Amount = new Money { CurrencyCode = "CNY", Units = 10_000_000 }, RequestId = "fund-" + accounts[i],
                PaymentMethod = PaymentMethod.BankTransfer,
            }, cancellationToken: cancellationToken);
        });
        var first = channel.Intercept(m => { m.Add("authorization", "Bearer " + sessions[0]); return m; });
        var code = (await new BillingAccountService.BillingAccountServiceClient(first).CreateBindingCodeAsync(new CreateBindingCodeRequest { BillingAccountId = accounts[0] })).BindingCode;
        await new SettlementService.SettlementServiceClient(owner).UpgradeToCommercialAsync(new UpgradeToCommercialRequest { WorkspaceId = workspace, BindingCode = code });
        return (workspace, accounts.ToList());
    }

    /// <summary>
    /// Copies the template workspace's rows (workspace, binding, settlement, retention) to count - 1 new
    /// workspaces, all upgraded two days ago, and gives every workspace 24 hourly points of every item of
    /// <paramref name="day"/> and their hourly and daily rollups, computed from the points as the usage writer
    /// keeps them; set-based statements on one connection (on PostgreSQL by COPY and generate_series with the
    /// usage tables' indexes built after the insert: <see cref="CloseDayPostgresSeed"/>). Returns the number of points.
    /// </summary>
    private static async Task<long> SeedAsync(BenchmarkDatabase database, string template, List<string> accounts, int count, Site site, DateOnly day)
    {
        await using var connection = await database.OpenAsync();
        var upgradedAt = ToMicroseconds(site.StartOf(day).AddDays(-2));
        await ExecuteAsync(connection, "UPDATE workspaces SET upgraded_at = @a WHERE id = @t", ("@a", upgradedAt), ("@t", template));
        await ExecuteAsync(connection, "UPDATE retention_changes SET effective_from = @a, requested_at = @a WHERE workspace_id = @t", ("@a", upgradedAt), ("@t", template));
        await ExecuteAsync(connection, "UPDATE workspace_bindings SET bound_at = @a WHERE workspace_id = @t", ("@a", upgradedAt), ("@t", template));

        await ExecuteAsync(connection, "CREATE TEMPORARY TABLE bench_workspaces (n INTEGER NOT NULL, id VARCHAR(64) NOT NULL, account VARCHAR(64) NOT NULL)");
        var clock = TimeProvider.System;
        var newWorkspaces = Enumerable.Range(1, count - 1).Select(n => (N: n, Id: Ids.New("ws", clock), Account: accounts[n % accounts.Count]));
        if (connection is Npgsql.NpgsqlConnection postgres)
        {
            await CloseDayPostgresSeed.FillWorkspacesAsync(postgres, newWorkspaces);
        }
        else
        {
            await using var transaction = await connection.BeginTransactionAsync();
            foreach (var chunk in newWorkspaces.Chunk(500))
            {
                await using var insert = connection.CreateCommand();
                insert.Transaction = transaction;
                insert.CommandText = "INSERT INTO bench_workspaces (n, id, account) VALUES "
                    + string.Join(", ", chunk.Select((_, i) => $"({chunk[i].N}, @i{i}, @a{i})"));
                for (var i = 0; i < chunk.Length; i++)
                {
                    Add(insert, $"@i{i}", chunk[i].Id);
                    Add(insert, $"@a{i}", chunk[i].Account);
                }
                await insert.ExecuteNonQueryAsync();
            }
            await transaction.CommitAsync();
        }

        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await CopyAsync(connection, transaction, "workspaces", "id", template, new() { ["id"] = "b.id", ["name"] = "'bench ' || CAST(b.n AS VARCHAR(16))" });
            await CopyAsync(connection, transaction, "workspace_members", "workspace_id", template, new() { ["workspace_id"] = "b.id" });
            await CopyAsync(connection, transaction, "workspace_bindings", "workspace_id", template, new() { ["workspace_id"] = "b.id", ["billing_account_id"] = "b.account" });
            await CopyAsync(connection, transaction, "workspace_settlements", "workspace_id", template, new() { ["workspace_id"] = "b.id" });
            await CopyAsync(connection, transaction, "retention_changes", "workspace_id", template, new() { ["workspace_id"] = "b.id" }, skip: "id");
            await transaction.CommitAsync();
        }

        if (connection is Npgsql.NpgsqlConnection server)
        {
            var seeded = await CloseDayPostgresSeed.SeedUsageAsync(server, Items, Scale, ToMicroseconds(site.StartOf(day)), day);
            // A vacuum too: the autovacuum that millions of fresh inserts start would otherwise run during the
            // close, which a database in service does not see.
            await ExecuteAsync(connection, "VACUUM ANALYZE");
            return seeded;
        }
        // Hour h (0-23) of item i: (h + 1) x the item's scale, so stock items' MAX and flow items' SUM both bill something.
        var scales = string.Join(" ", Items.Select(item => $"WHEN {(int)item} THEN {Scale(item)}"));
        var itemList = string.Join(" UNION ALL ", Items.Select(item => $"SELECT {(int)item} AS item"));
        var insertPoints = $"""
            WITH RECURSIVE hours(h) AS (SELECT 0 UNION ALL SELECT h + 1 FROM hours WHERE h < 23),
            items(item) AS ({itemList})
            INSERT INTO usage_points (workspace_id, item, hour_start, plan, collector_id, billing_day, quantity, observed_at)
            SELECT w.id, i.item, @start + h.h * 3600000000, 2, 'bench', @day, CAST(h.h + 1 AS BIGINT) * (CASE i.item {scales} END), @start + h.h * 3600000000
            FROM workspaces w CROSS JOIN items i CROSS JOIN hours h
            WHERE w.site_code = 'cn1' AND w.plan = 2
            """;
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandTimeout = 600;
            insert.CommandText = insertPoints;
            Add(insert, "@start", ToMicroseconds(site.StartOf(day)));
            Add(insert, "@day", day);
            var points = await insert.ExecuteNonQueryAsync();
            // The rollups that the usage writer would have kept beside these points (the close rates from the daily ones):
            // per hour the sum over collectors, per day the largest hour of a stock item or the sum of a flow item's hours.
            var stock = string.Join(", ", Items.Where(i => Usage.BillingItems.Get((Usage.BillingItem)(int)i).IsStock).Select(i => (int)i));
            foreach (var rollup in new[]
            {
                """
                INSERT INTO usage_hourly_rollups (workspace_id, item, plan, billing_day, hour_start, quantity)
                SELECT workspace_id, item, plan, billing_day, hour_start, SUM(quantity) FROM usage_points WHERE billing_day = @day
                GROUP BY workspace_id, item, plan, billing_day, hour_start
                """,
                $"""
                INSERT INTO usage_daily_rollups (workspace_id, plan, item, billing_day, quantity)
                SELECT workspace_id, plan, item, billing_day, CASE WHEN item IN ({stock}) THEN MAX(quantity) ELSE SUM(quantity) END
                FROM usage_hourly_rollups WHERE billing_day = @day
                GROUP BY workspace_id, plan, item, billing_day
                """,
            })
            {
                await using var insertRollups = connection.CreateCommand();
                insertRollups.Transaction = transaction;
                insertRollups.CommandTimeout = 600;
                insertRollups.CommandText = rollup;
                Add(insertRollups, "@day", day);
                await insertRollups.ExecuteNonQueryAsync();
            }
            await transaction.CommitAsync();
            await ExecuteAsync(connection, "ANALYZE");
            return points;
        }
    }

    private static TimeSpan CpuOf(List<BenchmarkHost> hosts) => hosts.Aggregate(TimeSpan.Zero, (sum, h) => sum + h.CpuTime);

    private static long Scale(BillingItem item) => item switch
    {
        BillingItem.TimeSeries => 1_237,
        BillingItem.Logs => 123_457,
        BillingItem.BackupLogs => 1_234_567_891,
        BillingItem.NetworkHosts => 1,
        BillingItem.SessionReplay => 53,
        BillingItem.ApmTrace => 54_321,
        BillingItem.ApmProfile => 1_111,
        BillingItem.RumPv => 2_345,
        BillingItem.SyntheticTests => 3_001,
        BillingItem.Triggers => 7_777,
        _ => 3,
    };

    /// <summary>INSERT INTO table SELECT every column of the template's rows, with some columns replaced by expressions over bench_workspaces b.</summary>
    private static async Task CopyAsync(DbConnection connection, DbTransaction transaction, string table, string keyColumn, string template,
        Dictionary<string, string> replaced, string? skip = null)
    {
        var columns = (await ColumnsAsync(connection, transaction, table)).Where(c => c != skip).ToList();
        var values = columns.Select(c => replaced.TryGetValue(c, out var expression) ? expression : "t." + c);
        await using var copy = connection.CreateCommand();
        copy.Transaction = transaction;
        copy.CommandTimeout = 600;
        copy.CommandText = $"INSERT INTO {table} ({string.Join(", ", columns)}) SELECT {string.Join(", ", values)} FROM {table} t CROSS JOIN bench_workspaces b WHERE t.{keyColumn} = @t";
        Add(copy, "@t", template);
        await copy.ExecuteNonQueryAsync();
    }

    private static async Task<List<string>> ColumnsAsync(DbConnection connection, DbTransaction transaction, string table)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = connection is Npgsql.NpgsqlConnection
            ? "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = @t ORDER BY ordinal_position"
            : "SELECT name FROM pragma_table_info(@t)";
        Add(command, "@t", table);
        var columns = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            columns.Add(reader.GetString(0));
        }
        return columns;
    }

    private static async Task<long> ScalarAsync(BenchmarkDatabase database, string sql, DateOnly day)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 600;
        Add(command, "@day", day);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task ExecuteAsync(DbConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 1800;
        foreach (var (name, value) in parameters)
        {
            Add(command, name, value);
        }
        await command.ExecuteNonQueryAsync();
    }

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    private static long ToMicroseconds(DateTimeOffset instant) => (instant - DateTimeOffset.UnixEpoch).Ticks / 10;

    private static long Cents(Money money) => money.Units * 100 + money.Nanos / 10_000_000;

    private static int Option(string[] args, string name, int fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length && int.TryParse(args[index + 1], out var value) ? value : fallback;
    }
}
