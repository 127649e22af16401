using System.CommandLine;
using Google.Protobuf;
using Guance.Billing.Cli.Infrastructure;
using Guance.Billing.V1;

namespace Guance.Billing.Cli.Commands.Invoices;

/// <summary>invoices issue/reject/mail/reverse/verify: the operator's desk.</summary>
public static class InvoiceDeskCommands
{
    public static Command Issue()
    {
        var id = InvoiceCommands.InvoiceId();
        var number = new Option<string>("--number") { Description = "The invoice number", Required = true };
        var date = BillingDays.Option("--date", "The date on the invoice");
        var document = new Option<FileInfo?>("--document") { Description = "The PDF of an electronic invoice (at most 10 MB)" };
        var requestId = RequestIds.Option();
        var command = new Command("issue", "Issue a requested invoice (operator; idempotent by --request-id)") { id, number, date, document, requestId };
        return command.Handle(async (context, cancellationToken) =>
        {
            var request = new IssueInvoiceRequest { InvoiceId = context.Get(id)!, InvoiceNumber = context.Get(number)!, IssueDate = context.Get(date) };
            if (context.Get(document) is { } file)
            {
                if (!file.Exists)
                {
                    throw new CommandLineException($"--document: {file.FullName} does not exist.");
                }
                request.Document = ByteString.CopyFrom(await File.ReadAllBytesAsync(file.FullName, cancellationToken));
            }
            request.RequestId = RequestIds.Resolve(context, requestId, "issue");
            var response = await context.BillingClient.Invoices.IssueInvoiceAsync(request, cancellationToken: cancellationToken);
            context.Output.Result(response, () => InvoiceCommands.Show(context, response.Invoice));
            return ExitCodes.Ok;
        });
    }

    public static Command Reject()
    {
        var id = InvoiceCommands.InvoiceId();
        var reason = new Option<string>("--reason") { Description = "Why, for the account", Required = true };
        var requestId = RequestIds.Option();
        var command = new Command("reject", "Reject a requested invoice; the amount returns to its sources (operator)") { id, reason, requestId };
        return command.Handle(async (context, cancellationToken) =>
        {
            var response = await context.BillingClient.Invoices.RejectInvoiceRequestAsync(new RejectInvoiceRequestRequest
            {
                InvoiceId = context.Get(id)!, Reason = context.Get(reason)!, RequestId = RequestIds.Resolve(context, requestId, "rejection"),
            }, cancellationToken: cancellationToken);
            context.Output.Result(response, () => InvoiceCommands.Show(context, response.Invoice));
            return ExitCodes.Ok;
        });
    }

    public static Command Mail()
    {
        var id = InvoiceCommands.InvoiceId();
        var carrier = new Option<string>("--carrier") { Description = "The carrier", Required = true };
        var tracking = new Option<string>("--tracking-number") { Description = "The tracking number", Required = true };
        var requestId = RequestIds.Option();
        var command = new Command("mail", "Record that an issued paper invoice was mailed (operator)") { id, carrier, tracking, requestId };
        return command.Handle(async (context, cancellationToken) =>
        {
            var response = await context.BillingClient.Invoices.MarkInvoiceMailedAsync(new MarkInvoiceMailedRequest
            {
                InvoiceId = context.Get(id)!, Carrier = context.Get(carrier)!, TrackingNumber = context.Get(tracking)!,
                RequestId = RequestIds.Resolve(context, requestId, "mailing"),
            }, cancellationToken: cancellationToken);
            context.Output.Result(response, () => InvoiceCommands.Show(context, response.Invoice));
            return ExitCodes.Ok;
        });
    }

    public static Command Reverse()
    {
        var id = InvoiceCommands.InvoiceId();
        var number = new Option<string>("--red-letter-number") { Description = "The red-letter invoice's number", Required = true };
        var reason = new Option<string>("--reason") { Description = "Why", Required = true };
        var requestId = RequestIds.Option();
        var command = new Command("reverse", "Reverse an issued invoice with a red-letter invoice; the amount returns to its sources (operator)") { id, number, reason, requestId };
        return command.Handle(async (context, cancellationToken) =>
        {
            var response = await context.BillingClient.Invoices.ReverseInvoiceAsync(new ReverseInvoiceRequest
            {
                InvoiceId = context.Get(id)!, RedLetterNumber = context.Get(number)!, Reason = context.Get(reason)!,
                RequestId = RequestIds.Resolve(context, requestId, "reversal"),
            }, cancellationToken: cancellationToken);
            context.Output.Result(response, () => InvoiceCommands.Show(context, response.Invoice));
            return ExitCodes.Ok;
        });
    }

    public static Command Verify()
    {
        var account = new Option<string?>("--account", "-a") { Description = "Only this billing account (default: every account with invoices)" };
        var command = new Command("verify", "Check every source's invoiced amount against its invoices and the ledger (operator); exit 10 when something is wrong") { account };
        return command.Handle(async (context, cancellationToken) =>
        {
            var response = await context.BillingClient.Invoices.VerifyInvoicesAsync(new VerifyInvoicesRequest { BillingAccountId = context.Get(account) ?? "" },
                cancellationToken: cancellationToken);
            context.Output.Result(response, () =>
            {
                context.Output.Fields(("Invoices", response.Clean ? "clean" : $"{response.Problems.Count} problem(s)"));
                if (!response.Clean)
                {
                    context.Output.Table(["PROBLEM", "SUBJECT", "DESCRIPTION"], response.Problems.Select(p => new[] { Display.Enum(p.Kind), p.Subject, p.Description }), "");
                }
            });
            if (!response.Clean)
            {
                context.Environment.Error.WriteLine($"error: the invoices have {response.Problems.Count} problem(s) (INVOICES_NOT_CLEAN)");
                return ExitCodes.CheckFailed;
            }
            return ExitCodes.Ok;
        });
    }
}
