using System.CommandLine;

namespace Guance.Billing.Cli.Infrastructure;

/// <summary>The options every command takes (they may stand anywhere on the command line).</summary>
public static class GlobalOptions
{
    public static readonly Option<string?> Server = new("--server", "-s")
    {
        Description = "The host, e.g. http://127.0.0.1:50051 or https://billing.example.com (default: GUANCE_SERVER, the config file, then http://127.0.0.1:50051)",
        Recursive = true,
    };

    public static readonly Option<string?> Token = new("--token")
    {
        Description = "Bearer token to call with (default: GUANCE_TOKEN, then the token saved by 'login')",
        Recursive = true,
    };

    public static readonly Option<string> Output = new("--output", "-o")
    {
        Description = "table for people, json for scripts",
        DefaultValueFactory = _ => "table",
        Recursive = true,
    };

    public static readonly Option<string?> Config = new("--config")
    {
        Description = "The configuration file (default: GUANCE_CONFIG, then ~/.config/guance-billing/config.json)",
        Recursive = true,
    };

    public static readonly Option<int> Timeout = new("--timeout")
    {
        Description = "Seconds to wait for each call",
        DefaultValueFactory = _ => 30,
        Recursive = true,
    };

    static GlobalOptions()
    {
        Output.AcceptOnlyFromAmong("table", "json");
        Timeout.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 1 or > 3600)
            {
                result.AddError("--timeout must be between 1 and 3600 seconds.");
            }
        });
    }

    public static IEnumerable<Option> All => [Server, Token, Output, Config, Timeout];
}
