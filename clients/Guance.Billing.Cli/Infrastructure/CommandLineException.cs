namespace Guance.Billing.Cli.Infrastructure;

/// <summary>A command line that parses but cannot be acted on (exit code 2), for example a missing --yes.</summary>
public sealed class CommandLineException(string message) : Exception(message);
