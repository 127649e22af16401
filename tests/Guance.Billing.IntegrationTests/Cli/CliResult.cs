using System.Text.Json;

namespace Guance.Billing.IntegrationTests.Cli;

/// <summary>How one run of guance-billing ended.</summary>
public sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>Standard output parsed as JSON (after --output json).</summary>
    public JsonElement Json => JsonDocument.Parse(Stdout).RootElement;

    public string[] ErrorLines => Stderr.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}
