using System.CommandLine;
using Guance.Billing.Cli.Commands.Billing;
using Guance.Billing.Cli.Infrastructure;
using Guance.Billing.Client;
using Guance.Billing.V1;

namespace Guance.Billing.Cli.Commands.Invoices;

/// <summary>
/// invoices: a billing account's invoice information and mailing addresses, what it may invoice,
/// its requests; and the operator's desk (issue, reject, mail, reverse, verify). Calls with the
/// billing-center session of 'billing login' when one is saved, else the given token.
/// </summary>
public sealed class InvoiceCommands : ICommandGroup
{
    public int Order => 65;

    public IEnumerable<Command> Build() =>
    [
        new Command("invoices", "Invoices (fapiao): information, addresses, sources, requests, and the operator's desk")
        {
            InvoiceProfileCommands.Info(), InvoiceProfileCommands.Address(), Sources(), Request(), Cancel(), List(), Get(),
            InvoiceDeskCommands.Issue(), InvoiceDeskCommands.Reject(), InvoiceDeskCommands.Mail(), InvoiceDeskCommands.Reverse(),
            Download(), InvoiceDeskCommands.Verify(),
        },
    ];

    private static Command Sources()
    {
        var account = BillingAccountCommands.Account();
        var command = new Command("sources", "What the account may invoice: monthly bills (their cash part) and prepaid card purchases") { account };
        command.WithPaging();
        return command.Handle(async (context, cancellationToken) =>
        {
            var accountId = context.BillingAccountId(account);
            var response = await Pages.ReadAsync(context,
                (size, token) => context.BillingClient.Invoices.ListInvoiceableSourcesAsync(new ListInvoiceableSourcesRequest
                {
                    BillingAccountId = accountId, PageSize = size, PageToken = token,
                }, cancellationToken: cancellationToken).ResponseAsync,
                r => r.Sources, r => r.NextPageToken, (r, next) => r.NextPageToken = next, "sources");
            context.Output.Result(response, () => context.Output.Table(
                ["SOURCE ID", "KIND", "MONTH", "INVOICEABLE", "PENDING", "INVOICED", "REMAINING"],
                response.Sources.Select(s => new[]
                {
                    s.SourceId, Display.Enum(s.Kind), s.Year == 0 ? "" : $"{s.Year:D4}-{s.Month:D2}",
                    Display.Money(s.Invoiceable), Display.Money(s.Pending), Display.Money(s.Invoiced), Display.Money(s.Remaining),
                }),
                "Nothing to invoice.", right: [3, 4, 5, 6]));
            return ExitCodes.Ok;
        });
    }

    private static Command Request()
    {
        var account = BillingAccountCommands.Account();
        var info = new Option<string>("--info") { Description = "The invoice information, ii_...", Required = true };
        var address = new Option<string?>("--address") { Description = "The mailing address of a paper invoice, ma_..." };
        var email = new Option<string?>("--email") { Description = "Where an electronic invoice goes" };
        var sources = new Option<InvoiceSourceSelection[]>("--source")
        {
            Description = "A source, mb_... or card_..., with =amount for part of it (e.g. mb_...=120.50); without, its whole remaining balance (repeat for more)",
            Required = true,
            Arity = ArgumentArity.OneOrMore,
            CustomParser = result =>
            {
                var parsed = new List<InvoiceSourceSelection>();
                foreach (var token in result.Tokens)
                {
                    var parts = token.Value.Split('=', 2, StringSplitOptions.TrimEntries);
                    var selection = new InvoiceSourceSelection { SourceId = parts[0] };
                    if (parts.Length == 2)
                    {
                        if (!Amounts.TryParsePositive(parts[1], out var money, out var error))
                        {
                            result.AddError($"--source: {error}");
                            return [];
                        }
                        selection.Amount = money;
                    }
                    parsed.Add(selection);
                }
                return parsed.ToArray();
            },
        };
        var requestId = RequestIds.Option();
        var command = new Command("request", "Request an invoice over sources (idempotent by --request-id)") { account, info, address, email, sources, requestId };
        return command.Handle(async (context, cancellationToken) =>
        {
            var request = new RequestInvoiceRequest
            {
                BillingAccountId = context.BillingAccountId(account),
                InvoiceInfoId = context.Get(info)!,
                MailingAddressId = context.Get(address) ?? "",
                Email = context.Get(email) ?? "",
            };
            request.Sources.Add(context.Get(sources)!);
            request.RequestId = RequestIds.Resolve(context, requestId, "invoice request");
            var response = await context.BillingClient.Invoices.RequestInvoiceAsync(request, cancellationToken: cancellationToken);
            context.Output.Result(response, () => Show(context, response.Invoice));
            return ExitCodes.Ok;
        });
    }

    private static Command Cancel()
    {
        var id = InvoiceId();
        var requestId = RequestIds.Option();
        var command = new Command("cancel", "Cancel a request while it is requested; the amount returns to its sources") { id, requestId };
        return command.Handle(async (context, cancellationToken) =>
        {
            var response = await context.BillingClient.Invoices.CancelInvoiceRequestAsync(new CancelInvoiceRequestRequest
            {
                InvoiceId = context.Get(id)!, RequestId = RequestIds.Resolve(context, requestId, "cancellation"),
            }, cancellationToken: cancellationToken);
            context.Output.Result(response, () => Show(context, response.Invoice));
            return ExitCodes.Ok;
        });
    }

    private static Command List()
    {
        var account = BillingAccountCommands.Account();
        var states = new Option<string[]>("--state")
        {
            Description = "Only these states: " + string.Join(", ", CliEnum.Names<InvoiceState>()),
            Arity = ArgumentArity.OneOrMore, AllowMultipleArgumentsPerToken = true,
        };
        CliEnum.AcceptOnly(states, CliEnum.Names<InvoiceState>());
        var command = new Command("list", "List the account's invoices, newest first") { account, states };
        command.WithPaging();
        return command.Handle(async (context, cancellationToken) =>
        {
            var accountId = context.BillingAccountId(account);
            var filter = (context.Get(states) ?? []).Select(CliEnum.Parse<InvoiceState>).ToList();
            var response = await Pages.ReadAsync(context,
                (size, token) =>
                {
                    var request = new ListInvoicesRequest { BillingAccountId = accountId, PageSize = size, PageToken = token };
                    request.States.Add(filter);
                    return context.BillingClient.Invoices.ListInvoicesAsync(request, cancellationToken: cancellationToken).ResponseAsync;
                },
                r => r.Invoices, r => r.NextPageToken, (r, next) => r.NextPageToken = next, "invoices");
            context.Output.Result(response, () => Table(context, response.Invoices));
            return ExitCodes.Ok;
        });
    }

    private static Command Get()
    {
        var id = InvoiceId();
        var command = new Command("get", "Show an invoice with its lines") { id };
        return command.Handle(async (context, cancellationToken) =>
        {
            var response = await context.BillingClient.Invoices.GetInvoiceAsync(new GetInvoiceRequest { InvoiceId = context.Get(id)! }, cancellationToken: cancellationToken);
            context.Output.Result(response, () => Show(context, response.Invoice));
            return ExitCodes.Ok;
        });
    }

    private static Command Download()
    {
        var id = InvoiceId();
        var file = new Option<FileInfo>("--file", "-f") { Description = "Where to write the PDF", Required = true };
        var command = new Command("download", "Download an issued electronic invoice's PDF") { id, file };
        return command.Handle(async (context, cancellationToken) =>
        {
            var target = context.Get(file)!;
            using var call = context.BillingClient.Invoices.GetInvoiceDocument(new GetInvoiceDocumentRequest { InvoiceId = context.Get(id)! }, cancellationToken: cancellationToken);
            // Written to a temporary file first, so that a failed download leaves no partial PDF behind.
            var partial = target.FullName + ".partial";
            long bytes = 0;
            await using (var output = File.Create(partial))
            {
                while (await call.ResponseStream.MoveNext(cancellationToken))
                {
                    var data = call.ResponseStream.Current.Data;
                    await output.WriteAsync(data.Memory, cancellationToken);
                    bytes += data.Length;
                }
            }
            File.Move(partial, target.FullName, overwrite: true);
            context.Output.Line($"Wrote {bytes.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)} bytes to {target.FullName}.");
            return ExitCodes.Ok;
        });
    }

    internal static Argument<string> InvoiceId() => new("invoice-id") { Description = "The invoice, inv_..." };

    internal static void Show(CliContext context, Invoice invoice)
    {
        context.Output.Fields(
            ("Invoice", invoice.InvoiceId),
            ("State", Display.Enum(invoice.State)),
            ("Type", Display.Enum(invoice.Type)),
            ("Amount", Display.Money(invoice.Amount)),
            ("Title", invoice.Title),
            ("Taxpayer id", invoice.TaxpayerId),
            ("Deliver to", invoice.MailingAddressId.Length > 0 ? $"{invoice.Recipient}, {invoice.Address}" : invoice.Email),
            ("Number", invoice.InvoiceNumber),
            ("Issued", Display.Day(invoice.IssueDate)),
            ("Mailed", invoice.Carrier.Length > 0 ? $"{invoice.Carrier} {invoice.TrackingNumber}" : ""),
            ("Request id", invoice.RequestId));
        context.Output.Table(["SOURCE ID", "KIND", "AMOUNT"],
            invoice.Lines.Select(l => new[] { l.SourceId, Display.Enum(l.Kind), Display.Money(l.Amount) }), "", right: [2]);
    }

    private static void Table(CliContext context, IEnumerable<Invoice> invoices) =>
        context.Output.Table(
            ["INVOICE ID", "STATE", "TYPE", "AMOUNT", "NUMBER", "REQUESTED"],
            invoices.Select(i => new[] { i.InvoiceId, Display.Enum(i.State), Display.Enum(i.Type), Display.Money(i.Amount), i.InvoiceNumber, Display.Time(i.RequestTime) }),
            "No invoices.", right: [3]);
}
