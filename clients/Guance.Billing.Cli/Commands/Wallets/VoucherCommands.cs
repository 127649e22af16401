using System.CommandLine;
using Google.Protobuf.WellKnownTypes;
using Guance.Billing.Cli.Commands.Billing;
using Guance.Billing.Cli.Infrastructure;
using Guance.Billing.V1;

namespace Guance.Billing.Cli.Commands.Wallets;

/// <summary>wallet voucher issue/redeem, wallet vouchers.</summary>
public static class VoucherCommands
{
    public static Command Voucher() => new("voucher", "Vouchers: issue (operator) to an account or as an activation code; redeem a code") { Issue(), Redeem() };

    public static Command Vouchers() => AccountListCommand.Create(
        "vouchers", "List the account's vouchers, newest first", "vouchers",
        (context, accountId, size, token, cancellationToken) => context.BillingClient.BillingAccounts.ListVouchersAsync(
            new ListVouchersRequest { BillingAccountId = accountId, PageSize = size, PageToken = token }, cancellationToken: cancellationToken).ResponseAsync,
        r => r.Vouchers, r => r.NextPageToken, (r, next) => r.NextPageToken = next, Table);

    private static Command Issue()
    {
        var account = new Option<string?>("--account", "-a") { Description = "Grant it to this billing account, ba_..." };
        var code = new Option<string?>("--activation-code") { Description = "Or issue it as this activation code (8 to 64 letters, digits or -) for an account to redeem" };
        var kind = new Option<string>("--kind") { Description = "ordinary or full-reduction", DefaultValueFactory = _ => CliEnum.Name(VoucherKind.Ordinary) };
        CliEnum.AcceptOnly(kind, CliEnum.Names<VoucherKind>());
        var amount = Amounts.Option("--amount", "Its face value");
        var starts = TimeArgument.Option("--starts", "Usable from: a date (00:00 UTC), an instant, or a duration from now (default: now)");
        var expires = TimeArgument.Option("--expires", "Usable until: a date (00:00 UTC), an instant, or a duration from now such as 90d");
        expires.Required = true;
        var requestId = RequestIds.Option();
        var command = new Command("issue", "Issue a voucher to an account, or as an activation code (operator; idempotent by --request-id)")
        {
            account, code, kind, amount, starts, expires, requestId,
        };
        command.AddCheck(result =>
        {
            if ((result.GetResult(account) is null) == (result.GetResult(code) is null))
            {
                result.AddError("Pass either --account (grant it) or --activation-code (to be redeemed).");
            }
        });
        return command.Handle(async (context, cancellationToken) =>
        {
            var now = DateTimeOffset.UtcNow;
            var request = new IssueVoucherRequest
            {
                BillingAccountId = context.Get(account) ?? "",
                ActivationCode = context.Get(code) ?? "",
                Kind = CliEnum.Parse<VoucherKind>(context.Get(kind)!),
                Amount = context.Get(amount)!,
                ExpireTime = Timestamp.FromDateTimeOffset(context.Get(expires)!.Resolve(now, TimeZoneInfo.Utc, ahead: true)),
            };
            if (context.Get(starts) is { } start)
            {
                request.StartTime = Timestamp.FromDateTimeOffset(start.Resolve(now, TimeZoneInfo.Utc, ahead: true));
            }
            request.RequestId = RequestIds.Resolve(context, requestId, "voucher issue");
            var response = await context.BillingClient.BillingAccounts.IssueVoucherAsync(request, cancellationToken: cancellationToken);
            context.Output.Result(response, () =>
            {
                RequestIds.NoteReplayed(context, response.Replayed, request.RequestId);
                Table(context, [response.Voucher]);
            });
            return ExitCodes.Ok;
        });
    }

    private static Command Redeem()
    {
        var account = BillingAccountCommands.Account();
        var code = new Option<string>("--code") { Description = "The activation code", Required = true };
        var command = new Command("redeem", "Redeem a voucher's activation code into the account's wallet") { account, code };
        return command.Handle(async (context, cancellationToken) =>
        {
            var response = await context.BillingClient.BillingAccounts.RedeemVoucherAsync(new RedeemVoucherRequest
            {
                BillingAccountId = context.BillingAccountId(account), ActivationCode = context.Get(code)!,
            }, cancellationToken: cancellationToken);
            context.Output.Result(response, () => Table(context, [response.Voucher]));
            return ExitCodes.Ok;
        });
    }

    public static void Table(CliContext context, IEnumerable<Voucher> vouchers) =>
        context.Output.Table(
            ["VOUCHER ID", "KIND", "FACE VALUE", "BALANCE", "STATE", "FROM", "EXPIRES", "WITH CARD"],
            vouchers.Select(v => new[]
            {
                v.VoucherId, Display.Enum(v.Kind), Display.Money(v.FaceValue), Display.Money(v.Balance), Display.Enum(v.State),
                Display.Time(v.StartTime), Display.Time(v.ExpireTime), v.PrepaidCardId,
            }),
            "No vouchers.", right: [2, 3]);
}
