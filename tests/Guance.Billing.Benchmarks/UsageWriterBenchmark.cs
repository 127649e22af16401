using System.Diagnostics;
using System.Globalization;
using Guance.Billing.Data;
using Guance.Billing.Usage;
using Guance.Billing.Workspaces;
using Microsoft.Extensions.DependencyInjection;

namespace Guance.Billing.Benchmarks;

/// <summary>
/// The usage writer's database work alone: the same commits (groups of batches, each advancing its
/// collector's mark and upserting its rows, one transaction per group) through the store of the
/// engine: SQLite's, row at a time, or PostgreSQL's set-based one (one batch of mark upserts, one unnest
/// upsert per kind of row), at several group sizes, since the writer commits whatever has queued up;
/// each group size beside the first one, the baseline of the run. (Until 2026-12-06 the SQLite store's portable SQL ran on PostgreSQL too, for comparison; it now runs on
/// SQLite's own API.)
/// Options: --postgres ADMIN_CONNECTION_STRING|start (without it: SQLite), --batches N per run (3000),
/// --rows R per batch (8), --collectors C (200), --groups 1,16,64,256.
/// </summary>
public static class UsageWriterBenchmark
{
    public const string Description = "the usage writer's commits through the engine's store (SQLite row at a time, PostgreSQL set-based) at several group sizes";

    private static readonly BillingItemInfo[] Items =
        [BillingItems.Get(BillingItem.Logs), BillingItems.Get(BillingItem.ApmTrace), BillingItems.Get(BillingItem.RumPv), BillingItems.Get(BillingItem.TimeSeries)];

    public static async Task<int> RunAsync(string[] args)
    {
        var postgres = BenchmarkDatabase.PostgresOption(args);
        var batches = Option(args, "--batches", 3_000);
        var rows = Option(args, "--rows", 8);
        var collectors = Option(args, "--collectors", 200);
        var groups = (Value(args, "--groups") ?? "1,16,64,256").Split(',').Select(g => int.Parse(g, CultureInfo.InvariantCulture)).ToArray();
        var store = postgres is null ? "row-at-a-time" : "set-based";
        Console.WriteLine($"usage-writer: {(postgres is null ? "SQLite" : "PostgreSQL")}, {batches:N0} batches of {rows} rows per run, {collectors} collectors, "
            + $"one transaction per group; {Environment.ProcessorCount} cores, load average {LoadAverage()}");

        var exact = true;
        double? baseline = null;
        foreach (var group in groups)
        {
            var (rate, total) = await RunOnceAsync(postgres, batches, rows, collectors, group);
            baseline ??= rate;
            var expected = Expected(batches, rows, collectors);
            exact &= total == expected;
            Console.WriteLine($"  group of {group,3}, {store,-13}: {rate,9:N0} batches/s, {rate * rows,10:N0} rows/s, {1000.0 * group / rate,7:0.00} ms per commit, "
                + $"{rate / baseline:0.00} times the group of {groups[0]}" + (total == expected ? "" : $"  TOTALS WRONG: {total} stored, {expected} sent"));
        }
        Console.WriteLine($"  flow totals in the database equal what was written: {(exact ? "yes" : "NO")}");
        return exact ? 0 : 1;
    }

    private static async Task<(double BatchesPerSecond, long FlowTotal)> RunOnceAsync(string? postgres, int batches, int rows, int collectors, int group)
    {
        await using var database = await BenchmarkDatabase.CreateAsync(postgres);
        await using (var services = new ServiceCollection().AddLogging()
            .AddSingleton(Microsoft.Extensions.Options.Options.Create(database.Options()))
            .AddBillingDatabase().BuildServiceProvider())
        {
            await DatabaseSetup.MigrateAsync(services, CancellationToken.None);
        }
        await using var connection = await database.OpenAsync();
        using var store = UsageDatabase.CreateStore(connection);

        var site = Sites.Get("cn1");
        var firstHour = new DateTimeOffset(2026, 11, 2, 1, 0, 0, TimeSpan.Zero);
        var writes = new List<BatchWrite>(batches);
        for (int i = 0; i < batches; i++)
        {
            var collector = i % collectors;
            var batchRows = new AggregatedRow[rows];
            for (int r = 0; r < rows; r++)
            {
                // The items of an agent's batch over two hours, as 10,000 records of a busy agent aggregate.
                var hour = SiteHours.Compute(site, firstHour.AddHours(r / Items.Length % 2 + i / collectors % 24));
                batchRows[r] = new AggregatedRow(Items[r % Items.Length], hour) { Quantity = 1 + (i + r) % 1000, ObservedAt = hour.Start.AddSeconds(i % 3600) };
            }
            writes.Add(new BatchWrite("ws_bench_" + collector % 10, "collector-" + collector, 1 + i / collectors, batchRows));
        }

        var applied = new bool[group];
        var watch = Stopwatch.StartNew();
        for (int start = 0; start < writes.Count; start += group)
        {
            // The writer's order within a group: by workspace and collector, each collector's batches in turn.
            var commit = writes.Skip(start).Take(group)
                .OrderBy(w => w.WorkspaceId, StringComparer.Ordinal).ThenBy(w => w.CollectorId, StringComparer.Ordinal).ToList();
            await using var transaction = await connection.BeginTransactionAsync();
            store.Enlist(transaction);
            store.Apply(commit, 0, applied.AsSpan(0, commit.Count));
            await transaction.CommitAsync();
            store.Enlist(null);
            if (applied.AsSpan(0, commit.Count).Contains(false))
            {
                throw new InvalidOperationException("A new batch was not applied.");
            }
        }
        var rate = batches / watch.Elapsed.TotalSeconds;

        await using var sum = connection.CreateCommand();
        sum.CommandText = $"SELECT COALESCE(SUM(quantity), 0) FROM usage_points WHERE item <> {(int)BillingItem.TimeSeries}";
        return (rate, Convert.ToInt64(await sum.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture));
    }

    private static long Expected(int batches, int rows, int collectors)
    {
        long total = 0;
        for (int i = 0; i < batches; i++)
        {
            for (int r = 0; r < rows; r++)
            {
                if (!Items[r % Items.Length].IsStock)
                {
                    total += 1 + (i + r) % 1000;
                }
            }
        }
        return total;
    }

    private static int Option(string[] args, string name, int fallback) =>
        Value(args, name) is { } value && int.TryParse(value, CultureInfo.InvariantCulture, out var parsed) ? parsed : fallback;

    private static string? Value(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";
}
