namespace Guance.Billing.Cli.Infrastructure;

/// <summary>What a run of the tool reads from and writes to; the process's own unless a test gives others.</summary>
public sealed record CliEnvironment(TextWriter Out, TextWriter Error, TextReader In, Func<string, string?> Variable, bool InputRedirected, bool OutputRedirected)
{
    /// <summary>Whether standard error goes to a file or a pipe (then no progress bar is drawn).</summary>
    public bool ErrorRedirected { get; init; } = true;

    public static CliEnvironment Process() => new(
        Console.Out, Console.Error, Console.In, Environment.GetEnvironmentVariable, Console.IsInputRedirected, Console.IsOutputRedirected)
    {
        ErrorRedirected = Console.IsErrorRedirected,
    };
}
