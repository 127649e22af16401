using System.Diagnostics;
using System.Text.Json;

namespace Guance.Billing.IntegrationTests.Infrastructure;

/// <summary>What one <c>buf curl</c> run printed.</summary>
public sealed record BufCurlResult(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>The response message as JSON; fails with everything buf printed when the call did not succeed.</summary>
    public JsonElement Json()
    {
        Assert.True(ExitCode == 0, $"buf curl exited with {ExitCode}.\nstdout: {Stdout}\nstderr: {Stderr}");
        return JsonDocument.Parse(Stdout).RootElement;
    }

    /// <summary>The error buf printed (code, message, details), after a failed call.</summary>
    public JsonElement Error()
    {
        Assert.True(ExitCode != 0, $"buf curl succeeded where a failure was expected.\nstdout: {Stdout}");
        return JsonDocument.Parse(Stderr).RootElement;
    }
}

/// <summary>
/// Runs the repository's <c>buf curl</c> against a host over plaintext HTTP/2 with the gRPC protocol,
/// resolving the schema through server reflection, exactly as a person debugging would.
/// </summary>
public static class BufCurl
{
    public static async Task<BufCurlResult> RunAsync(IEnumerable<string> arguments) => await RunAsync(GrpcTransport, arguments);

    /// <summary>gRPC over plaintext HTTP/2, the host's gRPC endpoint.</summary>
    public static readonly string[] GrpcTransport = ["--protocol", "grpc", "--http2-prior-knowledge"];

    /// <summary>gRPC-Web over HTTP/1.1, the browser endpoint; no reflection there (it streams), so the schema comes from the repository's protos.</summary>
    public static readonly string[] GrpcWebTransport = ["--protocol", "grpcweb", "--schema", "."];

    public static async Task<BufCurlResult> RunAsync(IReadOnlyList<string> transport, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(Repository.Buf)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Repository.Root,
        };
        foreach (var argument in new[] { "curl" }.Concat(transport).Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"buf curl {string.Join(' ', start.ArgumentList)} did not finish within a minute.");
        }
        return new BufCurlResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Calls <c>package.Service/Method</c> with a JSON request, optionally with a bearer token.</summary>
    public static Task<BufCurlResult> CallAsync(Uri address, string method, string? json = null, string? token = null)
    {
        var arguments = new List<string>();
        if (token is not null)
        {
            arguments.AddRange(["-H", $"authorization: Bearer {token}"]);
        }
        if (json is not null)
        {
            arguments.AddRange(["-d", json]);
        }
        arguments.Add($"{address.ToString().TrimEnd('/')}/{method}");
        return RunAsync(arguments);
    }
}
