using System.CommandLine;
using Guance.Billing.Cli.Infrastructure;
using Guance.Billing.V1;

namespace Guance.Billing.Cli.Commands.Usage;

/// <summary>usage: the billing items, a workspace's statistics and points, and reporting as an agent.</summary>
public sealed class UsageCommands : ICommandGroup
{
    public int Order => 50;

    public IEnumerable<Command> Build() =>
    [
        new Command("usage", "Usage: the billing items, a workspace's statistics, points as a chart; report usage as an agent would")
        {
            Items(), Stats(), UsagePointsCommand.Build(), UsageReportCommand.Build(), UsageStreamCommand.Build(), UsageResetSequenceCommand.Build(),
        },
    ];

    /// <summary>--workspace (one instance per command).</summary>
    public static Option<string> Workspace() => new("--workspace", "-w") { Description = "The workspace, e.g. ws_...", Required = true };

    /// <summary>The item option: the names of 'usage items' (logs, time-series, apm-trace, ...).</summary>
    public static Option<string> Item(bool required = true)
    {
        var item = new Option<string>("--item") { Description = "The billing item: " + string.Join(", ", CliEnum.Names<BillingItem>()), Required = required };
        CliEnum.AcceptOnly(item, CliEnum.Names<BillingItem>());
        return item;
    }

    private static Command Items()
    {
        var command = new Command("items", "List the billing items: what each counts, its price unit, how a day is made, the experience plan's free quota");
        return command.Handle(async (context, cancellationToken) =>
        {
            var response = await context.Client.Usage.ListBillingItemsAsync(new ListBillingItemsRequest(), cancellationToken: cancellationToken);
            context.Output.Result(response, () => context.Output.Table(
                ["ITEM", "NAME", "COUNTS", "PRICE UNIT", "DAY", "FREE PER DAY (EXPERIENCE)", "ENABLED"],
                response.BillingItems.Select(i => new[]
                {
                    CliEnum.Name(i.Item), i.DisplayName, i.CountedUnit, "per " + Display.Quantity(i.PriceUnit), Display.Enum(i.DailyAggregation),
                    !i.ExperienceAllowed ? "not available" : Display.Quantity(i.ExperienceDailyQuota) + (i.ExperienceChinaOnly ? " (China sites)" : ""),
                    Display.YesNo(i.Enabled),
                }),
                "No billing items."));
            return ExitCodes.Ok;
        });
    }

    private static Command Stats()
    {
        var workspace = Workspace();
        var command = new Command("stats", "A workspace's usage per item: today so far, yesterday, month to date, and the experience quota left (Owner or Administrator)") { workspace };
        return command.Handle(async (context, cancellationToken) =>
        {
            var response = await context.Client.Usage.GetUsageStatisticsAsync(new GetUsageStatisticsRequest { WorkspaceId = context.Get(workspace)! }, cancellationToken: cancellationToken);
            context.Output.Result(response, () =>
            {
                var fields = new List<(string, string)>
                {
                    ("Workspace", response.WorkspaceId),
                    ("Today", Display.Day(response.Today) + " (the billing day at the workspace's site)"),
                    ("Yesterday", Display.Day(response.Yesterday)),
                    ("As of", Display.Time(response.AsOfTime)),
                };
                if (response.CountedSinceTime is not null)
                {
                    fields.Add(("Counted since", Display.Time(response.CountedSinceTime) + " (the upgrade to commercial)"));
                }
                context.Output.Fields(fields.ToArray());
                var quotas = response.Items.Any(i => i.HasQuota);
                string[] columns = quotas
                    ? ["ITEM", "TODAY", "YESTERDAY", "MONTH TO DATE", "FREE PER DAY", "LEFT TODAY"]
                    : ["ITEM", "TODAY", "YESTERDAY", "MONTH TO DATE"];
                context.Output.Table(columns, response.Items.Select(i =>
                {
                    string[] row = [CliEnum.Name(i.Item), Display.Quantity(i.Today), Display.Quantity(i.Yesterday), Display.Quantity(i.MonthToDate)];
                    return quotas
                        ? [.. row, i.HasQuota ? Display.Quantity(i.DailyQuota) : "", i.HasQuota ? Display.Quantity(i.RemainingToday) + (i.RemainingToday == 0 ? " (used up)" : "") : ""]
                        : row;
                }), "No items.", right: quotas ? [1, 2, 3, 4, 5] : [1, 2, 3]);
            });
            return ExitCodes.Ok;
        });
    }
}
