using System.Diagnostics;

namespace Guance.Billing.IntegrationTests.Cli;

/// <summary>
/// Runs the built guance-billing (<c>dotnet guance-billing.dll</c>) as a process, the way scripts
/// run it: GUANCE_SERVER pointing at the test host, its own config file, none of the caller's
/// GUANCE_* variables.
/// </summary>
public sealed class CliProcess(Uri server, string configPath)
{
    public string ConfigPath => configPath;

    public Task<CliResult> RunAsync(params string[] args) => RunAsync(new CliRun(args));

    public async Task<CliResult> RunAsync(CliRun run)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "guance-billing.dll"));
        foreach (var arg in run.Args)
        {
            start.ArgumentList.Add(arg);
        }
        foreach (var name in new[] { "GUANCE_TOKEN", "GUANCE_PASSWORD", "GUANCE_SERVER", "GUANCE_CONFIG" })
        {
            start.Environment.Remove(name);
        }
        start.Environment["GUANCE_SERVER"] = server.ToString();
        start.Environment["GUANCE_CONFIG"] = configPath;
        start.Environment["NO_COLOR"] = "1";
        foreach (var (name, value) in run.Environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (run.Stdin is not null)
        {
            await process.StandardInput.WriteAsync(run.Stdin);
        }
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"guance-billing {string.Join(' ', run.Args)} did not finish in 60 s");
        }
        return new CliResult(process.ExitCode, await stdout, await stderr);
    }
}

/// <summary>A command line, with standard input and extra environment variables.</summary>
public sealed record CliRun(string[] Args)
{
    public string? Stdin { get; init; }

    public Dictionary<string, string?> Environment { get; init; } = new();
}
