using System.CommandLine;
using System.Globalization;
using Guance.Billing.Cli.Infrastructure;
using Guance.Billing.Client;
using Guance.Billing.V1;

namespace Guance.Billing.Cli.Commands.Wallets;

/// <summary>wallet verify-ledger, charge, run-expiry: the operator's tools on the ledger.</summary>
public static class LedgerCommands
{
    public static Command VerifyLedger()
    {
        var account = new Option<string?>("--account", "-a") { Description = "Only this billing account (default: the whole ledger)" };
        var command = new Command("verify-ledger", "Recompute every balance from the ledger entries and check that every transaction sums to zero (operator); exit 10 when something is wrong") { account };
        return command.Handle(async (context, cancellationToken) =>
        {
            var response = await context.BillingClient.BillingAccounts.VerifyLedgerAsync(new VerifyLedgerRequest { BillingAccountId = context.Get(account) ?? "" }, cancellationToken: cancellationToken);
            context.Output.Result(response, () =>
            {
                context.Output.Fields(
                    ("Ledger", response.Clean ? "clean" : $"{response.Problems.Count} problem(s)"),
                    ("Transactions", Count(response.TransactionsChecked)),
                    ("Entries", Count(response.EntriesChecked)),
                    ("Accounts", Count(response.AccountsChecked)));
                if (!response.Clean)
                {
                    context.Output.Table(["PROBLEM", "SUBJECT", "DESCRIPTION"],
                        response.Problems.Select(p => new[] { Display.Enum(p.Kind), p.Subject, p.Description }), "");
                }
            });
            if (!response.Clean)
            {
                context.Environment.Error.WriteLine($"error: the ledger has {response.Problems.Count} problem(s) (LEDGER_NOT_CLEAN)");
                return ExitCodes.CheckFailed;
            }
            return ExitCodes.Ok;
        });
    }

    public static Command Charge()
    {
        var account = new Option<string>("--account", "-a") { Description = "The billing account to charge, ba_...", Required = true };
        var reference = new Option<string>("--reference") { Description = "What is charged (a daily bill id), 1 to 128 characters; a retry with the same reference changes nothing", Required = true };
        var lines = new Option<ChargeLine[]>("--line")
        {
            Description = "An item and its amount, e.g. logs=12.34 or time_series=3.60 (repeat for more items)",
            Required = true,
            Arity = ArgumentArity.OneOrMore,
            CustomParser = result =>
            {
                var parsed = new List<ChargeLine>();
                foreach (var token in result.Tokens)
                {
                    var parts = token.Value.Split('=', 2, StringSplitOptions.TrimEntries);
                    if (parts.Length != 2 || parts[0].Length == 0)
                    {
                        result.AddError($"--line: '{token.Value}' is not item=amount (e.g. logs=12.34).");
                        return [];
                    }
                    if (!Amounts.TryParsePositive(parts[1], out var money, out var error))
                    {
                        result.AddError($"--line {parts[0]}: {error}");
                        return [];
                    }
                    parsed.Add(new ChargeLine { ItemCode = parts[0].Replace('-', '_').ToLowerInvariant(), Amount = money });
                }
                return parsed.ToArray();
            },
        };
        var mode = new Option<string>("--mode") { Description = "wallet (then cash, then arrears) or cloud (the rest to the cloud account)", DefaultValueFactory = _ => CliEnum.Name(ChargeMode.Wallet) };
        CliEnum.AcceptOnly(mode, CliEnum.Names<ChargeMode>());
        var description = new Option<string?>("--description") { Description = "Free text, at most 256 characters" };
        var command = new Command("charge", "Charge usage through the charge engine that daily settlement uses: vouchers, cards, then cash or arrears (operator; idempotent by --reference)")
        {
            account, reference, lines, mode, description,
        };
        command.WithConfirmation();
        return command.Handle(async (context, cancellationToken) =>
        {
            var request = new ChargeRequest
            {
                BillingAccountId = context.Get(account)!,
                Reference = context.Get(reference)!,
                Mode = CliEnum.Parse<ChargeMode>(context.Get(mode)!),
                Description = context.Get(description) ?? "",
            };
            request.Lines.AddRange(context.Get(lines)!);
            var total = request.Lines.Sum(l => l.Amount.ToDecimal());
            if (!Confirmation.Confirm(context, $"Charge {MoneyAmounts.FromDecimal(total).Format()} to {request.BillingAccountId} for {request.Reference}?"))
            {
                context.Output.Note("Nothing done.");
                return ExitCodes.Ok;
            }
            var response = await context.BillingClient.BillingAccounts.ChargeAsync(request, cancellationToken: cancellationToken);
            context.Output.Result(response, () =>
            {
                if (response.Replayed)
                {
                    context.Output.Note($"Replayed: {request.Reference} was charged before; nothing changed now.");
                }
                var result = response.Result;
                context.Output.Fields(
                    ("Transaction", result.TransactionId),
                    ("Reference", result.Reference),
                    ("Total", Display.Money(result.Total)),
                    ("Added arrears", Display.Money(result.AddedArrears)),
                    ("To the cloud", Display.Money(result.CloudAmount)));
                context.Output.Table(["ITEM", "PAID BY", "LOT", "AMOUNT"],
                    result.Allocations.Select(a => new[] { a.ItemCode, Display.Enum(a.Source), a.LotId, Display.Money(a.Amount) }), "", right: [3]);
                WalletCommands.ShowWallet(context, response.Wallet);
            });
            return ExitCodes.Ok;
        });
    }

    public static Command RunExpiry()
    {
        var command = new Command("run-expiry", "Run the due card and voucher expiries and expiry notices now (operator; the host's job does it every minute)");
        return command.Handle(async (context, cancellationToken) =>
        {
            var response = await context.BillingClient.BillingAccounts.RunExpiryAsync(new RunExpiryRequest(), cancellationToken: cancellationToken);
            context.Output.Result(response, () => context.Output.Fields(
                ("Card notices", Count(response.CardNotices)),
                ("Cards expired", Count(response.CardsExpired)),
                ("Vouchers expired", Count(response.VouchersExpired)),
                ("Cleared", Display.Money(response.Cleared))));
            return ExitCodes.Ok;
        });
    }

    private static string Count(long count) => count.ToString("N0", CultureInfo.InvariantCulture);
}
