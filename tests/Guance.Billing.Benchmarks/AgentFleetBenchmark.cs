using System.Diagnostics;
using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Net.Client;
using Guance.Billing.V1;

namespace Guance.Billing.Benchmarks;

/// <summary>
/// <c>ingestion --agents N</c>: the shape of a real fleet. N agents each hold one StreamUsage stream to the
/// host process and send a batch of <c>--batch</c> records every <c>--interval</c> (each agent at its own
/// phase), waiting for the ack, for <c>--duration</c>. Streams share connections <c>--streams-per-connection</c>
/// at a time (1: one connection per agent, as agents on their own machines; 100: a proxy). It prints the
/// host's CPU per batch (the host process's CPU time over the sending window), the ack latency, the host's
/// resident memory with every stream held, and the streams that failed; then, on the same host, the baseline:
/// a few agents sending big batches back to back, whose host CPU per record is the cost without the per-batch
/// overhead. <c>--host PATH</c> runs another build of the host (for example the commit before a change); <c>--floor</c>
/// then sends the same fleet to a bare gRPC server (<see cref="FloorHost"/>), whose CPU per batch is what the protocol
/// alone costs on the machine.
/// </summary>
internal static class AgentFleetBenchmark
{
    private static readonly BillingItem[] Items = [BillingItem.Logs, BillingItem.ApmTrace, BillingItem.RumPv, BillingItem.Triggers];

    private const int AgentsPerWorkspace = 1_000;

    public static async Task<int> RunAsync(string[] args)
    {
        int agents = 1_000, batch = 10, perConnection = 1, bigAgents = 4, openParallelism = 200;
        var floor = false;
        var interval = TimeSpan.FromSeconds(5);
        var duration = TimeSpan.FromSeconds(120);
        long baselineRecords = 2_000_000;
        string? hostDll = null;
        string? postgres = BenchmarkDatabase.PostgresOption(args);
        var hostSettings = new List<string>();
        var hostEnvironment = new Dictionary<string, string>();
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--postgres": i += i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? 1 : 0; break;
                case "--agents": agents = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--batch": batch = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--interval": interval = Seconds(args[++i]); break;
                case "--duration": duration = Seconds(args[++i]); break;
                case "--streams-per-connection": perConnection = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--baseline-records": baselineRecords = long.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--host": hostDll = Path.GetFullPath(args[++i]); break;
                case "--floor": floor = true; break;
                case "--set": hostSettings.Add("--" + args[++i]); break;
                case "--env": var (name, value) = Setting(args[++i]); hostEnvironment[name] = value; break;
                default:
                    Console.Error.WriteLine("options: --agents N (1000) --batch B (10) --interval 5s --duration 120s --streams-per-connection K (1) " +
                        "--baseline-records N (2000000; 0 skips) --floor (the same fleet against a bare gRPC server after) --host HOST_DLL --set Key=Value (a host setting) --env NAME=VALUE (the host's environment, e.g. DOTNET_gcServer=0) " +
                        "--postgres [ADMIN_CONNECTION_STRING|start]");
                    return 2;
            }
        }

        await using var database = await BenchmarkDatabase.CreateAsync(postgres);
        Console.WriteLine($"ingestion fleet: {agents:N0} agents, a batch of {batch} records every {interval.TotalSeconds:0.#} s for {duration.TotalSeconds:0} s, " +
            $"{perConnection} stream(s) per connection ({(agents + perConnection - 1) / perConnection:N0} connections), {database.Engine}, " +
            $"{Environment.ProcessorCount} cores, load average {IngestionBenchmark.LoadAverage()}{(hostDll is null ? "" : $", host {hostDll}")}" +
            string.Concat(hostEnvironment.Select(e => $", {e.Key}={e.Value}")));

        var settings = new List<string>
        {
            $"--Guance:Usage:MaxStreamsPerToken={AgentsPerWorkspace + bigAgents}",
            $"--Guance:Usage:MaxStreams={agents + bigAgents + 100}",
            // The agents' opens queue behind each other on a busy machine; the default 10 s would end some.
            "--Guance:Usage:OpenTimeout=00:02:00",
        };
        // The ops endpoint, for the writer's commits (HostCommits).
        var ops = new Uri($"http://127.0.0.1:{BenchmarkHost.FreePort()}");
        settings.Add($"--Guance:Console:Url={ops}");
        settings.AddRange(hostSettings);
        await using var host = await BenchmarkHost.StartAsync(hostDll, database, hostEnvironment, [.. settings]);
        var workspaces = await SetUpAsync(host, database, (agents + AgentsPerWorkspace - 1) / AgentsPerWorkspace);

        var commits = HostCommits.Usage(ops);
        var commitsBefore = await commits.ReadAsync();
        var (fleet, perBatch) = await SendAsync(host, "(b) fleet", a => workspaces[a / AgentsPerWorkspace], agents, perConnection, openParallelism, interval, duration, batch);
        Console.WriteLine($"    the writer: {commits.Between(commitsBefore, await commits.ReadAsync())}");

        var exact = await TotalsExactAsync(database, fleet);
        Console.WriteLine($"    totals in the database equal the records acknowledged: {(exact ? "yes" : "NO")}");

        if (baselineRecords > 0)
        {
            var big = await BigBatchesAsync(host, workspaces[0], bigAgents, baselineRecords);
            Console.WriteLine($"(a) baseline on the same host: {bigAgents} agents, batches of 10,000 back to back: {big.Records:N0} records in {big.Seconds:0.0} s, " +
                $"host CPU {big.PerRecord:0.00} us per record");
            Console.WriteLine($"    ratio of host CPU per record, fleet (b) / big batches (a): {perBatch / batch / big.PerRecord:0.0}");
        }
        if (floor)
        {
            await using var bare = await BenchmarkHost.StartFloorAsync();
            var (_, floorPerBatch) = await SendAsync(bare, "(c) floor", _ => ("floor", "floor"), agents, perConnection, openParallelism, interval, duration, batch);
            Console.WriteLine($"    ratio of host CPU per batch, the host (b) / the floor (c): {perBatch / floorPerBatch:0.00}");
        }
        return exact && fleet.All(a => a.Failure is null) ? 0 : 1;
    }

    /// <summary>
    /// Opens the fleet's streams to <paramref name="host"/>, sends their rounds, prints what the host paid and the agents
    /// saw under <paramref name="label"/>, and closes them: the agents, and the host's CPU per acknowledged batch.
    /// </summary>
    private static async Task<(Agent[] Fleet, double PerBatch)> SendAsync(BenchmarkHost host, string label, Func<int, (string Id, string Token)> workspaceOf,
        int agents, int perConnection, int openParallelism, TimeSpan interval, TimeSpan duration, int batch)
    {
        var channels = new List<GrpcChannel>();
        GrpcChannel ChannelOf(int agent)
        {
            if (agent % perConnection == 0)
            {
                channels.Add(GrpcChannel.ForAddress(host.Address, new GrpcChannelOptions
                {
                    // One HTTP/2 connection per channel: the streams of a "proxy" share it.
                    HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = false, PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan },
                }));
            }
            return channels[^1];
        }

        using var stop = new CancellationTokenSource();
        var fleet = new Agent[agents];
        for (int a = 0; a < agents; a++)
        {
            var workspace = workspaceOf(a);
            fleet[a] = new Agent($"agent-{a + 1}", IngestionBenchmark.WithToken(ChannelOf(a), workspace.Token), workspace.Id);
        }

        var idleRss = host.ResidentBytes();
        var idleCpu = host.CpuTime;
        var opening = Stopwatch.StartNew();
        using (var gate = new SemaphoreSlim(openParallelism))
        {
            await Task.WhenAll(fleet.Select(async agent =>
            {
                await gate.WaitAsync();
                try
                {
                    await agent.OpenAsync(stop.Token);
                }
                finally
                {
                    gate.Release();
                }
            }));
        }
        var opened = fleet.Count(a => a.Failure is null);
        var openCpu = host.CpuTime - idleCpu;
        var heldRss = host.ResidentBytes();
        Console.WriteLine($"    opened {opened:N0} of {agents:N0} streams in {opening.Elapsed.TotalSeconds:0.0} s (host CPU {openCpu.TotalSeconds:0.0} s, " +
            $"{openCpu.TotalMicroseconds / Math.Max(1, opened):0} us per stream); host RSS with them held and idle: {Megabytes(heldRss)} MB " +
            $"({Megabytes(idleRss)} MB before, {(heldRss - idleRss) / 1024.0 / Math.Max(1, opened):0.0} KB per stream)");

        // Sending: every agent its batches at its own phase within the interval, for the duration.
        var rounds = Math.Max(1, (int)(duration / interval));
        var hostCpuBefore = host.CpuTime;
        var kernelCpuBefore = host.KernelCpuTime;
        var clientCpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var sending = Stopwatch.StartNew();
        var start = Stopwatch.GetTimestamp();
        var startedAt = DateTime.UtcNow;
        await Task.WhenAll(fleet.Select(agent => agent.Failure is null
            ? agent.SendRoundsAsync(start, TimeSpan.FromTicks((long)(Random.Shared.NextDouble() * interval.Ticks)), interval, rounds, batch, stop.Token)
            : Task.CompletedTask));
        var seconds = sending.Elapsed.TotalSeconds;
        var hostCpu = host.CpuTime - hostCpuBefore;
        var kernelCpu = host.KernelCpuTime - kernelCpuBefore;
        var clientCpu = Process.GetCurrentProcess().TotalProcessorTime - clientCpuBefore;
        var loadedRss = host.ResidentBytes();
        var acks = fleet.SelectMany(a => a.Latencies).ToList();
        acks.Sort();
        var batches = fleet.Sum(a => a.Acknowledged);
        var failed = fleet.Count(a => a.Failure is not null);
        var perBatch = hostCpu.TotalMicroseconds / Math.Max(1, batches);
        Console.WriteLine($"{label}: {batches:N0} batches acknowledged in {seconds:0.0} s ({batches / seconds:N0} batches/s, {batches * batch / seconds:N0} records/s), " +
            $"{failed:N0} streams failed{FirstFailure(fleet)}");
        Console.WriteLine($"    host CPU per batch of {batch}: {perBatch:0} us ({perBatch / batch:0.00} us per record); host CPU {hostCpu.TotalSeconds:0.0} s = " +
            $"{hostCpu.TotalSeconds / seconds:0.000} cores ({kernelCpu / hostCpu:P0} of it in the kernel); the benchmark's own CPU {clientCpu.TotalSeconds:0.0} s");
        Console.WriteLine($"    ack latency: p50 {IngestionBenchmark.Percentile(acks, 0.50):0.0} ms, p99 {IngestionBenchmark.Percentile(acks, 0.99):0.0} ms, max {(acks.Count == 0 ? double.NaN : acks[^1]):0.0} ms");
        Console.WriteLine(SlowAcks(fleet, IngestionBenchmark.Percentile(acks, 0.99), seconds, startedAt));
        Console.WriteLine($"    host RSS: {Megabytes(loadedRss)} MB at the end of the sending, peak (VmHWM) {Megabytes(host.PeakMemoryBytes())} MB");

        await stop.CancelAsync();
        await Task.WhenAll(fleet.Select(a => a.CloseAsync()));
        channels.ForEach(c => c.Dispose());
        return (fleet, perBatch);
    }

    /// <summary>
    /// Whether the slowest acks came together (pauses of the whole host: a collection, a long commit) or spread over
    /// the run (queueing): the 100-ms windows of the sending in which the acks slower than the p99 were sent, and the
    /// UTC clock time of the worst ones, to set beside a trace of the host.
    /// </summary>
    private static string SlowAcks(Agent[] fleet, double p99, double seconds, DateTime startedAt)
    {
        var windows = fleet.SelectMany(a => a.Latencies.Zip(a.SentAt))
            .Where(ack => ack.First > p99)
            .GroupBy(ack => (int)(ack.Second * 10))
            .Select(window => (Start: window.Key, Acks: window.Count()))
            .OrderByDescending(window => window.Acks)
            .ToList();
        var slow = windows.Sum(w => w.Acks);
        var worst = windows.Take(10).ToList();
        var times = string.Join(", ", worst.OrderBy(w => w.Start).Select(w => $"{startedAt.AddSeconds(w.Start / 10.0):HH:mm:ss.f} ({w.Acks})"));
        return $"    acks slower than the p99: {slow:N0}, sent in {windows.Count:N0} of the run's {seconds * 10:N0} 100-ms windows; " +
            $"the 10 worst hold {(slow == 0 ? 0 : (double)worst.Sum(w => w.Acks) / slow):P0} of them, at {times} UTC";
    }

    /// <summary>One agent's stream and what it saw.</summary>
    private sealed class Agent(string collectorId, CallInvoker invoker, string workspaceId)
    {
        private AsyncDuplexStreamingCall<StreamUsageRequest, StreamUsageResponse>? _call;
        private long _sequence;

        public string CollectorId { get; } = collectorId;
        public string WorkspaceId { get; } = workspaceId;
        public List<double> Latencies { get; } = [];
        /// <summary>When each batch of <see cref="Latencies"/> was sent, in seconds from the start of the sending.</summary>
        public List<double> SentAt { get; } = [];
        public long Acknowledged { get; private set; }
        public long[] Quantities { get; } = new long[Items.Length];
        public Exception? Failure { get; private set; }

        public async Task OpenAsync(CancellationToken cancellationToken)
        {
            try
            {
                _call = new UsageService.UsageServiceClient(invoker).StreamUsage(cancellationToken: cancellationToken);
                await _call.RequestStream.WriteAsync(new StreamUsageRequest { Open = new UsageStreamOpen { CollectorId = CollectorId } }, cancellationToken);
                if (!await _call.ResponseStream.MoveNext(cancellationToken) || _call.ResponseStream.Current.KindCase != StreamUsageResponse.KindOneofCase.Opened)
                {
                    throw new IOException("The host ended the stream without opening it.");
                }
                _sequence = _call.ResponseStream.Current.Opened.LastCommittedSequence;
            }
            catch (Exception e)
            {
                Failure = e;
            }
        }

        public async Task SendRoundsAsync(long start, TimeSpan phase, TimeSpan interval, int rounds, int batchSize, CancellationToken cancellationToken)
        {
            try
            {
                for (int round = 0; round < rounds; round++)
                {
                    var due = phase + interval * round - Stopwatch.GetElapsedTime(start);
                    if (due > TimeSpan.Zero)
                    {
                        await Task.Delay(due, cancellationToken);
                    }
                    var message = new UsageBatch { Sequence = ++_sequence };
                    var observedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow);
                    for (int r = 0; r < batchSize; r++)
                    {
                        message.Records.Add(new UsageRecord { Item = Items[r % Items.Length], Quantity = 1, ObservedAt = observedAt });
                    }
                    var sent = Stopwatch.GetTimestamp();
                    await _call!.RequestStream.WriteAsync(new StreamUsageRequest { Batch = message }, cancellationToken);
                    if (!await _call.ResponseStream.MoveNext(cancellationToken))
                    {
                        throw new IOException("The host ended the stream.");
                    }
                    var answer = _call.ResponseStream.Current;
                    if (answer.KindCase != StreamUsageResponse.KindOneofCase.Ack || answer.Ack.Duplicate || answer.Ack.Sequence != _sequence)
                    {
                        throw new InvalidOperationException($"Batch {_sequence} was answered {answer}.");
                    }
                    Latencies.Add(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
                    SentAt.Add(Stopwatch.GetElapsedTime(start, sent).TotalSeconds);
                    Acknowledged++;
                    for (int r = 0; r < batchSize; r++)
                    {
                        Quantities[r % Items.Length]++;
                    }
                }
            }
            catch (Exception e)
            {
                Failure = e;
            }
        }

        public async Task CloseAsync()
        {
            if (_call is null)
            {
                return;
            }
            try
            {
                await _call.RequestStream.CompleteAsync();
            }
            catch (Exception)
            {
                // The call was cancelled with the run; closing is best effort.
            }
            _call.Dispose();
        }
    }

    private static async Task<List<(string Id, string Token)>> SetUpAsync(BenchmarkHost host, BenchmarkDatabase database, int count)
    {
        using var channel = GrpcChannel.ForAddress(host.Address);
        var signUp = await new IdentityService.IdentityServiceClient(channel).SignUpAsync(new SignUpRequest
        {
            Email = $"fleet.{Guid.NewGuid():N}@example.com", Password = "correct horse battery", DisplayName = "Fleet",
        });
        var client = new WorkspaceService.WorkspaceServiceClient(IngestionBenchmark.WithToken(channel, signUp.Token));
        var workspaces = new List<(string Id, string Token)>();
        for (int i = 0; i < count; i++)
        {
            var id = (await client.CreateWorkspaceAsync(new CreateWorkspaceRequest { Name = $"Fleet {i + 1}", SiteCode = "cn1", ActivationChannel = ActivationChannel.OfficialWebsite })).Workspace.WorkspaceId;
            var token = (await client.CreateCollectorTokenAsync(new CreateCollectorTokenRequest { WorkspaceId = id, DisplayName = "fleet" })).Token;
            workspaces.Add((id, token));
        }
        await IngestionBenchmark.PrepareDatabaseAsync(database, workspaces.Select(w => w.Id), workspaces[0].Id);
        return workspaces;
    }

    /// <summary>The baseline: <paramref name="agents"/> streams sending batches of 10,000 with 8 in flight each, until <paramref name="records"/> are acknowledged.</summary>
    private static async Task<(long Records, double Seconds, double PerRecord)> BigBatchesAsync(BenchmarkHost host, (string Id, string Token) workspace, int agents, long records)
    {
        const int size = 10_000, window = 8;
        var perAgent = Math.Max(1, records / size / agents);
        var observedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow);
        var message = new UsageBatch();
        for (int r = 0; r < size; r++)
        {
            message.Records.Add(new UsageRecord { Item = Items[r % Items.Length], Quantity = 1, ObservedAt = observedAt });
        }
        using var channel = GrpcChannel.ForAddress(host.Address, new GrpcChannelOptions { MaxSendMessageSize = 64 * 1024 * 1024 });
        var cpuBefore = host.CpuTime;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, agents).Select(async a =>
        {
            var client = new UsageService.UsageServiceClient(IngestionBenchmark.WithToken(channel, workspace.Token));
            using var call = client.StreamUsage();
            await call.RequestStream.WriteAsync(new StreamUsageRequest { Open = new UsageStreamOpen { CollectorId = $"big-{a + 1}" } });
            await call.ResponseStream.MoveNext(CancellationToken.None);
            var sequence = call.ResponseStream.Current.Opened.LastCommittedSequence;
            using var inFlight = new SemaphoreSlim(window);
            var answers = Task.Run(async () =>
            {
                for (long k = 0; k < perAgent; k++)
                {
                    if (!await call.ResponseStream.MoveNext(CancellationToken.None) || call.ResponseStream.Current.KindCase != StreamUsageResponse.KindOneofCase.Ack)
                    {
                        throw new InvalidOperationException($"A big batch was answered {call.ResponseStream.Current}.");
                    }
                    inFlight.Release();
                }
            });
            for (long k = 0; k < perAgent; k++)
            {
                await inFlight.WaitAsync();
                var next = message.Clone();
                next.Sequence = ++sequence;
                await call.RequestStream.WriteAsync(new StreamUsageRequest { Batch = next });
            }
            await answers;
            await call.RequestStream.CompleteAsync();
        }));
        var seconds = watch.Elapsed.TotalSeconds;
        var total = perAgent * agents * size;
        return (total, seconds, (host.CpuTime - cpuBefore).TotalMicroseconds / total);
    }

    private static async Task<bool> TotalsExactAsync(BenchmarkDatabase database, Agent[] fleet)
    {
        await using var connection = await database.OpenAsync();
        var exact = true;
        foreach (var group in fleet.GroupBy(a => a.WorkspaceId))
        {
            for (int k = 0; k < Items.Length; k++)
            {
                await using var sum = connection.CreateCommand();
                sum.CommandText = $"SELECT COALESCE(SUM(quantity), 0) FROM usage_points WHERE item = {(int)Items[k]} AND workspace_id = '{group.Key}' AND collector_id LIKE 'agent-%'";
                exact &= Convert.ToInt64(await sum.ExecuteScalarAsync(), CultureInfo.InvariantCulture) == group.Sum(a => a.Quantities[k]);
            }
        }
        return exact;
    }

    private static string FirstFailure(Agent[] fleet) =>
        fleet.FirstOrDefault(a => a.Failure is not null) is { } failed ? $" (first: {failed.CollectorId}: {failed.Failure!.GetType().Name}: {failed.Failure.Message})" : "";

    internal static (string Name, string Value) Setting(string nameValue) =>
        nameValue.IndexOf('=', StringComparison.Ordinal) is > 0 and var at ? (nameValue[..at], nameValue[(at + 1)..]) : throw new ArgumentException($"{nameValue}: expected NAME=VALUE.");

    private static TimeSpan Seconds(string value) =>
        TimeSpan.FromSeconds(double.Parse(value.TrimEnd('s'), CultureInfo.InvariantCulture));

    private static string Megabytes(long bytes) => (bytes / 1024.0 / 1024.0).ToString("0", CultureInfo.InvariantCulture);
}
