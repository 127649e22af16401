using System.CommandLine;
using Grpc.Core;
using Guance.Billing.Cli.Commands.Billing;
using Guance.Billing.Cli.Infrastructure;
using Guance.Billing.V1;

namespace Guance.Billing.Cli.Commands.Settlement;

/// <summary>
/// settlement monthly: a billing account's monthly bills (its session, or the operator): list, show
/// one with its workspaces and items, export it as CSV to a file (streamed, with progress), and the
/// operator's generation of a month.
/// </summary>
public static class MonthlyBillCommands
{
    public static Command Build() =>
        new("monthly", "Monthly bills of a billing account: list, show, export (CSV to a file); generate (operator)")
        {
            List(), Show(), Export(), Generate(),
        };

    private static Argument<string> BillId() => new("monthly-bill-id") { Description = "The monthly bill, mb_... (from 'settlement monthly list')" };

    private static Command List()
    {
        var account = BillingAccountCommands.Account();
        var command = new Command("list", "The monthly bills of a billing account, newest month first") { account };
        command.WithPaging();
        return command.Handle(async (context, cancellationToken) =>
        {
            var accountId = context.BillingAccountId(account);
            var response = await Pages.ReadAsync(context,
                (size, token) => context.BillingClient.MonthlyBills.ListMonthlyBillsAsync(new ListMonthlyBillsRequest
                {
                    BillingAccountId = accountId, PageSize = size, PageToken = token,
                }, cancellationToken: cancellationToken).ResponseAsync,
                r => r.MonthlyBills, r => r.NextPageToken, (r, next) => r.NextPageToken = next, "monthly bills");
            context.Output.Result(response, () => context.Output.Table(
                ["BILL", "MONTH", "WORKSPACES", "DAILY BILLS", "TOTAL", "VOUCHERS", "CARDS", "CASH", "ARREARS", "CLOUD", "GENERATED"],
                response.MonthlyBills.Select(b => new[]
                {
                    b.MonthlyBillId, Month(b), Display.Quantity(b.WorkspaceCount), Display.Quantity(b.DailyBills), Display.Money(b.Total),
                    Display.Money(b.Payments.PaidByVouchers), Display.Money(b.Payments.PaidByPrepaidCards), Display.Money(b.Payments.PaidByCash),
                    Display.Money(b.Payments.Arrears), Display.Money(b.Payments.CloudAmount), Display.Time(b.GenerateTime),
                }),
                "No monthly bills yet (they are generated from the 3rd of the next month).", right: [2, 3, 4, 5, 6, 7, 8, 9]));
            return ExitCodes.Ok;
        });
    }

    private static Command Show()
    {
        var id = BillId();
        var command = new Command("show", "One monthly bill: per workspace its total and what paid it, per item its amount") { id };
        return command.Handle(async (context, cancellationToken) =>
        {
            var response = await context.BillingClient.MonthlyBills.GetMonthlyBillAsync(
                new GetMonthlyBillRequest { MonthlyBillId = context.Get(id)! }, cancellationToken: cancellationToken);
            var bill = response.MonthlyBill;
            context.Output.Result(response, () =>
            {
                context.Output.Line($"Monthly bill {bill.MonthlyBillId} of {bill.BillingAccountId} for {Month(bill)}: {Display.Money(bill.Total)}");
                context.Output.Table(
                    ["WORKSPACE", "SITE", "DAYS", "ITEM", "AMOUNT"],
                    bill.Workspaces.SelectMany(w => w.Items.Select((item, i) => new[]
                    {
                        i == 0 ? Display.Workspace(w.WorkspaceName, w.WorkspaceId) : "", i == 0 ? w.SiteCode : "", i == 0 ? Display.Quantity(w.Days) : "",
                        Display.Enum(item.Item), Display.Money(item.Amount),
                    }).Append([w.Items.Count == 0 ? Display.Workspace(w.WorkspaceName, w.WorkspaceId) : "", "", "", "total", Display.Money(w.Total)])),
                    "No workspace was billed in this month.", right: [2, 4]);
                context.Output.Line("");
                context.Output.Table(
                    ["WORKSPACE", "WORKSPACE ID", "TOTAL", "VOUCHERS", "CARDS", "CASH", "ARREARS", "CLOUD"],
                    bill.Workspaces.Select(w => new[]
                    {
                        w.WorkspaceName, w.WorkspaceId, Display.Money(w.Total), Display.Money(w.Payments.PaidByVouchers), Display.Money(w.Payments.PaidByPrepaidCards),
                        Display.Money(w.Payments.PaidByCash), Display.Money(w.Payments.Arrears), Display.Money(w.Payments.CloudAmount),
                    }),
                    "", right: [2, 3, 4, 5, 6, 7]);
            });
            return ExitCodes.Ok;
        });
    }

    private static Command Export()
    {
        var id = BillId();
        var file = new Option<FileInfo>("--file", "-f")
        {
            Description = "Where to write the CSV (UTF-8); replaced only when the whole export arrived; '-' writes it to standard output",
            Required = true,
        };
        var command = new Command("export", "Export a monthly bill as CSV (a row per workspace, day and item) to a file or standard output, streamed, with progress") { id, file };
        return command.Handle(async (context, cancellationToken) =>
        {
            var target = context.Get(file)!;
            var request = new ExportMonthlyBillRequest { MonthlyBillId = context.Get(id)! };
            if (target.ToString() == "-")
            {
                // The CSV is the output, its bytes as the host sent them: its count goes to standard error, and no JSON result follows it.
                await context.Environment.Out.FlushAsync(cancellationToken);
                await using var output = context.Environment.OpenOut();
                var (written, _) = await CopyAsync(context, request, output.Write, cancellationToken);
                await output.FlushAsync(cancellationToken);
                context.Output.Note($"Wrote a header and {written:N0} rows to standard output");
                return ExitCodes.Ok;
            }
            if (target.Directory is { Exists: false } folder)
            {
                throw new CommandLineException($"--file: the folder {folder.FullName} does not exist.");
            }
            // Written beside the target and moved over it at the end: a failed export leaves no half file.
            var partial = target.FullName + ".partial";
            long rows;
            long size;
            try
            {
                await using (var output = File.Create(partial))
                {
                    (rows, size) = await CopyAsync(context, request, output.Write, cancellationToken);
                }
                File.Move(partial, target.FullName, overwrite: true);
            }
            finally
            {
                File.Delete(partial); // nothing there after the move; a failed export's part otherwise
            }
            var result = new Google.Protobuf.WellKnownTypes.Struct();
            result.Fields["file"] = Google.Protobuf.WellKnownTypes.Value.ForString(target.FullName);
            result.Fields["rows"] = Google.Protobuf.WellKnownTypes.Value.ForNumber(rows);
            result.Fields["bytes"] = Google.Protobuf.WellKnownTypes.Value.ForNumber(size);
            context.Output.Result(result, () => context.Output.Line($"Wrote a header and {rows:N0} rows ({size:N0} bytes) to {target.FullName}"));
            return ExitCodes.Ok;
        });
    }

    /// <summary>The export's chunks handed to <paramref name="write"/> as they arrive, with progress; its rows (the header not counted) and bytes.</summary>
    private static async Task<(long Rows, long Bytes)> CopyAsync(
        CliContext context, ExportMonthlyBillRequest request, Action<ReadOnlySpan<byte>> write, CancellationToken cancellationToken)
    {
        long rows = 0;
        long bytes = 0;
        using var call = context.BillingClient.MonthlyBills.ExportMonthlyBill(request, cancellationToken: cancellationToken);
        await ProgressDisplay.RunAsync(context, "Exporting the monthly bill", total: null, async progress =>
        {
            await foreach (var chunk in call.ResponseStream.ReadAllAsync(cancellationToken))
            {
                write(chunk.Data.Span);
                rows += chunk.Rows;
                bytes += chunk.Data.Length;
                progress.Report(rows, $"Exporting the monthly bill: {rows:N0} rows");
            }
            return rows;
        });
        return (Math.Max(0, rows - 1), bytes); // the host counts the header row too
    }

    private static Command Generate()
    {
        var month = BillingDays.MonthOption("--month", "The month to bill, e.g. 2026-11 (it must have ended)");
        month.Required = true;
        var command = new Command("generate", "Generate the monthly bills of a month for every billing account whose days are settled; idempotent (operator)") { month };
        return command.Handle(async (context, cancellationToken) =>
        {
            var (year, monthNumber) = context.Get(month)!.Value;
            var response = await context.Client.MonthlyBills.GenerateMonthlyBillsAsync(
                new GenerateMonthlyBillsRequest { Year = year, Month = monthNumber }, cancellationToken: cancellationToken);
            context.Output.Result(response, () => context.Output.Line(
                $"{year:0000}-{monthNumber:00}: {response.Generated:N0} generated, {response.Existing:N0} existed already, {response.Waiting:N0} accounts wait for unsettled days"));
            return ExitCodes.Ok;
        });
    }

    private static string Month(MonthlyBill bill) => $"{bill.Year:0000}-{bill.Month:00}";
}
