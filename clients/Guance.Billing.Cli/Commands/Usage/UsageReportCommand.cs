using System.CommandLine;
using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using Guance.Billing.Cli.Infrastructure;
using Guance.Billing.V1;

namespace Guance.Billing.Cli.Commands.Usage;

/// <summary>usage report: one batch through ReportUsage with a collector token, as an agent sends it (for support reproducing an agent).</summary>
public static class UsageReportCommand
{
    /// <summary>The collector (workspace) token option of the commands that report as an agent.</summary>
    public static Option<string?> CollectorToken() => new("--collector-token", "--workspace-token")
    {
        Description = "The workspace's collector token (gct_..., what DataKit calls the workspace token); default: GUANCE_COLLECTOR_TOKEN",
    };

    public static Option<string> CollectorId() => new("--collector-id")
    {
        Description = "The agent's collector id (e.g. its host name): 1 to 128 letters, digits and . _ : -",
        Required = true,
    };

    public static string ResolveCollectorToken(CliContext context, Option<string?> option)
    {
        context.LoginHint = "check --collector-token (or GUANCE_COLLECTOR_TOKEN): 'guance-billing workspaces collector-tokens create' makes one";
        return context.Get(option) is { Length: > 0 } flag ? flag
            : context.Environment.Variable("GUANCE_COLLECTOR_TOKEN") is { Length: > 0 } variable ? variable
            : throw new CommandLineException("a collector token is needed: pass --collector-token (or GUANCE_COLLECTOR_TOKEN).");
    }

    public static Command Build()
    {
        var token = CollectorToken();
        var collector = CollectorId();
        var sequence = new Option<long?>("--sequence")
        {
            Description = "The batch's sequence, at least 1 (default: now in microseconds, as UsageUploader numbers; printed so that a retry can repeat it)",
        };
        var items = new Option<string[]>("--item")
        {
            Description = "A billing item (repeat --item and --quantity for more records): " + string.Join(", ", CliEnum.Names<BillingItem>()),
            Required = true,
            Arity = ArgumentArity.OneOrMore,
        };
        CliEnum.AcceptOnly(items, CliEnum.Names<BillingItem>());
        var quantities = new Option<long[]>("--quantity")
        {
            Description = "The quantity of the --item at the same position: the current value (stock items) or the increment (flow items)",
            Required = true,
            Arity = ArgumentArity.OneOrMore,
        };
        var observedAt = TimeArgument.Option("--observed-at", "When the records were observed: an instant, or how long ago (10m); default now");
        var command = new Command("report", "Report one batch of usage as an agent would (ReportUsage, collector token): committed, or refused whole")
        {
            token, collector, sequence, items, quantities, observedAt,
        };
        command.AddCheck(result =>
        {
            if ((result.GetValue(items)?.Length ?? 0) != (result.GetValue(quantities)?.Length ?? 0))
            {
                result.AddError("Give one --quantity per --item, in the same order.");
            }
            if (result.GetValue(sequence) is < 1)
            {
                result.AddError("--sequence must be at least 1.");
            }
        });
        return command.Handle(async (context, cancellationToken) =>
        {
            var collectorToken = ResolveCollectorToken(context, token);
            var generated = context.Get(sequence) is null;
            var number = context.Get(sequence) ?? (DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch).Ticks / 10;
            var observed = Timestamp.FromDateTimeOffset(context.Get(observedAt)?.Resolve(DateTimeOffset.UtcNow, TimeZoneInfo.Utc, ahead: false) ?? DateTimeOffset.UtcNow);
            var request = new ReportUsageRequest { CollectorId = context.Get(collector)!, Sequence = number };
            foreach (var (item, quantity) in context.Get(items)!.Zip(context.Get(quantities)!))
            {
                request.Records.Add(new UsageRecord { Item = CliEnum.Parse<BillingItem>(item), Quantity = quantity, ObservedAt = observed });
            }
            if (generated)
            {
                context.Output.Note($"Sequence {number} (generated: repeat it with --sequence {number} to retry this batch).");
            }
            var response = await context.Connect(collectorToken).Usage.ReportUsageAsync(request, cancellationToken: cancellationToken);
            context.Output.Result(response, () =>
            {
                context.Output.Fields(
                    ("Collector", request.CollectorId),
                    ("Sequence", response.Sequence.ToString(CultureInfo.InvariantCulture)),
                    ("Records", request.Records.Count.ToString(CultureInfo.InvariantCulture)),
                    ("Result", response.Duplicate ? "duplicate: committed before, nothing applied again" : "committed"));
            });
            return ExitCodes.Ok;
        });
    }
}
