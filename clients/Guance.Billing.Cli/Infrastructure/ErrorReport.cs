using Grpc.Core;
using Guance.Billing.Client;

namespace Guance.Billing.Cli.Infrastructure;

/// <summary>
/// A failed call as people read it: one line (message and reason), then one indented line per bad
/// field, broken rule or exhausted quota, then a hint where one helps. Never a stack trace.
/// </summary>
public static class ErrorReport
{
    /// <summary>Hints for reasons whose remedy is on the command line rather than in the request.</summary>
    private static readonly Dictionary<string, string> HintsByReason = new(StringComparer.Ordinal)
    {
        ["OPERATOR_REQUIRED"] = "this needs the operator token: pass --token or GUANCE_TOKEN",
        ["BILLING_SESSION_REQUIRED"] = "only the billing account itself may do this: 'guance-billing billing login --username ...'",
        ["BILLING_CENTER_ONLY"] = "billing and wallet commands need a billing-center session ('guance-billing billing login') or the operator token",
        ["CONSOLE_USER_REQUIRED"] = "this needs a console user's token: 'guance-billing login', or --token",
        ["CLOCK_NOT_SIMULATED"] = "only a host started with --Guance:Clock:Mode=Simulated (and optionally --Guance:Clock:Start=...) has a clock to advance",
    };

    /// <param name="loginHint">What to suggest for UNAUTHENTICATED; null for the console login.</param>
    public static int Write(TextWriter error, RpcException exception, Uri server, TimeSpan timeout, string? loginHint = null)
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
                    error.WriteLine("  hint: " + (loginHint ?? "log in with 'guance-billing login', or pass --token or GUANCE_TOKEN"));
                }
                else if (details.Reason is { } reason && HintsByReason.TryGetValue(reason, out var hint))
                {
                    error.WriteLine("  hint: " + hint);
                }
                break;
        }
        return ExitCodes.For(exception.StatusCode);
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();
}
