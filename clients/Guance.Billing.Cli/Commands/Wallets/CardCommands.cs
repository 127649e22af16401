using System.CommandLine;
using Google.Protobuf.WellKnownTypes;
using Guance.Billing.Cli.Commands.Billing;
using Guance.Billing.Cli.Infrastructure;
using Guance.Billing.V1;

namespace Guance.Billing.Cli.Commands.Wallets;

/// <summary>wallet card issue, wallet cards: prepaid (formerly stored-value) cards.</summary>
public static class CardCommands
{
    public static Command Card() => new("card", "Prepaid cards: issue a purchased card (operator)") { Issue() };

    public static Command Cards() => AccountListCommand.Create(
        "cards", "List the account's prepaid cards, newest first", "cards",
        (context, accountId, size, token, cancellationToken) => context.BillingClient.BillingAccounts.ListPrepaidCardsAsync(
            new ListPrepaidCardsRequest { BillingAccountId = accountId, PageSize = size, PageToken = token }, cancellationToken: cancellationToken).ResponseAsync,
        r => r.PrepaidCards, r => r.NextPageToken, (r, next) => r.NextPageToken = next, Table);

    private static Command Issue()
    {
        var account = new Option<string>("--account", "-a") { Description = "The billing account that bought it, ba_...", Required = true };
        var faceValue = Amounts.Option("--face-value", "Its face value, a multiple of 100");
        var expires = TimeArgument.Option("--expires", "When it expires: a date (00:00 UTC), an instant, or a duration from now such as 365d");
        expires.Required = true;
        var voucherAmount = Amounts.Option("--voucher-amount", "A full-reduction voucher given with it, of this face value", required: false);
        var voucherExpires = TimeArgument.Option("--voucher-expires", "When that voucher expires (default: with the card)");
        var reference = new Option<string?>("--reference") { Description = "The payment's reference (order id), at most 128 characters" };
        var requestId = RequestIds.Option();
        var command = new Command("issue", "Issue a purchased prepaid card; it pays arrears first (operator; idempotent by --request-id)")
        {
            account, faceValue, expires, voucherAmount, voucherExpires, reference, requestId,
        };
        command.AddCheck(result =>
        {
            if (result.GetResult(voucherExpires) is not null && result.GetResult(voucherAmount) is null)
            {
                result.AddError("--voucher-expires needs --voucher-amount.");
            }
        });
        return command.Handle(async (context, cancellationToken) =>
        {
            var now = DateTimeOffset.UtcNow;
            var expireTime = Timestamp.FromDateTimeOffset(context.Get(expires)!.Resolve(now, TimeZoneInfo.Utc, ahead: true));
            var request = new IssuePrepaidCardRequest
            {
                BillingAccountId = context.Get(account)!,
                FaceValue = context.Get(faceValue)!,
                ExpireTime = expireTime,
                PaymentReference = context.Get(reference) ?? "",
            };
            if (context.Get(voucherAmount) is { } voucher)
            {
                request.FullReductionVoucher = new FullReductionVoucherGrant
                {
                    Amount = voucher,
                    ExpireTime = context.Get(voucherExpires) is { } until ? Timestamp.FromDateTimeOffset(until.Resolve(now, TimeZoneInfo.Utc, ahead: true)) : expireTime,
                };
            }
            request.RequestId = RequestIds.Resolve(context, requestId, "card issue");
            var response = await context.BillingClient.BillingAccounts.IssuePrepaidCardAsync(request, cancellationToken: cancellationToken);
            context.Output.Result(response, () =>
            {
                RequestIds.NoteReplayed(context, response.Replayed, request.RequestId);
                Table(context, [response.PrepaidCard]);
                if (response.FullReductionVoucher is { } given)
                {
                    VoucherCommands.Table(context, [given]);
                }
                context.Output.Fields(("Arrears paid", Display.Money(response.ArrearsPaid)));
            });
            return ExitCodes.Ok;
        });
    }

    private static void Table(CliContext context, IEnumerable<PrepaidCard> cards) =>
        context.Output.Table(
            ["CARD ID", "FACE VALUE", "BALANCE", "STATE", "ISSUED", "EXPIRES", "NOTICE SENT", "VOUCHER", "ORIGIN"],
            cards.Select(c => new[]
            {
                c.PrepaidCardId, Display.Money(c.FaceValue), Display.Money(c.Balance), Display.Enum(c.State),
                Display.Time(c.IssueTime), Display.Time(c.ExpireTime), Display.Time(c.ExpiryNoticeTime), c.FullReductionVoucherId, Display.Enum(c.Origin),
            }),
            "No prepaid cards.", right: [1, 2]);
}
