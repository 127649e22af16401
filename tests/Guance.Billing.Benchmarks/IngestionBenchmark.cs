using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Guance.Billing.Client.Usage;
using Guance.Billing.V1;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;

namespace Guance.Billing.Benchmarks;

/// <summary>
/// Usage ingestion: (a) the cost of storing each record as one row, on the engine's fastest plain path
/// (SQLite: prepared INSERT, 5,000 rows a transaction, WAL; PostgreSQL: Npgsql's binary COPY) against
/// (b) the same records streamed by collectors through StreamUsage to the host as a separate process
/// over loopback HTTP/2, acknowledged after commit. Also the latency of GetUsageStatistics on a
/// workspace with 30 days of points while (b) runs. <c>--postgres</c> runs both on PostgreSQL.
/// </summary>
public static class IngestionBenchmark
{
    public const string Description = "usage ingestion: row-per-record baseline (SQLite INSERT, or PostgreSQL binary COPY) vs StreamUsage to the host process";

    private static readonly BillingItem[] Items = [BillingItem.Logs, BillingItem.ApmTrace, BillingItem.RumPv, BillingItem.TimeSeries, BillingItem.Triggers];

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Contains("--agents"))
        {
            return await AgentFleetBenchmark.RunAsync(args);
        }
        long records = 5_000_000;
        int collectors = 4;
        int batchSize = 10_000;
        bool spool = true;
        string synchronous = "FULL";
        string? hostDll = null;
        string? postgres = BenchmarkDatabase.PostgresOption(args);
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--postgres": i += i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? 1 : 0; break;
                case "--records": records = long.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--collectors": collectors = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--batch": batchSize = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--no-spool": spool = false; break;
                case "--synchronous": synchronous = args[++i].ToUpperInvariant(); break;
                case "--host": hostDll = Path.GetFullPath(args[++i]); break;
                default:
                    Console.Error.WriteLine("options: --records N (5000000) ...; or the fleet: --agents N --batch B --interval 5s --duration 120s --streams-per-connection K (see AgentFleetBenchmark)");
                    Console.Error.WriteLine("options: --records N (5000000) --collectors C (4) --batch B (10000) --no-spool --synchronous FULL|NORMAL (SQLite) --host HOST_DLL (another build) --postgres ADMIN_CONNECTION_STRING|start");
                    return 2;
            }
        }

        await using var database = await BenchmarkDatabase.CreateAsync(postgres);
        var source = new RecordSource(DateTimeOffset.UtcNow.AddMinutes(-11));
        Console.WriteLine($"ingestion: {records:N0} records ({string.Join(", ", Items)}), {collectors} collectors, batches of {batchSize:N0}, " +
            $"{(database.IsPostgres ? "PostgreSQL" : $"SQLite synchronous={synchronous}")}, collector spool {(spool ? "on disk" : "off")}, {Environment.ProcessorCount} cores, load average {LoadAverage()}{(hostDll is null ? "" : $", host {hostDll}")}");

        double baseline;
        if (database.IsPostgres)
        {
            baseline = await CopyBaselineAsync(database.ConnectionString, source, records);
            Console.WriteLine($"(a) baseline, one row per record, Npgsql binary COPY into an unindexed table: {baseline:N0} records/s");
        }
        else
        {
            baseline = Baseline(Path.Combine(database.Directory, "baseline.db"), source, records, synchronous);
            Console.WriteLine($"(a) baseline, one row per record, prepared INSERT, 5,000 rows/transaction, WAL: {baseline:N0} records/s");
        }

        var streamed = await StreamAsync(hostDll, database, source, records, collectors, batchSize, spool, synchronous);
        Console.WriteLine($"(b) StreamUsage through the collector's UsageUploader to the host process, acks after commit: {streamed.RecordsPerSecond:N0} records/s");
        Console.WriteLine($"    ratio (b)/(a): {streamed.RecordsPerSecond / baseline:0.00}");
        Console.WriteLine($"    ack latency: p50 {streamed.AckP50:0.0} ms, p99 {streamed.AckP99:0.0} ms ({streamed.Acks:N0} batches)");
        Console.WriteLine($"    host peak memory (VmHWM): {streamed.HostPeakBytes / 1024.0 / 1024.0:0} MB; host CPU {streamed.HostCpu.TotalSeconds:0.0} s, collector CPU {streamed.ClientCpu.TotalSeconds:0.0} s for {streamed.Seconds:0.0} s wall");
        var hostMicros = streamed.HostCpu.TotalMicroseconds / records;
        var clientMicros = streamed.ClientCpu.TotalMicroseconds / records;
        Console.WriteLine($"    CPU per record: host {hostMicros:0.00} us, collector {clientMicros:0.00} us; both on {Environment.ProcessorCount} otherwise idle cores that is at most {Environment.ProcessorCount / (hostMicros + clientMicros) * 1e6:N0} records/s");
        Console.WriteLine($"    GetUsageStatistics on a workspace with 30 days of points, during ingestion: p50 {streamed.StatsP50:0.0} ms, p99 {streamed.StatsP99:0.0} ms ({streamed.StatsCalls} calls)");
        Console.WriteLine($"    (the same call with no ingestion running: p50 {streamed.IdleStatsP50:0.0} ms, p99 {streamed.IdleStatsP99:0.0} ms; ListBillingItems, no database: p50 {streamed.IdleTrivialP50:0.0} ms)");
        Console.WriteLine($"    totals in the database equal the records sent: {(streamed.TotalsExact ? "yes" : "NO")}");
        return streamed.TotalsExact ? 0 : 1;
    }

    /// <summary>The records of both runs: items round-robin, quantities 1 to 3, times spread over ten minutes.</summary>
    private sealed class RecordSource(DateTimeOffset start)
    {
        private readonly DateTimeOffset[] _stamps = Enumerable.Range(0, 600).Select(s => start.AddSeconds(s)).ToArray();
        private readonly long _startMicros = (start - DateTimeOffset.UnixEpoch).Ticks / 10;

        public BillingItem Item(long i) => Items[i % Items.Length];
        public long Quantity(long i) => 1 + i % 3;
        public int Second(long i) => (int)(i / 1000 % 600);
        public DateTimeOffset Observed(long i) => _stamps[Second(i)];
        public long ObservedMicros(long i) => _startMicros + Second(i) * 1_000_000L;
    }

    private static double Baseline(string file, RecordSource source, long records, string synchronous)
    {
        using var connection = new SqliteConnection($"Data Source={file};Pooling=False");
        connection.Open();
        using (var setup = connection.CreateCommand())
        {
            setup.CommandText = $"""
                PRAGMA journal_mode=WAL; PRAGMA synchronous={synchronous};
                CREATE TABLE usage_records (workspace_id TEXT NOT NULL, collector_id TEXT NOT NULL, item INTEGER NOT NULL, quantity INTEGER NOT NULL, observed_at INTEGER NOT NULL);
                """;
            setup.ExecuteNonQuery();
        }
        using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO usage_records (workspace_id, collector_id, item, quantity, observed_at) VALUES ($w, $c, $i, $q, $o)";
        var w = insert.Parameters.Add("$w", SqliteType.Text);
        var c = insert.Parameters.Add("$c", SqliteType.Text);
        var item = insert.Parameters.Add("$i", SqliteType.Integer);
        var quantity = insert.Parameters.Add("$q", SqliteType.Integer);
        var observed = insert.Parameters.Add("$o", SqliteType.Integer);
        w.Value = "ws_01kbenchmarkworkspace000000";
        c.Value = "bench-1";
        insert.Prepare();
        var watch = Stopwatch.StartNew();
        var transaction = connection.BeginTransaction();
        insert.Transaction = transaction;
        for (long i = 0; i < records; i++)
        {
            item.Value = (int)source.Item(i);
            quantity.Value = source.Quantity(i);
            observed.Value = source.ObservedMicros(i);
            insert.ExecuteNonQuery();
            if ((i + 1) % 5_000 == 0)
            {
                transaction.Commit();
                transaction.Dispose();
                transaction = connection.BeginTransaction();
                insert.Transaction = transaction;
            }
        }
        transaction.Commit();
        transaction.Dispose();
        return records / watch.Elapsed.TotalSeconds;
    }

    /// <summary>The same records through Npgsql's binary COPY, one row each, into a table without indexes: PostgreSQL's fastest way in.</summary>
    private static async Task<double> CopyBaselineAsync(string connectionString, RecordSource source, long records)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using (var create = new NpgsqlCommand(
            "CREATE TABLE usage_records (workspace_id text NOT NULL, collector_id text NOT NULL, item integer NOT NULL, quantity bigint NOT NULL, observed_at bigint NOT NULL)", connection))
        {
            await create.ExecuteNonQueryAsync();
        }
        var watch = Stopwatch.StartNew();
        await using (var copy = await connection.BeginBinaryImportAsync("COPY usage_records (workspace_id, collector_id, item, quantity, observed_at) FROM STDIN (FORMAT BINARY)"))
        {
            for (long i = 0; i < records; i++)
            {
                await copy.StartRowAsync();
                await copy.WriteAsync("ws_01kbenchmarkworkspace000000", NpgsqlDbType.Text);
                await copy.WriteAsync("bench-1", NpgsqlDbType.Text);
                await copy.WriteAsync((int)source.Item(i), NpgsqlDbType.Integer);
                await copy.WriteAsync(source.Quantity(i), NpgsqlDbType.Bigint);
                await copy.WriteAsync(source.ObservedMicros(i), NpgsqlDbType.Bigint);
            }
            await copy.CompleteAsync();
        }
        var rate = records / watch.Elapsed.TotalSeconds;
        await using (var drop = new NpgsqlCommand("DROP TABLE usage_records", connection))
        {
            await drop.ExecuteNonQueryAsync();
        }
        return rate;
    }

    private sealed record StreamResult(double RecordsPerSecond, double Seconds, double AckP50, double AckP99, int Acks, long HostPeakBytes,
        TimeSpan HostCpu, TimeSpan ClientCpu, double StatsP50, double StatsP99, int StatsCalls, bool TotalsExact, double IdleStatsP50, double IdleStatsP99, double IdleTrivialP50);

    private static async Task<StreamResult> StreamAsync(string? hostDll, BenchmarkDatabase database, RecordSource source, long records, int collectors, int batchSize, bool spool, string synchronous)
    {
        await using var host = await BenchmarkHost.StartAsync(hostDll, database,
            $"--Guance:Usage:SqliteSynchronous={synchronous}", $"--Guance:Usage:MaxRecordsPerBatch={Math.Max(10_000, batchSize)}");
        using var channel = GrpcChannel.ForAddress(host.Address, new GrpcChannelOptions { MaxSendMessageSize = 64 * 1024 * 1024 });

        var signUp = await new IdentityService.IdentityServiceClient(channel).SignUpAsync(new SignUpRequest
        {
            Email = $"bench.{Guid.NewGuid():N}@example.com", Password = "correct horse battery", DisplayName = "Benchmark",
        });
        var ownerInvoker = WithToken(channel, signUp.Token);
        var workspaces = new WorkspaceService.WorkspaceServiceClient(ownerInvoker);
        async Task<(string Id, string Token)> NewWorkspaceAsync(string name)
        {
            var id = (await workspaces.CreateWorkspaceAsync(new CreateWorkspaceRequest { Name = name, SiteCode = "cn1", ActivationChannel = ActivationChannel.OfficialWebsite })).Workspace.WorkspaceId;
            var token = (await workspaces.CreateCollectorTokenAsync(new CreateCollectorTokenRequest { WorkspaceId = id, DisplayName = "bench" })).Token;
            return (id, token);
        }
        var targets = new List<(string Id, string Token)>();
        for (int i = 0; i < Math.Max(1, collectors / 2); i++)
        {
            targets.Add(await NewWorkspaceAsync($"Ingestion {i + 1}"));
        }
        var reported = await NewWorkspaceAsync("Thirty days");
        await PrepareDatabaseAsync(database, targets.Select(t => t.Id).Append(reported.Id), reported.Id);

        var uploaders = new List<UsageUploader>();
        var agentChannels = new List<GrpcChannel>();
        var acks = new List<double>();
        for (int c = 0; c < collectors; c++)
        {
            var target = targets[c % targets.Count];
            // Each agent has its own connection, as real agents on their own hosts do.
            var agentChannel = GrpcChannel.ForAddress(host.Address);
            agentChannels.Add(agentChannel);
            var uploader = new UsageUploader(WithToken(agentChannel, target.Token), new UsageUploaderOptions
            {
                CollectorId = $"bench-{c + 1}",
                SpoolDirectory = spool ? Path.Combine(database.Directory, "spool", (c + 1).ToString(CultureInfo.InvariantCulture)) : null,
                MaxRecordsPerBatch = batchSize,
                MaxPendingBatches = 64,
            });
            uploader.Acknowledged += ack =>
            {
                lock (acks)
                {
                    acks.Add(ack.Latency.TotalMilliseconds);
                }
            };
            uploader.Rejected += rejected => Console.Error.WriteLine($"rejected {rejected.Sequence}: {rejected.Reason} {rejected.Status.Message}");
            uploaders.Add(uploader);
        }

        var usage = new UsageService.UsageServiceClient(ownerInvoker);
        var idle = new List<double>();
        for (int i = 0; i < 30; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await usage.GetUsageStatisticsAsync(new GetUsageStatisticsRequest { WorkspaceId = reported.Id });
            idle.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        idle.Sort();
        var trivial = new List<double>();
        for (int i = 0; i < 30; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await usage.ListBillingItemsAsync(new ListBillingItemsRequest());
            trivial.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        trivial.Sort();

        using var stop = new CancellationTokenSource();
        var pumps = uploaders.Select(u => u.RunAsync(stop.Token)).ToList();
        var statistics = new List<double>();
        using var statsStop = new CancellationTokenSource();
        var poller = Task.Run(async () =>
        {
            while (!statsStop.IsCancellationRequested)
            {
                var started = Stopwatch.GetTimestamp();
                await usage.GetUsageStatisticsAsync(new GetUsageStatisticsRequest { WorkspaceId = reported.Id });
                statistics.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                await Task.Delay(20);
            }
        });

        var hostCpuBefore = host.CpuTime;
        var clientCpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        var share = records / collectors;
        var producers = uploaders.Select((uploader, c) => Task.Run(async () =>
        {
            var from = c * share;
            var to = c == collectors - 1 ? records : from + share;
            for (long i = from; i < to; i++)
            {
                await uploader.AddAsync(source.Item(i), source.Quantity(i), source.Observed(i));
            }
            await uploader.DrainAsync();
        })).ToList();
        await Task.WhenAll(producers);
        var seconds = watch.Elapsed.TotalSeconds;
        var hostCpu = host.CpuTime - hostCpuBefore;
        var clientCpu = Process.GetCurrentProcess().TotalProcessorTime - clientCpuBefore;
        await statsStop.CancelAsync();
        await poller;
        await stop.CancelAsync();
        await Task.WhenAll(pumps);
        agentChannels.ForEach(c => c.Dispose());

        var expected = new long[Items.Length];
        for (long i = 0; i < records; i++)
        {
            if (source.Item(i) != BillingItem.TimeSeries)
            {
                expected[i % Items.Length] += source.Quantity(i);
            }
        }
        var exact = true;
        await using (var check = await database.OpenAsync())
        {
            for (int k = 0; k < Items.Length; k++)
            {
                if (Items[k] == BillingItem.TimeSeries)
                {
                    continue;
                }
                await using var sum = check.CreateCommand();
                sum.CommandText = $"SELECT COALESCE(SUM(quantity), 0) FROM usage_points WHERE item = {(int)Items[k]} AND workspace_id <> @r";
                sum.Parameters.Add(Parameter(sum, "@r", reported.Id));
                exact &= Convert.ToInt64(await sum.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture) == expected[k];
            }
        }
        acks.Sort();
        statistics.Sort();
        return new StreamResult(records / seconds, seconds, Percentile(acks, 0.50), Percentile(acks, 0.99), acks.Count, host.PeakMemoryBytes(),
            hostCpu, clientCpu, Percentile(statistics, 0.50), Percentile(statistics, 0.99), statistics.Count, exact, Percentile(idle, 0.50), Percentile(idle, 0.99), Percentile(trivial, 0.50));
    }

    /// <summary>Makes the workspaces commercial (no experience quota) and gives one of them 30 days of hourly points.</summary>
    internal static async Task PrepareDatabaseAsync(BenchmarkDatabase database, IEnumerable<string> commercial, string withHistory)
    {
        await using var connection = await database.OpenAsync();
        var upgradedAt = (DateTimeOffset.UtcNow.AddDays(-40) - DateTimeOffset.UnixEpoch).Ticks / 10;
        foreach (var id in commercial)
        {
            await using var upgrade = connection.CreateCommand();
            upgrade.CommandText = "UPDATE workspaces SET plan = 2, upgraded_at = @at, version = version + 1 WHERE id = @id";
            upgrade.Parameters.Add(Parameter(upgrade, "@at", upgradedAt));
            upgrade.Parameters.Add(Parameter(upgrade, "@id", id));
            await upgrade.ExecuteNonQueryAsync();
        }
        await using var transaction = await connection.BeginTransactionAsync();
        await using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = "INSERT INTO usage_points (workspace_id, item, hour_start, plan, collector_id, billing_day, quantity, observed_at) VALUES (@w, @i, @h, 2, @c, @d, @q, @h)";
        var shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
        var firstHour = DateTimeOffset.UtcNow.AddDays(-30);
        firstHour = new DateTimeOffset(firstHour.Year, firstHour.Month, firstHour.Day, firstHour.Hour, 0, 0, TimeSpan.Zero);
        int rows = 0;
        for (var hour = firstHour; hour < DateTimeOffset.UtcNow; hour = hour.AddHours(1))
        {
            var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(hour, shanghai).DateTime);
            foreach (var item in Items)
            {
                for (int c = 0; c < 4; c++)
                {
                    insert.Parameters.Clear();
                    insert.Parameters.Add(Parameter(insert, "@w", withHistory));
                    insert.Parameters.Add(Parameter(insert, "@i", (int)item));
                    insert.Parameters.Add(Parameter(insert, "@h", (hour - DateTimeOffset.UnixEpoch).Ticks / 10));
                    insert.Parameters.Add(Parameter(insert, "@c", $"history-{c}"));
                    insert.Parameters.Add(Parameter(insert, "@d", day));
                    insert.Parameters.Add(Parameter(insert, "@q", 1_000L + rows % 997));
                    await insert.ExecuteNonQueryAsync();
                    rows++;
                }
            }
        }
        await transaction.CommitAsync();
        // The statistics read the rollups that the usage writer keeps; points written here get theirs here
        // (unless --host is a build from before the rollups, whose schema has none).
        if (await HasRollupsAsync(connection))
        {
            await ReadsHistory.FillRollupsAsync(connection, withHistory);
        }
    }

    private static async Task<bool> HasRollupsAsync(System.Data.Common.DbConnection connection)
    {
        await using var probe = connection.CreateCommand();
        probe.CommandText = "SELECT COUNT(*) FROM usage_daily_rollups WHERE 1 = 0";
        try
        {
            await probe.ExecuteScalarAsync();
            return true;
        }
        catch (System.Data.Common.DbException)
        {
            return false;
        }
    }

    private static System.Data.Common.DbParameter Parameter(System.Data.Common.DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        return parameter;
    }

    internal static CallInvoker WithToken(GrpcChannel channel, string token) =>
        channel.CreateCallInvoker().Intercept(headers =>
        {
            headers.Add("authorization", "Bearer " + token);
            return headers;
        });

    internal static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    internal static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";
}
