using System.CommandLine;
using Guance.Billing.Cli.Commands.Billing;
using Guance.Billing.Cli.Infrastructure;
using Guance.Billing.V1;

namespace Guance.Billing.Cli.Commands.Wallets;

/// <summary>
/// wallet: a billing account's balances and every movement of them; recharges, vouchers and prepaid
/// cards (operator), the ledger check. Amounts are typed as exact decimals (100, 1,250.50) and
/// shown with two decimals and the currency.
/// </summary>
public sealed class WalletCommands : ICommandGroup
{
    public int Order => 70;

    public IEnumerable<Command> Build() =>
    [
        new Command("wallet", "The wallet of a billing account: show, recharge, vouchers, prepaid cards, transactions, verify-ledger, charge, charge-batch")
        {
            Show(), Recharge(),
            VoucherCommands.Voucher(), VoucherCommands.Vouchers(), CardCommands.Card(), CardCommands.Cards(),
            WalletTransactionsCommand.Build(), LedgerCommands.VerifyLedger(), LedgerCommands.Charge(), ChargeBatchCommand.Build(), LedgerCommands.RunExpiry(),
        },
    ];

    private static Command Show()
    {
        var account = BillingAccountCommands.Account();
        var command = new Command("show", "Show the wallet: cash, vouchers, prepaid cards, arrears, and what is available") { account };
        return command.Handle(async (context, cancellationToken) =>
        {
            var response = await context.BillingClient.BillingAccounts.GetWalletAsync(new GetWalletRequest
            {
                BillingAccountId = context.BillingAccountId(account),
            }, cancellationToken: cancellationToken);
            context.Output.Result(response, () => ShowWallet(context, response.Wallet));
            return ExitCodes.Ok;
        });
    }

    private static Command Recharge()
    {
        var account = new Option<string>("--account", "-a") { Description = "The billing account, ba_...", Required = true };
        var amount = Amounts.Option("--amount", "The amount received");
        var method = new Option<string>("--method") { Description = "How the money came: " + string.Join(", ", CliEnum.Names<PaymentMethod>()), Required = true };
        CliEnum.AcceptOnly(method, CliEnum.Names<PaymentMethod>());
        var reference = new Option<string?>("--reference") { Description = "The payment's reference: transfer number, order id (at most 128 characters)" };
        var requestId = RequestIds.Option();
        var command = new Command("recharge", "Confirm a cash payment: it pays arrears first, the rest becomes cash (operator; idempotent by --request-id)")
        {
            account, amount, method, reference, requestId,
        };
        return command.Handle(async (context, cancellationToken) =>
        {
            var request = new RechargeRequest
            {
                BillingAccountId = context.Get(account)!,
                Amount = context.Get(amount)!,
                PaymentMethod = CliEnum.Parse<PaymentMethod>(context.Get(method)!),
                PaymentReference = context.Get(reference) ?? "",
                RequestId = RequestIds.Resolve(context, requestId, "recharge"),
            };
            var response = await context.BillingClient.BillingAccounts.RechargeAsync(request, cancellationToken: cancellationToken);
            context.Output.Result(response, () =>
            {
                RequestIds.NoteReplayed(context, response.Replayed, request.RequestId);
                context.Output.Fields(
                    ("Transaction", response.Transaction.TransactionId),
                    ("Request id", request.RequestId),
                    ("Amount", Display.Money(response.Transaction.Amount)),
                    ("Arrears paid", Display.Money(response.ArrearsPaid)),
                    ("Cash added", Display.Money(response.CashAdded)));
                context.Output.Line("");
                ShowWallet(context, response.Wallet);
            });
            return ExitCodes.Ok;
        });
    }

    public static void ShowWallet(CliContext context, Wallet wallet)
    {
        (string Label, string Amount)[] amounts =
        [
            ("Cash", Display.Money(wallet.Cash)),
            ("Ordinary vouchers", Display.Money(wallet.OrdinaryVouchers)),
            ("Full-reduction vouchers", Display.Money(wallet.FullReductionVouchers)),
            ("Prepaid cards", Display.Money(wallet.PrepaidCards)),
            ("Arrears", Display.Money(wallet.Arrears)),
            ("Available", Display.Money(wallet.Available)),
        ];
        var width = amounts.Max(a => a.Amount.Length);
        var fields = new List<(string, string)> { ("Account", wallet.BillingAccountId) };
        fields.AddRange(amounts.Select(a => (a.Label, a.Amount.PadLeft(width))));
        if (wallet.ArrearsSince is not null)
        {
            fields.Add(("Arrears since", Display.Time(wallet.ArrearsSince)));
        }
        context.Output.Fields(fields.ToArray());
    }
}
