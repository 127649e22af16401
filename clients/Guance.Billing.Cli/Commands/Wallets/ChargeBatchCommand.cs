using System.CommandLine;
using System.Globalization;
using Google.Protobuf;
using Grpc.Core;
using Guance.Billing.Cli.Infrastructure;
using Guance.Billing.Client;
using Guance.Billing.V1;

namespace Guance.Billing.Cli.Commands.Wallets;

/// <summary>
/// wallet charge-batch: many charges in one ChargeBatch call, read from a JSON file (the request as
/// buf curl takes it); one row per charge; exits with the code of the first refused charge.
/// </summary>
public static class ChargeBatchCommand
{
    public static Command Build()
    {
        var file = new Option<string>("--file", "-f")
        {
            Description = "The batch as JSON, {\"charges\":[{\"billing_account_id\":\"ba_...\",\"reference\":\"...\",\"lines\":[{\"item_code\":\"logs\",\"amount\":{\"currency_code\":\"CNY\",\"units\":\"12\"}}]}, ...]} (1 to 1,000 charges); '-' reads standard input",
            Required = true,
        };
        var command = new Command("charge-batch", "Charge many accounts in one call (operator): each charge as 'wallet charge' would, idempotent by its reference; a retry of the same file changes nothing") { file };
        command.WithConfirmation();
        return command.Handle(async (context, cancellationToken) =>
        {
            var request = Read(context, context.Get(file)!);
            var total = request.Charges.SelectMany(c => c.Lines).Sum(l => l.Amount.ToDecimal());
            if (!Confirmation.Confirm(context, $"Charge {Count(request.Charges.Count)} charge(s), {MoneyAmounts.FromDecimal(total).Format()} in all?"))
            {
                context.Output.Note("Nothing done.");
                return ExitCodes.Ok;
            }
            var response = await context.BillingClient.BillingAccounts.ChargeBatchAsync(request, cancellationToken: cancellationToken);
            context.Output.Result(response, () => context.Output.Table(["#", "ACCOUNT", "REFERENCE", "OUTCOME", "TOTAL", "ADDED ARREARS", "DETAIL"],
                response.Outcomes.Select((o, i) => Row(i, request.Charges[i], o)), "", right: [0, 4, 5]));
            var refused = response.Outcomes.Select((o, i) => (Index: i, o.Refused)).Where(o => o.Refused is not null).ToList();
            if (refused.Count == 0)
            {
                return ExitCodes.Ok;
            }
            var (index, first) = refused[0];
            context.Environment.Error.WriteLine($"error: {Count(refused.Count)} of {Count(response.Outcomes.Count)} charge(s) refused; the first, #{Count(index + 1)}: {first!.Message} ({first.Reason})");
            return ExitCodes.For((StatusCode)first.Code);
        });
    }

    private static ChargeBatchRequest Read(CliContext context, string path)
    {
        // A file that cannot be read is a failure of its own (exit 1), not a usage error.
        var text = path == "-" ? context.Environment.In.ReadToEnd() : File.ReadAllText(path);
        try
        {
            // The JSON itself first: System.Text.Json says where it breaks, protobuf's parser only in which state.
            using var _ = System.Text.Json.JsonDocument.Parse(text);
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new CommandLineException($"{path}: not valid JSON at line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1} of the line (cut short, or a stray character).");
        }
        try
        {
            return JsonParser.Default.Parse<ChargeBatchRequest>(text);
        }
        catch (Exception e) when (e is InvalidProtocolBufferException or InvalidJsonException)
        {
            throw new CommandLineException($"{path}: not a ChargeBatch request in JSON: {e.Message}");
        }
    }

    /// <summary>A charge's row, numbered from 1 in the order of the file, as a person counts.</summary>
    private static string[] Row(int index, ChargeRequest charge, ChargeBatchOutcome outcome) => outcome.Charged is { } charged
        ? [Count(index + 1), charge.BillingAccountId, charge.Reference, charged.Replayed ? "replayed" : "charged",
            Display.Money(charged.Result.Total), Display.Money(charged.Result.AddedArrears), charged.Result.TransactionId]
        : [Count(index + 1), charge.BillingAccountId, charge.Reference, "refused", "", "", $"{outcome.Refused.Reason}: {outcome.Refused.Message}"];

    private static string Count(long count) => count.ToString("N0", CultureInfo.InvariantCulture);
}
