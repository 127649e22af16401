using System.CommandLine;
using Guance.Billing.Cli.Infrastructure;
using Guance.Billing.V1;

namespace Guance.Billing.Cli.Commands.Settlement;

/// <summary>
/// workspaces upgrade: Experience to Commercial, bound to the billing account of the binding code (a
/// marketplace workspace also names its cloud account). Irreversible, so it asks (or takes --yes).
/// </summary>
public static class UpgradeCommand
{
    public static Command Build()
    {
        var id = WorkspaceCommands.WorkspaceId();
        var code = SettlementCommands.BindingCode("of the billing account that is to pay");
        var cloudAccount = new Option<string?>("--cloud-account")
        {
            Description = "A workspace activated through a cloud marketplace: the cloud account (ca_...) of that billing account, of that cloud, it settles through",
        };
        var command = new Command("upgrade",
            "Upgrade an experience workspace to the commercial plan, bound to a billing account; irreversible, experience usage is never billed (Owner only)")
        {
            id, code, cloudAccount,
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
                WorkspaceId = workspaceId, BindingCode = context.Get(code)!, CloudAccountId = context.Get(cloudAccount) ?? "",
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
