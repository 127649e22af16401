using System.Diagnostics;
using System.Globalization;
using Grpc.Net.Client;
using Guance.Billing.Client.Usage;

namespace Guance.Billing.Benchmarks;

/// <summary>
/// The ingestion load of the reads and console benchmarks, as a process of its own (this program's
/// <c>collectors</c> verb): collectors streaming into one workspace, one connection each, spool off, flat
/// out or paced to a total rate. It prints <c>ramped</c> after a second of ramp-up, runs until a line
/// <c>stop</c> on its input, then prints <c>acked R</c>, the records per second acknowledged in between.
/// </summary>
internal sealed class CollectorLoad : IDisposable
{
    public const string Description = "the ingestion load of the reads and console benchmarks, which start it as a process of its own";

    private static readonly TimeSpan RampUp = TimeSpan.FromSeconds(1);

    private readonly Process _process;

    private CollectorLoad(Process process) => _process = process;

    /// <summary>Starts the collectors' process; <paramref name="phase"/> keeps collector ids apart between phases.</summary>
    public static CollectorLoad Start(Uri address, string token, int collectors, int phase, double? recordsPerSecond)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[] { typeof(CollectorLoad).Assembly.Location, "collectors", "--address", address.ToString(), "--token", token,
                     "--collectors", collectors.ToString(CultureInfo.InvariantCulture), "--phase", phase.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }
        if (recordsPerSecond is { } rate)
        {
            start.ArgumentList.Add("--records-per-second");
            start.ArgumentList.Add(rate.ToString("R", CultureInfo.InvariantCulture));
        }
        return new CollectorLoad(Process.Start(start) ?? throw new InvalidOperationException("Could not start the collectors."));
    }

    public async Task RampedAsync() => await ExpectAsync("ramped");

    /// <summary>Stops the collectors; the records per second they had acknowledged since the ramp-up.</summary>
    public async Task<double> StopAsync()
    {
        await _process.StandardInput.WriteLineAsync("stop");
        await _process.StandardInput.FlushAsync();
        var rate = double.Parse(await ExpectAsync("acked "), CultureInfo.InvariantCulture);
        await _process.WaitForExitAsync();
        return rate;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }
        _process.Dispose();
    }

    private async Task<string> ExpectAsync(string prefix)
    {
        var line = await _process.StandardOutput.ReadLineAsync();
        return line is not null && line.StartsWith(prefix, StringComparison.Ordinal)
            ? line[prefix.Length..]
            : throw new InvalidOperationException($"The collectors' process said '{line}' instead of '{prefix}…'.");
    }

    /// <summary>The <c>collectors</c> verb: the process that <see cref="Start"/> runs.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        string? address = null, token = null;
        int collectors = 10, phase = 1;
        double? recordsPerSecond = null;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--address": address = args[++i]; break;
                case "--token": token = args[++i]; break;
                case "--collectors": collectors = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--phase": phase = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--records-per-second": recordsPerSecond = double.Parse(args[++i], CultureInfo.InvariantCulture); break;
                default:
                    Console.Error.WriteLine("options: --address URL --token COLLECTOR_TOKEN [--collectors N] [--phase P] [--records-per-second R] (started by the reads and console benchmarks)");
                    return 2;
            }
        }
        if (address is null || token is null)
        {
            Console.Error.WriteLine("collectors: --address and --token are required");
            return 2;
        }

        var channels = new List<GrpcChannel>();
        var uploaders = new List<UsageUploader>();
        for (int c = 0; c < collectors; c++)
        {
            var channel = GrpcChannel.ForAddress(address);
            channels.Add(channel);
            uploaders.Add(new UsageUploader(ReadsBenchmark.WithToken(channel, token), new UsageUploaderOptions
            {
                CollectorId = $"load-{phase}-{c + 1}",
                MaxRecordsPerBatch = 10_000,
                FlushInterval = TimeSpan.FromMilliseconds(100),
                MaxPendingBatches = 64,
            }));
        }
        using var stop = new CancellationTokenSource();
        var pumps = uploaders.Select(u => u.RunAsync(stop.Token)).ToList();
        var started = Stopwatch.StartNew();
        var producing = true;
        var producers = uploaders.Select((u, c) => Task.Run(async () =>
        {
            var perCollector = recordsPerSecond / collectors;
            long added = 0;
            while (Volatile.Read(ref producing))
            {
                var at = DateTimeOffset.UtcNow;
                var target = perCollector is { } rate ? (long)(started.Elapsed.TotalSeconds * rate) : added + 1_000;
                for (; added < target; added++)
                {
                    await u.AddAsync(ReadsBenchmark.Items[(added + c) % ReadsBenchmark.Items.Length], 1 + added % 3, at);
                }
                if (perCollector is not null)
                {
                    await Task.Delay(5);
                }
            }
        })).ToList();
        await Task.Delay(RampUp);
        var ackedBefore = uploaders.Sum(u => u.Statistics.RecordsAcknowledged);
        var window = Stopwatch.StartNew();
        Console.WriteLine("ramped");
        while (await Console.In.ReadLineAsync() is { } line && line != "stop")
        {
        }
        var acked = (uploaders.Sum(u => u.Statistics.RecordsAcknowledged) - ackedBefore) / window.Elapsed.TotalSeconds;
        Volatile.Write(ref producing, false);
        await Task.WhenAll(producers);
        await Task.WhenAll(uploaders.Select(u => u.DrainAsync()));
        await stop.CancelAsync();
        await Task.WhenAll(pumps);
        channels.ForEach(c => c.Dispose());
        Console.WriteLine("acked " + acked.ToString("R", CultureInfo.InvariantCulture));
        return 0;
    }
}
