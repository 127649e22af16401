using System.CommandLine;
using Guance.Billing.Cli.Infrastructure;
using Guance.Billing.V1;

namespace Guance.Billing.Cli.Commands.Settlement;

/// <summary>
/// workspaces upgrade: Experience to Commercial, bound to the billing account of the binding code.
/// Irreversible, so it asks (or takes --yes).
/// </summary>
public static class UpgradeCommand
{
    public static Command Build()
    {
        var id = WorkspaceCommands.WorkspaceId();
        var code = SettlementCommands.BindingCode("of the billing account that is to pay");
        var command = new Command("upgrade",
            "Upgrade an experience workspace to the commercial plan, bound to a billing account; irreversible, experience usage is never billed (Owner only)")
        {
            id, code,
        };
        command.WithConfirmation();
        return command.Handle(async (context, cancellationToken) =>
        {
            var workspaceId = context.Get(id)!;
            if (!Confirmation.Confirm(context, $"Upgrade {workspaceId} to the commercial plan? Its usage is billed every day from now on; this cannot be undone."))
            {
                context.Output.Note("Nothing done.");
                return ExitCodes.Ok;
            }
            var response = await context.Client.Settlement.UpgradeToCommercialAsync(new UpgradeToCommercialRequest
            {
                WorkspaceId = workspaceId, BindingCode = context.Get(code)!,
            }, cancellationToken: cancellationToken);
            context.Output.Result(response, () =>
            {
                context.Output.Line($"{response.Workspace.WorkspaceId} ({response.Workspace.Name}) is on the commercial plan, billed to {response.Settlement.BillingAccountId}.");
                context.Output.Line("");
                SettlementCommands.ShowSettlement(context, response.Settlement);
            });
            return ExitCodes.Ok;
        });
    }
}
