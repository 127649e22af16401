using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Guance.Billing.Data;
using Guance.Billing.Identity;
using Guance.Billing.Usage;
using Microsoft.EntityFrameworkCore;

namespace Guance.Billing.MonthlyBills;

/// <summary>A piece of a CSV export: whole rows, UTF-8.</summary>
public sealed record CsvChunk(ReadOnlyMemory<byte> Data, int Rows);

/// <summary>
/// A monthly bill as CSV: a header row, then one row per workspace, day and item of the daily bills
/// the bill sums (the account's bills of the month), by workspace, day and item. Read from the
/// database a page at a time (keyset over the workspaces of the bill, then over (day, item) of one
/// workspace, along the unique index of daily bills), so that memory stays the same whatever the
/// size of the bill. Amounts are exact: cents with two decimals, unit prices in CNY to the micro. Then two columns
/// name the workspace (as it is called now, as GetMonthlyBill does) and the item for people, and the last two say how
/// the amount comes about: units are the quantity over the price unit, the amount units times the unit price, in the
/// currency (CNY: every price and balance is in yuan). A name that holds a
/// comma, a quote or a line break is quoted as RFC 4180 does (rows end in a line feed), one that a spreadsheet would
/// take for a formula begins with an apostrophe.
/// </summary>
public sealed class MonthlyBillCsv(BillingDbContext db, MonthlyBillManager bills)
{
    public const string Header = "workspace_id,site_code,billing_day,item,quantity,units,unit_price,amount,daily_bill_id,workspace_name,item_name,price_unit,currency";

    private const int WorkspacesPerPage = 100;
    private const int RowsPerPage = 1000;
    private const int ChunkBytes = 64 * 1024;

    private const string RowsSql = """
        SELECT d.billing_day, l.item, l.quantity, l.units_hundredths, l.unit_price_micros, l.amount, d.id
        FROM daily_bills d
        JOIN daily_bill_lines l ON l.daily_bill_id = d.id
        WHERE d.workspace_id = @workspace AND d.billing_account_id = @account AND d.billing_day >= @first AND d.billing_day < @next
            AND (d.billing_day > @day OR (d.billing_day = @day AND l.item > @item))
        ORDER BY d.billing_day, l.item
        LIMIT @limit
        """;

    /// <summary>Checks the caller and the bill first (errors before any data), then streams the chunks.</summary>
    public async Task<IAsyncEnumerable<CsvChunk>> ExportAsync(Caller caller, string monthlyBillId, CancellationToken cancellationToken)
    {
        var bill = await bills.AuthorizeAsync(caller, monthlyBillId, cancellationToken);
        return ChunksAsync(bill, cancellationToken);
    }

    private async IAsyncEnumerable<CsvChunk> ChunksAsync(MonthlyBill bill, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var first = new DateOnly(bill.Year, bill.Month, 1);
        var next = first.AddMonths(1);
        var text = new StringBuilder(ChunkBytes + 1024);
        var rows = 0;
        text.Append(Header).Append('\n');
        rows++;

        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            var connection = db.Database.GetDbConnection();
            var afterWorkspace = "";
            while (true)
            {
                var workspaces = await (
                        from billed in db.MonthlyBillWorkspaces.AsNoTracking()
                        where billed.MonthlyBillId == bill.Id && string.Compare(billed.WorkspaceId, afterWorkspace) > 0
                        join workspace in db.Workspaces.AsNoTracking() on billed.WorkspaceId equals workspace.Id into named
                        from workspace in named.DefaultIfEmpty()
                        orderby billed.WorkspaceId
                        select new { billed.WorkspaceId, billed.SiteCode, Name = workspace == null ? "" : workspace.Name })
                    .Take(WorkspacesPerPage)
                    .ToListAsync(cancellationToken);
                if (workspaces.Count == 0)
                {
                    break;
                }
                afterWorkspace = workspaces[^1].WorkspaceId;
                foreach (var workspace in workspaces)
                {
                    var day = DateOnly.MinValue;
                    var item = -1;
                    while (true)
                    {
                        await using var command = connection.Command(RowsSql)
                            .With("@workspace", workspace.WorkspaceId).With("@account", bill.BillingAccountId).With("@first", first).With("@next", next)
                            .With("@day", day).With("@item", item).With("@limit", RowsPerPage);
                        var read = 0;
                        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
                        {
                            while (await reader.ReadAsync(cancellationToken))
                            {
                                read++;
                                day = reader.GetFieldValue<DateOnly>(0);
                                item = reader.GetInt32(1);
                                AppendRow(text, workspace.WorkspaceId, workspace.SiteCode, workspace.Name, day, item,
                                    reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5), reader.GetString(6));
                                rows++;
                            }
                        }
                        if (text.Length >= ChunkBytes)
                        {
                            yield return Flush(text, ref rows);
                        }
                        if (read < RowsPerPage)
                        {
                            break;
                        }
                    }
                }
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
        if (rows > 0)
        {
            yield return Flush(text, ref rows);
        }
    }

    private static CsvChunk Flush(StringBuilder text, ref int rows)
    {
        var chunk = new CsvChunk(Encoding.UTF8.GetBytes(text.ToString()), rows);
        text.Clear();
        rows = 0;
        return chunk;
    }

    private static void AppendRow(StringBuilder text, string workspaceId, string siteCode, string workspaceName, DateOnly day, int item,
        long quantity, long unitsHundredths, long unitPriceMicros, long amount, string dailyBillId)
    {
        var known = BillingItems.Find(item);
        var code = known?.Code ?? item.ToString(CultureInfo.InvariantCulture);
        text.Append(workspaceId).Append(',').Append(siteCode).Append(',')
            .Append(day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).Append(',')
            .Append(code).Append(',')
            .Append(quantity.ToString(CultureInfo.InvariantCulture)).Append(',')
            .Append(Decimals(unitsHundredths, 2)).Append(',')
            .Append(Decimals(unitPriceMicros, 6)).Append(',')
            .Append(Decimals(amount, 2)).Append(',')
            .Append(dailyBillId).Append(',')
            .Append(Field(workspaceName)).Append(',')
            .Append(Field(known?.DisplayName ?? code)).Append(',')
            .Append(known?.PriceUnit.ToString(CultureInfo.InvariantCulture) ?? "").Append(',')
            .Append("CNY").Append('\n');
    }

    /// <summary>
    /// A text field: quoted with its quotes doubled when it holds a comma, a quote or a line break; and begun with an
    /// apostrophe when a spreadsheet would take it for a formula (=, +, -, @, a tab or a carriage return first), since a
    /// workspace's name is its Owner's, who need not be the billing account that opens the file.
    /// </summary>
    private static string Field(string text)
    {
        var value = text.Length > 0 && "=+-@\t\r".Contains(text[0], StringComparison.Ordinal) ? "'" + text : text;
        return value.AsSpan().IndexOfAny(",\"\r\n") < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    /// <summary>An integer of 10^-<paramref name="scale"/> units as exact decimal text, e.g. 360 at scale 2 → "3.60".</summary>
    public static string Decimals(long value, int scale)
    {
        var factor = (long)Math.Pow(10, scale);
        var sign = value < 0 ? "-" : "";
        var magnitude = Math.Abs(value);
        var fraction = (magnitude % factor).ToString(CultureInfo.InvariantCulture).PadLeft(scale, '0');
        return string.Create(CultureInfo.InvariantCulture, $"{sign}{magnitude / factor}.{fraction}");
    }
}
