using System.CommandLine;
using Google.Protobuf.Collections;
using Guance.Billing.Cli.Commands.Billing;
using Guance.Billing.Cli.Infrastructure;

namespace Guance.Billing.Cli.Commands.Wallets;

/// <summary>A paged list of one billing account's lots (vouchers, prepaid cards), printed as a table.</summary>
internal static class AccountListCommand
{
    public static Command Create<TResponse, TItem>(
        string name, string description, string what,
        Func<CliContext, string, int, string, CancellationToken, Task<TResponse>> list,
        Func<TResponse, RepeatedField<TItem>> items,
        Func<TResponse, string> nextPageToken, Action<TResponse, string> setNextPageToken,
        Action<CliContext, IEnumerable<TItem>> table)
        where TResponse : Google.Protobuf.IMessage
    {
        var account = BillingAccountCommands.Account();
        var command = new Command(name, description) { account };
        command.WithPaging();
        return command.Handle(async (context, cancellationToken) =>
        {
            var accountId = context.BillingAccountId(account);
            var response = await Pages.ReadAsync(context,
                (size, token) => list(context, accountId, size, token, cancellationToken),
                items, nextPageToken, setNextPageToken, what);
            context.Output.Result(response, () => table(context, items(response)));
            return ExitCodes.Ok;
        });
    }
}
