using System.Diagnostics;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Guance.Billing.Client.Usage;
using Guance.Billing.Collector;
using Guance.Billing.V1;

CollectorSettings settings;
try
{
    settings = CollectorSettings.Parse(args);
}
catch (Exception e) when (e is ArgumentException or FormatException or IOException)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(CollectorSettings.Usage);
    return 2;
}

if (settings.Help)
{
    Console.WriteLine(CollectorSettings.Usage);
    return 0;
}

using var channel = GrpcChannel.ForAddress(settings.Server, new GrpcChannelOptions { MaxReceiveMessageSize = 16 * 1024 * 1024 });
using var stop = new CancellationTokenSource();
using var drain = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // The first Ctrl+C stops generating, the second stops waiting for the host's acknowledgements, a third ends the process.
    e.Cancel = !drain.IsCancellationRequested;
    if (stop.IsCancellationRequested)
    {
        drain.Cancel();
    }
    stop.Cancel();
};
if (settings.Duration is { } duration)
{
    stop.CancelAfter(duration);
}

try
{
    var tokens = settings.Tokens.ToList();
    if (settings.SetupWorkspaces > 0)
    {
        tokens.AddRange(await Setup.CreateWorkspacesAsync(channel, settings.SetupWorkspaces, settings.SetupSite, stop.Token));
    }

    var agents = new List<SyntheticAgent>();
    for (int w = 0; w < tokens.Count; w++)
    {
        var token = tokens[w];
        var invoker = channel.CreateCallInvoker().Intercept(headers =>
        {
            headers.Add("authorization", "Bearer " + token);
            return headers;
        });
        for (int c = 0; c < settings.CollectorsPerWorkspace; c++)
        {
            var collectorId = $"{settings.CollectorPrefix}-{w + 1}-{c + 1}";
            var uploader = new UsageUploader(invoker, new UsageUploaderOptions
            {
                CollectorId = collectorId,
                SpoolDirectory = settings.NoSpool ? null : Path.Combine(settings.SpoolDirectory, $"{w + 1}-{c + 1}"),
                MaxRecordsPerBatch = settings.BatchSize,
            });
            uploader.ItemStopped += stopped => Console.WriteLine($"[{collectorId}] stopped {stopped.Item} ({stopped.Reason}) until {stopped.Until:O}");
            uploader.Rejected += rejected => Console.WriteLine($"[{collectorId}] batch {rejected.Sequence} refused: {rejected.Reason} ({rejected.Status.Message}); {rejected.RequeuedRecords} records sent again");
            uploader.StreamWaiting += waiting => Console.WriteLine($"[{collectorId}] {waiting.Message}");
            uploader.Disconnected += lost => Console.WriteLine($"[{collectorId}] disconnected ({(lost.Error as RpcException)?.StatusCode.ToString() ?? lost.Error.GetType().Name}); retrying in {lost.RetryIn.TotalMilliseconds:0} ms");
            agents.Add(new SyntheticAgent($"workspace {w + 1}", uploader, settings.Items, settings.RatePerCollector, settings.RecordsPerCollector));
        }
    }

    Console.WriteLine($"{agents.Count} collectors in {tokens.Count} workspaces -> {settings.Server}");
    // The streams outlive the generators: they close only once what was generated is acknowledged (or the wait ends).
    using var connections = new CancellationTokenSource();
    var pumps = agents.Select(a => a.Uploader.RunAsync(connections.Token)).ToList();
    var generators = Task.WhenAll(agents.Select(a => a.RunAsync(stop.Token)));
    var watch = Stopwatch.StartNew();
    long lastAcknowledged = 0;
    var lastTick = TimeSpan.Zero;
    while (await Task.WhenAny(generators, Task.Delay(settings.ProgressInterval)) != generators)
    {
        lastAcknowledged = Progress(agents, watch.Elapsed, lastTick, lastAcknowledged);
        lastTick = watch.Elapsed;
    }
    await generators;
    if (stop.IsCancellationRequested)
    {
        // Stopped early: what was generated is sealed into the spool and sent before the streams close, so that
        // "generated" below is what the host counts (or what the spool keeps for the next run).
        Console.WriteLine($"stopping: waiting up to {settings.DrainTimeout.TotalSeconds:0} s for the host to acknowledge what was generated");
        drain.CancelAfter(settings.DrainTimeout);
        try
        {
            await Task.WhenAll(agents.Select(a => a.Uploader.DrainAsync(drain.Token)));
        }
        catch (OperationCanceledException)
        {
        }
    }
    await connections.CancelAsync();
    await Task.WhenAll(pumps);
    Progress(agents, watch.Elapsed, lastTick, lastAcknowledged);
    if (agents.Sum(a => a.Uploader.PendingBatches) is > 0 and var pending)
    {
        Console.WriteLine(settings.NoSpool
            ? $"not acknowledged: {pending:N0} batches, lost (--no-spool)"
            : $"not acknowledged: {pending:N0} batches, kept in {settings.SpoolDirectory}; a run with the same --spool and --collector-prefix sends them");
    }
    if (agents.Sum(a => a.Uploader.OpenRecords) is > 0 and var unsealed)
    {
        // The wait ended before their batch was sealed: they are counted as generated but were never sent.
        Console.WriteLine($"not sent: {unsealed:N0} records generated but never sealed into a batch, lost");
    }

    var acknowledged = agents.Sum(a => a.Uploader.Statistics.RecordsAcknowledged);
    Console.WriteLine($"done: {acknowledged:N0} records acknowledged in {watch.Elapsed.TotalSeconds:0.0} s ({acknowledged / watch.Elapsed.TotalSeconds:N0} records/s)");
    foreach (var group in agents.GroupBy(a => a.WorkspaceLabel))
    {
        foreach (var item in settings.Items)
        {
            Console.WriteLine($"generated {group.Key} {item}: {group.Sum(a => a.Generated(item))}");
        }
    }
    return 0;
}
catch (RpcException e)
{
    Console.Error.WriteLine($"The host refused: {e.StatusCode} {e.Status.Detail}");
    return 1;
}

static long Progress(List<SyntheticAgent> agents, TimeSpan now, TimeSpan last, long lastAcknowledged)
{
    var acknowledged = agents.Sum(a => a.Uploader.Statistics.RecordsAcknowledged);
    var rate = (acknowledged - lastAcknowledged) / Math.Max(0.001, (now - last).TotalSeconds);
    Console.WriteLine(
        $"{now.TotalSeconds,7:0.0}s  {rate,12:N0} records/s  acknowledged {acknowledged,14:N0}  " +
        $"batches sent {agents.Sum(a => a.Uploader.Statistics.BatchesSent):N0} resent {agents.Sum(a => a.Uploader.Statistics.BatchesResent):N0} " +
        $"rejected {agents.Sum(a => a.Uploader.Statistics.BatchesRejected):N0} pending {agents.Sum(a => a.Uploader.PendingBatches):N0}");
    return acknowledged;
}
