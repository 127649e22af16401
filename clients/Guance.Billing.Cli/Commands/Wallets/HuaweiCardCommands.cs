using System.CommandLine;
using Google.Protobuf.WellKnownTypes;
using Guance.Billing.Cli.Commands.Billing;
using Guance.Billing.Cli.Infrastructure;
using Guance.Billing.V1;

namespace Guance.Billing.Cli.Commands.Wallets;

/// <summary>cards huawei submit|list|confirm|reject: Huawei Cloud stored-value card orders redeemed as prepaid cards.</summary>
public sealed class HuaweiCardCommands : ICommandGroup
{
    private static readonly Option<string> OrderNumber = new("--order") { Description = "The Huawei Cloud order number", Required = true };

    public int Order => 75;

    public IEnumerable<Command> Build()
    {
        yield return new Command("cards", "Prepaid cards from outside the billing center")
        {
            new Command("huawei", "Huawei Cloud stored-value card orders: submit (the account), list, confirm and reject (the marketplace integration, operator)")
            {
                Submit(), List(), Confirm(), Reject(),
            },
        };
    }

    private static Command Submit()
    {
        var account = BillingAccountCommands.Account();
        var huaweiAccount = new Option<string>("--huawei-account") { Description = "The buyer's Huawei Cloud account id", Required = true };
        var command = new Command("submit", "Submit an order to redeem as a prepaid card once the marketplace confirms it (the account's own session)")
        {
            account, huaweiAccount, OrderNumber,
        };
        return command.Handle(async (context, cancellationToken) =>
        {
            var response = await context.BillingClient.BillingAccounts.SubmitHuaweiCardOrderAsync(new SubmitHuaweiCardOrderRequest
            {
                BillingAccountId = context.BillingAccountId(account), HuaweiAccountId = context.Get(huaweiAccount)!, OrderNumber = context.Get(OrderNumber)!,
            }, cancellationToken: cancellationToken);
            context.Output.Result(response, () => Table(context, [response.Order]));
            return ExitCodes.Ok;
        });
    }

    private static Command List() => AccountListCommand.Create(
        "list", "List the account's Huawei Cloud card orders, newest first", "orders",
        (context, accountId, size, token, cancellationToken) => context.BillingClient.BillingAccounts.ListHuaweiCardOrdersAsync(
            new ListHuaweiCardOrdersRequest { BillingAccountId = accountId, PageSize = size, PageToken = token }, cancellationToken: cancellationToken).ResponseAsync,
        r => r.Orders, r => r.NextPageToken, (r, next) => r.NextPageToken = next, Table);

    private static Command Confirm()
    {
        var units = new Option<int>("--units") { Description = "Cards of 100 CNY the order bought", Required = true };
        var expires = TimeArgument.Option("--expires", "When the card expires (default: one year from now): a date, an instant, or a duration such as 365d");
        var command = new Command("confirm", "Confirm an order: it becomes a prepaid card of units × 100 CNY that pays arrears first (operator; idempotent)")
        {
            OrderNumber, units, expires,
        };
        return command.Handle(async (context, cancellationToken) =>
        {
            var request = new ConfirmHuaweiCardOrderRequest { OrderNumber = context.Get(OrderNumber)!, Units = context.Get(units) };
            if (context.Get(expires) is { } until)
            {
                request.ExpireTime = Timestamp.FromDateTimeOffset(until.Resolve(DateTimeOffset.UtcNow, TimeZoneInfo.Utc, ahead: true));
            }
            var response = await context.Client.CloudMarketplace.ConfirmHuaweiCardOrderAsync(request, cancellationToken: cancellationToken);
            context.Output.Result(response, () =>
            {
                Table(context, [response.Order]);
                context.Output.Fields(("Prepaid card", response.PrepaidCard.PrepaidCardId), ("Arrears paid", Display.Money(response.ArrearsPaid)));
            });
            return ExitCodes.Ok;
        });
    }

    private static Command Reject()
    {
        var reason = new Option<string>("--reason") { Description = "Why the marketplace does not know the order; the account is told", Required = true };
        var command = new Command("reject", "Reject an order that the marketplace does not know (operator)") { OrderNumber, reason };
        return command.Handle(async (context, cancellationToken) =>
        {
            var response = await context.Client.CloudMarketplace.RejectHuaweiCardOrderAsync(new RejectHuaweiCardOrderRequest
            {
                OrderNumber = context.Get(OrderNumber)!, Reason = context.Get(reason)!,
            }, cancellationToken: cancellationToken);
            context.Output.Result(response, () => Table(context, [response.Order]));
            return ExitCodes.Ok;
        });
    }

    private static void Table(CliContext context, IEnumerable<HuaweiCardOrder> orders) =>
        context.Output.Table(
            ["ORDER", "ACCOUNT", "HUAWEI ACCOUNT", "STATE", "UNITS", "FACE VALUE", "CARD", "SUBMITTED", "DECIDED", "REASON"],
            orders.Select(o => new[]
            {
                o.OrderNumber, o.BillingAccountId, o.HuaweiAccountId, Display.Enum(o.State), o.Units.ToString(System.Globalization.CultureInfo.InvariantCulture),
                o.FaceValue is null ? "" : Display.Money(o.FaceValue), o.PrepaidCardId, Display.Time(o.SubmitTime), Display.Time(o.DecideTime), o.RejectReason,
            }),
            "No Huawei Cloud card orders.", right: [4, 5]);
}
