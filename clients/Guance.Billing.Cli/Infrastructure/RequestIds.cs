using System.CommandLine;

namespace Guance.Billing.Cli.Infrastructure;

/// <summary>
/// --request-id of the calls that move money: the host applies one request id once and answers a
/// retry with the first result. Without the option an id is generated and printed to standard error
/// before the call, so that a script whose call timed out can repeat it safely.
/// </summary>
public static class RequestIds
{
    public static Option<string?> Option() => new("--request-id")
    {
        Description = "Unique id of this operation, 1 to 128 characters; a retry with the same id changes nothing (default: generated and printed)",
    };

    public static string Resolve(CliContext context, Option<string?> option, string what)
    {
        if (context.Get(option) is { Length: > 0 } given)
        {
            return given;
        }
        var generated = "cli-" + Guid.NewGuid().ToString("N");
        context.Output.Note($"Request id {generated} (generated: repeat this {what} with --request-id {generated} to retry it safely).");
        return generated;
    }

    /// <summary>Tells a person that the host answered with the first result of this request id.</summary>
    public static void NoteReplayed(CliContext context, bool replayed, string requestId)
    {
        if (replayed)
        {
            context.Output.Note($"Replayed: request id {requestId} was applied before; nothing changed now.");
        }
    }
}
