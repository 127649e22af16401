using System.Globalization;
using System.Text;
using Guance.Billing.Data;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.V1;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Guance.Billing.IntegrationTests.MonthlyBills;

/// <summary>One parsed row of a monthly bill's CSV.</summary>
public sealed record CsvRow(
    string WorkspaceId, string SiteCode, string Day, string Item, long Quantity, string Units, string UnitPrice, long AmountCents, string DailyBillId,
    string WorkspaceName, string ItemName, long PriceUnit, string Currency);

/// <summary>Monthly bills through the API, their CSV, and daily bills seeded straight into the database.</summary>
public static class MonthlyBillKit
{
    public static async Task<GenerateMonthlyBillsResponse> GenerateAsync(this BillingHost host, int year, int month) =>
        await host.Operator.MonthlyBills.GenerateMonthlyBillsAsync(new GenerateMonthlyBillsRequest { Year = year, Month = month });

    /// <summary>The account's bill of the month (its own session), with workspaces and items.</summary>
    public static async Task<MonthlyBill> MonthlyBillAsync(this Api api, string billingAccountId, int year, int month)
    {
        var list = await api.MonthlyBills.ListMonthlyBillsAsync(new ListMonthlyBillsRequest { BillingAccountId = billingAccountId });
        var id = list.MonthlyBills.Single(b => b.Year == year && b.Month == month).MonthlyBillId;
        return (await api.MonthlyBills.GetMonthlyBillAsync(new GetMonthlyBillRequest { MonthlyBillId = id })).MonthlyBill;
    }

    /// <summary>"12.34" → 1234: the CSV's exact two-decimal amounts.</summary>
    public static long ParseCents(string amount)
    {
        var parts = amount.Split('.');
        Assert.True(parts.Length == 2 && parts[1].Length == 2, $"not an amount with two decimals: '{amount}'");
        return long.Parse(parts[0], CultureInfo.InvariantCulture) * 100 + long.Parse(parts[1], CultureInfo.InvariantCulture);
    }

    public static CsvRow ParseRow(string line)
    {
        var f = Fields(line);
        Assert.Equal(13, f.Count);
        return new CsvRow(f[0], f[1], f[2], f[3], long.Parse(f[4], CultureInfo.InvariantCulture), f[5], f[6], ParseCents(f[7]), f[8], f[9], f[10],
            long.Parse(f[11], CultureInfo.InvariantCulture), f[12]);
    }

    /// <summary>The fields of one CSV row, a quoted one unquoted (RFC 4180: its quotes doubled).</summary>
    private static List<string> Fields(string line)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted && c == '"')
            {
                if (i + 1 < line.Length && line[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else
                {
                    quoted = false;
                }
            }
            else if (!quoted && c == '"' && field.Length == 0)
            {
                quoted = true;
            }
            else if (!quoted && c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
            {
                field.Append(c);
            }
        }
        fields.Add(field.ToString());
        return fields;
    }

    /// <summary>The whole CSV (small bills only): its header and rows.</summary>
    public static async Task<(string Header, List<CsvRow> Rows)> ExportAsync(this Api api, string monthlyBillId)
    {
        using var call = api.MonthlyBills.ExportMonthlyBill(new ExportMonthlyBillRequest { MonthlyBillId = monthlyBillId });
        var bytes = new List<byte>();
        while (await call.ResponseStream.MoveNext(CancellationToken.None))
        {
            bytes.AddRange(call.ResponseStream.Current.Data);
        }
        var text = new UTF8Encoding(false, true).GetString(bytes.ToArray());
        Assert.EndsWith("\n", text);
        var lines = text.TrimEnd('\n').Split('\n');
        return (lines[0], lines.Skip(1).Select(ParseRow).ToList());
    }

    /// <summary>
    /// Seeds <paramref name="workspaces"/> × the month's first <paramref name="days"/> days of charged daily
    /// bills of the account on cn1, each with a line per item 1 to 10 of (item × 7) cents (so 385 cents a
    /// bill), and the site's closes of every day of the month. Set-based: one statement per day and table.
    /// </summary>
    public static async Task SeedMonthAsync(this BillingHost host, string billingAccountId, int year, int month, int workspaces, int days)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BillingDbContext>();
        var first = new DateOnly(year, month, 1);
        var tag = billingAccountId[^8..];
        for (var day = first; day < first.AddMonths(1); day = day.AddDays(1))
        {
            if (day.Day <= days)
            {
                var dayTag = day.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
                var bills = $$"""
                    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {{workspaces}})
                    INSERT INTO daily_bills (id, workspace_id, billing_day, site_code, billing_account_id, method, cloud_account_id, price_list_id,
                        total, status, paid_by_vouchers, paid_by_prepaid_cards, paid_by_cash, arrears, cloud_amount, transaction_id, created_at, charged_at)
                    SELECT 'db_{{tag}}_{{dayTag}}_' || CAST(1000000 + i AS TEXT), 'ws_{{tag}}_' || CAST(1000000 + i AS TEXT), {0}, 'cn1', {1}, 1, NULL,
                        'pl_seed', 385, 2, 0, 0, 385, 0, 0, NULL, 0, 0
                    FROM n
                    """;
                await db.Database.ExecuteSqlRawAsync(bills, day, billingAccountId);
                const string lines = """
                    WITH RECURSIVE items(item) AS (SELECT 1 UNION ALL SELECT item + 1 FROM items WHERE item < 10)
                    INSERT INTO daily_bill_lines (daily_bill_id, item, quantity, units_hundredths, unit_price_micros, retention_days, amount)
                    SELECT d.id, items.item, 1000 * items.item, 100 * items.item, 70000, 0, 7 * items.item
                    FROM daily_bills d CROSS JOIN items
                    WHERE d.billing_account_id = {0} AND d.billing_day = {1}
                    """;
                await db.Database.ExecuteSqlRawAsync(lines, billingAccountId, day);
            }
            if (!await db.DayCloses.AnyAsync(c => c.SiteCode == "cn1" && c.BillingDay == day))
            {
                db.DayCloses.Add(new Guance.Billing.Settlement.DayClose { SiteCode = "cn1", BillingDay = day, ClosedAt = host.Clock.GetUtcNow(), CompletedAt = host.Clock.GetUtcNow() });
                await db.SaveChangesAsync();
            }
        }
    }
}
