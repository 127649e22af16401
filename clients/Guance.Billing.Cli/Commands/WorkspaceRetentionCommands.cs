using System.CommandLine;
using Guance.Billing.Cli.Infrastructure;
using Guance.Billing.V1;

namespace Guance.Billing.Cli.Commands;

/// <summary>workspaces retention show/set.</summary>
public static class WorkspaceRetentionCommands
{
    public static Command Build() => new("retention", "Retention per data type (commercial plan; changes are Owner only)") { Show(), Set() };

    private static Command Show()
    {
        var id = WorkspaceCommands.WorkspaceId();
        var command = new Command("show", "Show the retention of each data type, and the values allowed") { id };
        return command.Handle(async (context, cancellationToken) =>
        {
            var response = await context.Client.Workspaces.GetWorkspaceAsync(new GetWorkspaceRequest { WorkspaceId = context.Get(id)! }, cancellationToken: cancellationToken);
            context.Output.Result(response, () => ShowRetentions(context, response.Workspace));
            return ExitCodes.Ok;
        });
    }

    private static Command Set()
    {
        var id = WorkspaceCommands.WorkspaceId();
        var dataType = new Option<string>("--data-type") { Description = "The data type", Required = true };
        CliEnum.AcceptOnly(dataType, CliEnum.Names<DataType>());
        var days = new Option<int>("--days") { Description = "Days to keep: one of the data type's allowed values", Required = true };
        var command = new Command("set", "Change the retention of one data type; the first change of a day applies at once, later ones the next day") { id, dataType, days };
        return command.Handle(async (context, cancellationToken) =>
        {
            var response = await context.Client.Workspaces.UpdateRetentionAsync(new UpdateRetentionRequest
            {
                WorkspaceId = context.Get(id)!, DataType = CliEnum.Parse<DataType>(context.Get(dataType)!), Days = context.Get(days),
            }, cancellationToken: cancellationToken);
            context.Output.Result(response, () => context.Output.Line(response.Immediate
                ? $"Retention of {Display.Enum(response.Retention.DataType)} is now {Display.Days(response.Retention.Days)}."
                : $"Retention of {Display.Enum(response.Retention.DataType)} becomes {Display.Days(response.Retention.PendingDays)} at {Display.Time(response.EffectiveTime)}."));
            return ExitCodes.Ok;
        });
    }

    public static void ShowRetentions(CliContext context, Workspace workspace) =>
        context.Output.Table(
            ["DATA TYPE", "DAYS", "ALLOWED", "PENDING", "FROM"],
            workspace.Retentions.Select(r => new[]
            {
                Display.Enum(r.DataType), Display.Days(r.Days), string.Join(" ", r.AllowedDays), Display.Days(r.PendingDays), Display.Time(r.PendingEffectiveTime),
            }),
            "No retention settings.");
}
