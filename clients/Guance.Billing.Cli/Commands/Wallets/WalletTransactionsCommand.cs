using System.CommandLine;
using Google.Protobuf.WellKnownTypes;
using Guance.Billing.Cli.Commands.Billing;
using Guance.Billing.Cli.Infrastructure;
using Guance.Billing.Client;
using Guance.Billing.V1;

namespace Guance.Billing.Cli.Commands.Wallets;

/// <summary>wallet transactions: income and expenditure, by time range and kind; --all follows every page with a progress bar.</summary>
public static class WalletTransactionsCommand
{
    public static Command Build()
    {
        var account = BillingAccountCommands.Account();
        var from = TimeArgument.Option("--from", "Only at or after: a date (00:00 UTC), an instant, or how long ago (30d)");
        var to = TimeArgument.Option("--to", "Only before: a date (00:00 UTC), an instant, or how long ago");
        var kinds = new Option<string[]>("--kind")
        {
            Description = "Only these kinds (repeat): " + string.Join(", ", CliEnum.Names<TransactionKind>()),
            Arity = ArgumentArity.ZeroOrMore,
        };
        CliEnum.AcceptOnly(kinds, CliEnum.Names<TransactionKind>());
        var postings = new Option<bool>("--postings") { Description = "One row per ledger posting (what moved where, and the balance after) instead of one per transaction" };
        var command = new Command("transactions", "Income and expenditure: every movement of the wallet, newest first") { account, from, to, kinds, postings };
        command.WithPaging();
        return command.Handle(async (context, cancellationToken) =>
        {
            var now = DateTimeOffset.UtcNow;
            var request = new ListTransactionsRequest { BillingAccountId = context.BillingAccountId(account) };
            if (context.Get(from) is { } start)
            {
                request.StartTime = Timestamp.FromDateTimeOffset(start.Resolve(now, TimeZoneInfo.Utc, ahead: false));
            }
            if (context.Get(to) is { } end)
            {
                request.EndTime = Timestamp.FromDateTimeOffset(end.Resolve(now, TimeZoneInfo.Utc, ahead: false));
            }
            request.Kinds.AddRange((context.Get(kinds) ?? []).Select(CliEnum.Parse<TransactionKind>));
            var response = await Pages.ReadAsync(context,
                (size, token) =>
                {
                    var page = request.Clone();
                    (page.PageSize, page.PageToken) = (size, token);
                    return context.BillingClient.BillingAccounts.ListTransactionsAsync(page, cancellationToken: cancellationToken).ResponseAsync;
                },
                r => r.Transactions, r => r.NextPageToken, (r, next) => r.NextPageToken = next, "transactions");
            context.Output.Result(response, () =>
            {
                if (context.Get(postings))
                {
                    context.Output.Table(
                        ["TIME", "TRANSACTION ID", "KIND", "LEDGER ACCOUNT", "LOT", "ITEM", "AMOUNT", "BALANCE AFTER"],
                        response.Transactions.SelectMany(t => t.Postings.Select(p => new[]
                        {
                            Display.Time(t.CreateTime), t.TransactionId, Display.Enum(t.Kind), Display.Enum(p.AccountKind), p.LotId, p.ItemCode,
                            Display.Money(p.Amount), Display.Money(p.BalanceAfter),
                        })),
                        "No transactions.", right: [6, 7]);
                    return;
                }
                context.Output.Table(
                    ["TIME", "TRANSACTION ID", "KIND", "AMOUNT", "BALANCES CHANGED", "REFERENCE", "DESCRIPTION"],
                    response.Transactions.Select(t => new[]
                    {
                        Display.Time(t.CreateTime), t.TransactionId, Display.Enum(t.Kind), Display.Money(t.Amount), BalancesChanged(t), t.Reference, t.Description,
                    }),
                    "No transactions.", right: [3]);
            });
            return ExitCodes.Ok;
        });
    }

    /// <summary>Which way the money went: each balance the transaction changed with its signed change, "cash +5,000.00 CNY, arrears +5.40 CNY".</summary>
    private static string BalancesChanged(WalletTransaction transaction)
    {
        var currency = transaction.Amount?.CurrencyCode is { Length: > 0 } code ? code : MoneyAmounts.Cny;
        return string.Join(", ", WalletBalanceChanges.Of(transaction).Changed.Select(c =>
            $"{c.Balance.ToLowerInvariant()} {(c.Change > 0 ? "+" : "-")}{MoneyAmounts.FromDecimal(Math.Abs(c.Change), currency).Format()}"));
    }
}
