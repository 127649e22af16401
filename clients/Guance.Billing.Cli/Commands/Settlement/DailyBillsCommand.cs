using System.CommandLine;
using Guance.Billing.Cli.Commands.Billing;
using Guance.Billing.Cli.Infrastructure;
using Guance.Billing.V1;

namespace Guance.Billing.Cli.Commands.Settlement;

/// <summary>
/// settlement bills: the daily bills of a month, of a workspace (Owner, Administrator) or of a
/// billing account (its session): a row per item line with quantity, units, unit price and amount,
/// a total row per bill, then how each bill was paid.
/// </summary>
public static class DailyBillsCommand
{
    public static Command Build()
    {
        var workspace = new Option<string?>("--workspace", "-w") { Description = "The workspace whose bills to list, ws_..." };
        var account = BillingAccountCommands.Account();
        account.Description = "Or the billing account whose bills to list, ba_... (default with 'billing login': your own)";
        var month = BillingDays.MonthOption("--month", "The month (default: this month, UTC)");
        var command = new Command("bills", "The daily bills of a month with their lines: a workspace's (--workspace) or a billing account's (--account)")
        {
            workspace, account, month,
        };
        command.AddCheck(result =>
        {
            if (result.GetResult(workspace) is not null && result.GetResult(account) is not null)
            {
                result.AddError("Give --workspace or --account, not both.");
            }
        });
        command.WithPaging();
        return command.Handle(async (context, cancellationToken) =>
        {
            var (year, monthNumber) = context.Get(month) ?? (DateTimeOffset.UtcNow.Year, DateTimeOffset.UtcNow.Month);
            var request = new ListDailyBillsRequest { Year = year, Month = monthNumber };
            var client = context.Client;
            if (context.Get(workspace) is { Length: > 0 } workspaceId)
            {
                request.WorkspaceId = workspaceId;
            }
            else
            {
                client = context.BillingClient;
                request.BillingAccountId = context.BillingAccountId(account);
            }
            var response = await Pages.ReadAsync(context,
                (size, token) =>
                {
                    var page = request.Clone();
                    page.PageSize = size;
                    page.PageToken = token;
                    return client.Settlement.ListDailyBillsAsync(page, cancellationToken: cancellationToken).ResponseAsync;
                },
                r => r.DailyBills, r => r.NextPageToken, (r, next) => r.NextPageToken = next, "daily bills");
            context.Output.Result(response, () =>
            {
                Lines(context, response.DailyBills);
                if (response.DailyBills.Count > 0)
                {
                    context.Output.Line("");
                    Payments(context, response.DailyBills);
                }
                context.Output.Line($"Month total {year:0000}-{monthNumber:00}: {Display.Money(response.MonthTotal)}");
            });
            return ExitCodes.Ok;
        });
    }

    private static void Lines(CliContext context, IEnumerable<DailyBill> bills) =>
        context.Output.Table(
            ["DAY", "WORKSPACE", "ITEM", "QUANTITY", "UNITS", "UNIT PRICE", "PER", "RETENTION", "AMOUNT"],
            bills.SelectMany(bill => bill.Lines
                .Select((line, i) => new[]
                {
                    i == 0 ? Display.Day(bill.Day) : "", i == 0 ? Display.Workspace(bill.WorkspaceName, bill.WorkspaceId) : "",
                    Display.Enum(line.Item), Display.Quantity(line.Quantity), line.Units, Display.Money(line.UnitPrice),
                    Display.Quantity(line.PriceUnit), Display.Days(line.RetentionDays), Display.Money(line.Amount),
                })
                .Append(
                [
                    bill.Lines.Count == 0 ? Display.Day(bill.Day) : "", bill.Lines.Count == 0 ? Display.Workspace(bill.WorkspaceName, bill.WorkspaceId) : "",
                    "total", "", "", "", "", "", Display.Money(bill.Total),
                ])),
            "No daily bills in this month.", right: [3, 4, 5, 6, 8]);

    private static void Payments(CliContext context, IEnumerable<DailyBill> bills) =>
        context.Output.Table(
            ["DAY", "WORKSPACE", "WORKSPACE ID", "BILL", "STATUS", "METHOD", "TOTAL", "VOUCHERS", "CARDS", "CASH", "ARREARS", "CLOUD"],
            bills.Select(b => new[]
            {
                Display.Day(b.Day), b.WorkspaceName, b.WorkspaceId, b.DailyBillId, Display.Enum(b.Status), Display.Enum(b.Method), Display.Money(b.Total),
                Display.Money(b.PaidByVouchers), Display.Money(b.PaidByPrepaidCards), Display.Money(b.PaidByCash), Display.Money(b.Arrears), Display.Money(b.CloudAmount),
            }),
            "", right: [6, 7, 8, 9, 10, 11]);
}
