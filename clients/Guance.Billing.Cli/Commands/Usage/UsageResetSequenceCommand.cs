using System.CommandLine;
using System.Globalization;
using Guance.Billing.Cli.Infrastructure;
using Guance.Billing.V1;

namespace Guance.Billing.Cli.Commands.Usage;

/// <summary>usage reset-sequence: the operator sets a collector's mark (ResetCollectorSequence), audited and idempotent by --request-id.</summary>
public static class UsageResetSequenceCommand
{
    public static Command Build()
    {
        var workspace = UsageCommands.Workspace();
        var collector = UsageReportCommand.CollectorId();
        var mark = new Option<long>("--to")
        {
            Description = "The new mark, at least 0: the collector's batches above it are applied again, those at or below it are duplicates",
            Required = true,
        };
        var reason = new Option<string>("--reason") { Description = "Why, for the audit record (1 to 500 characters)", Required = true };
        var requestId = RequestIds.Option();
        var command = new Command("reset-sequence",
            "Set a collector's high-water mark, e.g. down from a wrong sequence that makes every batch a duplicate (operator; audited; idempotent by --request-id)")
        {
            workspace, collector, mark, reason, requestId,
        };
        return command.Handle(async (context, cancellationToken) =>
        {
            var request = new ResetCollectorSequenceRequest
            {
                WorkspaceId = context.Get(workspace)!,
                CollectorId = context.Get(collector)!,
                LastSequence = context.Get(mark),
                Reason = context.Get(reason)!,
            };
            request.RequestId = RequestIds.Resolve(context, requestId, "reset");
            var response = await context.Client.Usage.ResetCollectorSequenceAsync(request, cancellationToken: cancellationToken);
            context.Output.Result(response, () =>
            {
                if (response.Replayed)
                {
                    context.Output.Note($"Replayed: request id {request.RequestId} was applied before; nothing changed now.");
                }
                context.Output.Fields(
                    ("Workspace", response.WorkspaceId),
                    ("Collector", response.CollectorId),
                    ("Previous mark", response.PreviousSequence.ToString(CultureInfo.InvariantCulture)),
                    ("New mark", response.LastSequence.ToString(CultureInfo.InvariantCulture)),
                    ("Reset at", Display.Time(response.ResetTime)),
                    ("By", response.ResetBy),
                    ("Reason", response.Reason));
            });
            return ExitCodes.Ok;
        });
    }
}
