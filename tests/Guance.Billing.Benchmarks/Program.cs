// Benchmark programs of the billing backend. Run one in Release, for example:
//   dotnet run -c Release --project tests/Guance.Billing.Benchmarks -- <name> [options]
// Each prints its figures (and ratios against its baseline) to standard output.

var benchmarks = new Dictionary<string, (string Description, Func<string[], Task<int>> Run)>(StringComparer.OrdinalIgnoreCase)
{
    ["charges"] = ("wallet charges per second, one hot account and 1,000 accounts (gRPC; SQLite, or --postgres [--hosts N]; --batch-size N adds ChargeBatch; --floor a bare gRPC server beside it)", Guance.Billing.Benchmarks.ChargesBenchmark.RunAsync),
    ["ingestion"] = (Guance.Billing.Benchmarks.IngestionBenchmark.Description, Guance.Billing.Benchmarks.IngestionBenchmark.RunAsync),
    ["usage-writer"] = (Guance.Billing.Benchmarks.UsageWriterBenchmark.Description, Guance.Billing.Benchmarks.UsageWriterBenchmark.RunAsync),
    ["closeday"] = (Guance.Billing.Benchmarks.CloseDayBenchmark.Description, Guance.Billing.Benchmarks.CloseDayBenchmark.RunAsync),
    ["startup"] = (Guance.Billing.Benchmarks.StartupBenchmark.Description, Guance.Billing.Benchmarks.StartupBenchmark.RunAsync),
    ["reads"] = (Guance.Billing.Benchmarks.ReadsBenchmark.Description, Guance.Billing.Benchmarks.ReadsBenchmark.RunAsync),
    ["monthly"] = (Guance.Billing.Benchmarks.MonthlyBillsBenchmark.Description, Guance.Billing.Benchmarks.MonthlyBillsBenchmark.RunAsync),
    ["console"] = (Guance.Billing.Benchmarks.ConsoleBenchmark.Description, Guance.Billing.Benchmarks.ConsoleBenchmark.RunAsync),
    ["collectors"] = (Guance.Billing.Benchmarks.CollectorLoad.Description, Guance.Billing.Benchmarks.CollectorLoad.RunAsync),
    ["floor-host"] = (Guance.Billing.Benchmarks.FloorHost.Description, Guance.Billing.Benchmarks.FloorHost.RunAsync),
};

if (args.Length == 0 || !benchmarks.TryGetValue(args[0], out var chosen))
{
    Console.WriteLine("usage: Guance.Billing.Benchmarks <name> [options]");
    foreach (var (name, (description, _)) in benchmarks)
    {
        Console.WriteLine($"  {name,-20} {description}");
    }
    return args.Length == 0 ? 0 : 2;
}
return await chosen.Run(args[1..]);
