using System.Globalization;
using Guance.Billing.V1;

namespace Guance.Billing.Collector;

/// <summary>The command line of the collector.</summary>
public sealed class CollectorSettings
{
    public string Server { get; set; } = "http://127.0.0.1:50051";
    public List<string> Tokens { get; } = new();
    public int SetupWorkspaces { get; set; }
    public string SetupSite { get; set; } = "cn1";
    public int CollectorsPerWorkspace { get; set; } = 1;
    public double RatePerCollector { get; set; }
    public long RecordsPerCollector { get; set; }
    public TimeSpan? Duration { get; set; }
    public string SpoolDirectory { get; set; } = "collector-spool";
    public bool NoSpool { get; set; }
    public int BatchSize { get; set; } = 10_000;
    public List<BillingItem> Items { get; } = new();
    public string CollectorPrefix { get; set; } = Environment.MachineName.ToLowerInvariant();
    public TimeSpan ProgressInterval { get; set; } = TimeSpan.FromSeconds(1);
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(30);
    public bool Help { get; set; }

    public const string Usage = """
        guance-collector: streams synthetic usage to the Guance billing host, like a fleet of DataKit agents.

          --server URL              host address (default http://127.0.0.1:50051)
          --token gct_...           a collector token; repeat for several workspaces
          --tokens-file PATH        collector tokens, one a line
          --setup N                 sign up a throwaway user and create N experience workspaces (and tokens)
          --site CODE               site of the workspaces made by --setup (default cn1)
          --collectors M            collectors per workspace (default 1)
          --rate R                  records per second per collector; 0 = as fast as the host takes them (default)
          --records N               records per collector, then drain and stop (default: until --duration or Ctrl+C)
          --duration SECONDS        stop generating after this long, then drain
          --drain-timeout SECONDS   after --duration or Ctrl+C, how long to wait for the host to acknowledge what was
                                    generated (1 to 86400, default 30; Ctrl+C again stops waiting); the rest stays in the spool
          --items a,b               items to report (default logs,apm_trace,rum_pv,time_series)
          --batch-size N            records per batch (default 10000)
          --spool DIR               spool directory (default ./collector-spool); unacknowledged batches survive a restart
          --no-spool                keep unacknowledged batches in memory only
          --collector-prefix NAME   collector ids are NAME-<workspace#>-<collector#> (default: the host name)
          --progress SECONDS        progress line interval (default 1)
          --help                    this text
        """;

    public static CollectorSettings Parse(string[] args)
    {
        var settings = new CollectorSettings();
        for (int i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--server": settings.Server = Next(); break;
                case "--token": settings.Tokens.Add(Next()); break;
                case "--tokens-file": settings.Tokens.AddRange(File.ReadAllLines(Next()).Select(l => l.Trim()).Where(l => l.Length > 0)); break;
                case "--setup": settings.SetupWorkspaces = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--site": settings.SetupSite = Next(); break;
                case "--collectors": settings.CollectorsPerWorkspace = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--rate": settings.RatePerCollector = double.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--records": settings.RecordsPerCollector = long.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--duration": settings.Duration = TimeSpan.FromSeconds(double.Parse(Next(), CultureInfo.InvariantCulture)); break;
                case "--items": settings.Items.AddRange(Next().Split(',').Select(ParseItem)); break;
                case "--batch-size": settings.BatchSize = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--spool": settings.SpoolDirectory = Next(); break;
                case "--no-spool": settings.NoSpool = true; break;
                case "--collector-prefix": settings.CollectorPrefix = Next(); break;
                case "--progress": settings.ProgressInterval = TimeSpan.FromSeconds(double.Parse(Next(), CultureInfo.InvariantCulture)); break;
                case "--drain-timeout": settings.DrainTimeout = TimeSpan.FromSeconds(Seconds(Next(), "--drain-timeout", 1, 86_400)); break;
                case "--help" or "-h": settings.Help = true; return settings;
                default: throw new ArgumentException($"Unknown option {args[i]}.");
            }
        }
        if (settings.Items.Count == 0)
        {
            settings.Items.AddRange([BillingItem.Logs, BillingItem.ApmTrace, BillingItem.RumPv, BillingItem.TimeSeries]);
        }
        if (settings.Tokens.Count == 0 && settings.SetupWorkspaces == 0)
        {
            throw new ArgumentException("Give --token, --tokens-file or --setup N.");
        }
        return settings;
    }

    private static double Seconds(string text, string option, double min, double max)
    {
        var seconds = double.Parse(text, CultureInfo.InvariantCulture);
        return seconds >= min && seconds <= max ? seconds : throw new ArgumentException($"{option} must be between {min} and {max} seconds.");
    }

    private static BillingItem ParseItem(string code)
    {
        var name = string.Concat(code.Trim().Split('_').Select(w => w.Length == 0 ? w : char.ToUpperInvariant(w[0]) + w[1..].ToLowerInvariant()));
        return Enum.TryParse<BillingItem>(name, out var item) && item != BillingItem.Unspecified
            ? item
            : throw new ArgumentException($"Unknown item '{code}' (use codes such as logs, time_series, apm_trace).");
    }
}
