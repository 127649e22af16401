using Grpc.Core;
using Guance.Billing.Client;

namespace Guance.Billing.Cli.Infrastructure;

/// <summary>
/// A failed call as people read it: one line (message and reason), then one indented line per bad
/// field, broken rule or exhausted quota, then a hint where one helps. Never a stack trace.
/// </summary>
public static class ErrorReport
{
    public static int Write(TextWriter error, RpcException exception, Uri server, TimeSpan timeout)
    {
        var details = exception.ToBillingError();
        switch (exception.StatusCode)
        {
            case StatusCode.Unavailable when details.Reason is null:
                error.WriteLine($"error: cannot reach the host at {server} (UNAVAILABLE): {OneLine(details.Message)}");
                error.WriteLine("  hint: check --server (or GUANCE_SERVER) and that the host is running");
                break;
            case StatusCode.DeadlineExceeded when details.Reason is null:
                error.WriteLine($"error: the host at {server} did not answer within {timeout.TotalSeconds:0}s (DEADLINE_EXCEEDED)");
                error.WriteLine("  hint: try again, or raise --timeout");
                break;
            default:
                error.WriteLine("error: " + details);
                if (exception.StatusCode == StatusCode.Unauthenticated)
                {
                    error.WriteLine("  hint: log in with 'guance-billing login', or pass --token or GUANCE_TOKEN");
                }
                break;
        }
        return ExitCodes.For(exception.StatusCode);
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();
}
