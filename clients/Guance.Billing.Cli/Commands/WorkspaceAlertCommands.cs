using System.CommandLine;
using Guance.Billing.Cli.Infrastructure;
using Guance.Billing.V1;

namespace Guance.Billing.Cli.Commands;

/// <summary>workspaces alerts list/set/remove: high-consumption thresholds per billing item (Owner or Administrator).</summary>
public static class WorkspaceAlertCommands
{
    public static Command Build() => new("alerts", "High-consumption alerts: a daily amount per billing item above which the Owner and Administrators are told") { List(), Set(), Remove() };

    private static Option<string> Item()
    {
        var item = new Option<string>("--item") { Description = "The billing item: " + string.Join(", ", CliEnum.Names<BillingItem>()), Required = true };
        CliEnum.AcceptOnly(item, CliEnum.Names<BillingItem>());
        return item;
    }

    private static Command List()
    {
        var id = WorkspaceCommands.WorkspaceId();
        var command = new Command("list", "List the thresholds, in item order") { id };
        return command.Handle(async (context, cancellationToken) =>
        {
            var response = await context.Client.ConsumptionAlerts.ListConsumptionAlertsAsync(new ListConsumptionAlertsRequest { WorkspaceId = context.Get(id)! },
                cancellationToken: cancellationToken);
            context.Output.Result(response, () => Table(context, response.Alerts));
            return ExitCodes.Ok;
        });
    }

    private static Command Set()
    {
        var id = WorkspaceCommands.WorkspaceId();
        var item = Item();
        var threshold = Amounts.Option("--threshold", "The daily amount in CNY above which to notify, for example 50.00");
        var command = new Command("set", "Set or change the threshold of one item") { id, item, threshold };
        return command.Handle(async (context, cancellationToken) =>
        {
            var response = await context.Client.ConsumptionAlerts.SetConsumptionAlertAsync(new SetConsumptionAlertRequest
            {
                WorkspaceId = context.Get(id)!, Item = CliEnum.Parse<BillingItem>(context.Get(item)!), Threshold = context.Get(threshold),
            }, cancellationToken: cancellationToken);
            context.Output.Result(response, () => Table(context, [response.Alert]));
            return ExitCodes.Ok;
        });
    }

    private static Command Remove()
    {
        var id = WorkspaceCommands.WorkspaceId();
        var item = Item();
        var command = new Command("remove", "Remove the threshold of one item (none set: no change)") { id, item };
        return command.Handle(async (context, cancellationToken) =>
        {
            var billingItem = CliEnum.Parse<BillingItem>(context.Get(item)!);
            var response = await context.Client.ConsumptionAlerts.RemoveConsumptionAlertAsync(new RemoveConsumptionAlertRequest
            {
                WorkspaceId = context.Get(id)!, Item = billingItem,
            }, cancellationToken: cancellationToken);
            context.Output.Result(response, () => context.Output.Line(response.Removed
                ? $"Removed the threshold of {Display.Enum(billingItem)}."
                : $"{Display.Enum(billingItem)} had no threshold; nothing changed."));
            return ExitCodes.Ok;
        });
    }

    private static void Table(CliContext context, IEnumerable<ConsumptionAlert> alerts) =>
        context.Output.Table(
            ["ITEM", "THRESHOLD", "SET BY", "UPDATED"],
            alerts.Select(a => new[] { Display.Enum(a.Item), Display.Money(a.Threshold), a.UpdatedByUserId, Display.Time(a.UpdateTime) }),
            "No thresholds.");
}
