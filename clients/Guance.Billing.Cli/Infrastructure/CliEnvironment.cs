namespace Guance.Billing.Cli.Infrastructure;

/// <summary>What a run of the tool reads from and writes to; the process's own unless a test gives others.</summary>
public sealed record CliEnvironment(TextWriter Out, TextWriter Error, TextReader In, Func<string, string?> Variable, bool InputRedirected, bool OutputRedirected)
{
    /// <summary>Whether standard error goes to a file or a pipe (then no progress bar is drawn).</summary>
    public bool ErrorRedirected { get; init; } = true;

    /// <summary>Standard output as bytes, for a file that goes there as it is (a CSV in UTF-8, whatever the console's encoding).</summary>
    public Func<Stream> OpenOut { get; init; } = () => Stream.Null;

    public static CliEnvironment Process() => new(
        Console.Out, Console.Error, Console.In, Environment.GetEnvironmentVariable, Console.IsInputRedirected, Console.IsOutputRedirected)
    {
        ErrorRedirected = Console.IsErrorRedirected,
        OpenOut = Console.OpenStandardOutput,
    };
}
