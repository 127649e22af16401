using System.CommandLine;
using Guance.Billing.Cli.Infrastructure;
using Guance.Billing.V1;

namespace Guance.Billing.Cli.Commands.Billing;

/// <summary>billing binding-codes list/revoke: the account's binding codes and their state ('billing binding-code' creates one).</summary>
public static class BindingCodeCommands
{
    public static Command Build() => new("binding-codes", "The account's binding codes: list them with their state, revoke an unused one") { List(), Revoke() };

    private static Command List()
    {
        var account = BillingAccountCommands.Account();
        var command = new Command("list", "List the binding codes, newest first, with their state (the codes themselves are never shown again)") { account };
        command.WithPaging();
        return command.Handle(async (context, cancellationToken) =>
        {
            var accountId = context.BillingAccountId(account);
            var response = await Pages.ReadAsync(context,
                (size, token) => context.BillingClient.BillingAccounts.ListBindingCodesAsync(new ListBindingCodesRequest
                {
                    BillingAccountId = accountId, PageSize = size, PageToken = token,
                }, cancellationToken: cancellationToken).ResponseAsync,
                r => r.BindingCodes, r => r.NextPageToken, (r, next) => r.NextPageToken = next, "binding codes");
            context.Output.Result(response, () => Table(context, response.BindingCodes));
            return ExitCodes.Ok;
        });
    }

    private static Command Revoke()
    {
        var account = BillingAccountCommands.Account();
        var id = new Argument<string>("binding-code-id") { Description = "The code to revoke, bc_... (from 'billing binding-code' or 'billing binding-codes list')" };
        var command = new Command("revoke", "Revoke an unused binding code so that it binds no workspace (again: no change)") { account, id };
        return command.Handle(async (context, cancellationToken) =>
        {
            var response = await context.BillingClient.BillingAccounts.RevokeBindingCodeAsync(new RevokeBindingCodeRequest
            {
                BillingAccountId = context.BillingAccountId(account), BindingCodeId = context.Get(id)!,
            }, cancellationToken: cancellationToken);
            context.Output.Result(response, () => Table(context, [response.BindingCode]));
            return ExitCodes.Ok;
        });
    }

    private static void Table(CliContext context, IEnumerable<BindingCode> codes) =>
        context.Output.Table(
            ["BINDING CODE ID", "STATE", "CREATED", "EXPIRES", "USED BY", "USED", "REVOKED"],
            codes.Select(c => new[]
            {
                c.BindingCodeId, Display.Enum(c.State), Display.Time(c.CreateTime), Display.Time(c.ExpireTime),
                c.UsedByWorkspaceId, Display.Time(c.UseTime), Display.Time(c.RevokeTime),
            }),
            "No binding codes.");
}
