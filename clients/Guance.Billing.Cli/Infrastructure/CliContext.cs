using System.CommandLine;
using Guance.Billing.Client;

namespace Guance.Billing.Cli.Infrastructure;

/// <summary>
/// One run of a command: its parsed command line, where the server and token come from (flag, then
/// environment, then the config file), the client, and the output.
/// </summary>
public sealed class CliContext : IDisposable
{
    private readonly ParseResult _parse;
    private readonly Lazy<CliConfig> _config;
    private readonly List<GuanceBillingClient> _owned = new();
    private GuanceBillingClient? _client;
    private GuanceBillingClient? _billingClient;

    public CliContext(ParseResult parse, CliEnvironment environment)
    {
        _parse = parse;
        Environment = environment;
        ConfigFile = new ConfigFile(parse.GetValue(GlobalOptions.Config) ?? ConfigFile.DefaultPath(environment.Variable));
        _config = new Lazy<CliConfig>(ConfigFile.Read);
        Output = new Output(environment, parse.GetValue(GlobalOptions.Output) == "json");
        Timeout = TimeSpan.FromSeconds(parse.GetValue(GlobalOptions.Timeout));
    }

    public CliEnvironment Environment { get; }

    public Output Output { get; }

    public ConfigFile ConfigFile { get; }

    public CliConfig Config => _config.Value;

    public TimeSpan Timeout { get; }

    public T? Get<T>(Option<T> option) => _parse.GetValue(option);

    public T? Get<T>(Argument<T> argument) => _parse.GetValue(argument);

    /// <summary>The server as typed (flag, GUANCE_SERVER, config file, then the local default).</summary>
    public string ServerText =>
        _parse.GetValue(GlobalOptions.Server) is { Length: > 0 } flag ? flag
        : Environment.Variable("GUANCE_SERVER") is { Length: > 0 } variable ? variable
        : Config.Server is { Length: > 0 } saved ? saved
        : GuanceAddress.Local;

    public Uri Server
    {
        get
        {
            try
            {
                return GuanceAddress.Parse(ServerText);
            }
            catch (FormatException e)
            {
                throw new CommandLineException(e.Message);
            }
        }
    }

    /// <summary>The token (flag, GUANCE_TOKEN, config file) and where it came from.</summary>
    public (string? Token, string Source) Token =>
        _parse.GetValue(GlobalOptions.Token) is { Length: > 0 } flag ? (flag, "--token")
        : Environment.Variable("GUANCE_TOKEN") is { Length: > 0 } variable ? (variable, "GUANCE_TOKEN")
        : Config.Token is { Length: > 0 } saved ? (saved, ConfigFile.Path)
        : (null, "none");

    /// <summary>The client, calling with the resolved token.</summary>
    public GuanceBillingClient Client => _client ??= Connect(Token.Token);

    /// <summary>
    /// The token of billing and wallet commands: --token, GUANCE_TOKEN, the billing-center session
    /// saved by <c>billing login</c>, then the console login's token (the operator's, typically).
    /// </summary>
    public (string? Token, string Source) BillingToken =>
        _parse.GetValue(GlobalOptions.Token) is { Length: > 0 } flag ? (flag, "--token")
        : Environment.Variable("GUANCE_TOKEN") is { Length: > 0 } variable ? (variable, "GUANCE_TOKEN")
        : Config.BillingCenter?.Token is { Length: > 0 } session ? (session, BillingSessionSource)
        : Config.Token is { Length: > 0 } saved ? (saved, ConfigFile.Path)
        : (null, "none");

    /// <summary>Whether billing commands call with the saved billing-center session.</summary>
    public bool UsesSavedBillingSession => BillingToken.Source == BillingSessionSource;

    /// <summary>The client of billing and wallet commands, calling with <see cref="BillingToken"/>.</summary>
    public GuanceBillingClient BillingClient
    {
        get
        {
            if (_billingClient is null)
            {
                _billingClient = Connect(BillingToken.Token);
                LoginHint = UsesSavedBillingSession
                    ? "log in again with 'guance-billing billing login --username ...'"
                    : "log in with 'guance-billing billing login', or pass --token or GUANCE_TOKEN";
            }
            return _billingClient;
        }
    }

    /// <summary>What the hint of an UNAUTHENTICATED answer suggests; null for the console login's.</summary>
    public string? LoginHint { get; set; }

    /// <summary>
    /// The billing account a command is about: the option's value, else the account of the saved
    /// billing-center session when the command calls with it; a usage error otherwise.
    /// </summary>
    public string BillingAccountId(Option<string?> account)
    {
        if (Get(account) is { Length: > 0 } given)
        {
            return given;
        }
        if (UsesSavedBillingSession && Config.BillingCenter?.BillingAccountId is { Length: > 0 } saved)
        {
            return saved;
        }
        throw new CommandLineException("which billing account? Pass --account ba_... (or log in with 'guance-billing billing login' to act on your own).");
    }

    private string BillingSessionSource => $"billing-center session in {ConfigFile.Path}";

    /// <summary>A client calling with another token (or anonymously); disposed with this context.</summary>
    public GuanceBillingClient Connect(string? token)
    {
        var client = new GuanceBillingClient(new GuanceBillingClientOptions { Address = Server, Token = token, DefaultDeadline = Timeout });
        _owned.Add(client);
        return client;
    }

    public void Dispose() => _owned.ForEach(c => c.Dispose());
}
