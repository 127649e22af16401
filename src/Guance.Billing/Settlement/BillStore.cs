using System.Data;
using System.Data.Common;
using System.Globalization;
using System.Text;
using Guance.Billing.Data;
using Guance.Billing.Usage;
using Guance.Billing.Wallets;

namespace Guance.Billing.Settlement;

/// <summary>A rated bill waiting to be inserted.</summary>
internal sealed record NewBill(string Id, WorkspaceToRate Workspace, IReadOnlyList<RatedLine> Lines, long Total, DailyBillStatus Status);

/// <summary>A bill whose charge is still to be made.</summary>
internal sealed record PendingBill(string Id, string WorkspaceId, string BillingAccountId, long Total);

/// <summary>
/// The set-based writes of a day close: bills and their lines as multi-row inserts, where a bill that
/// exists already (another run, another host) is skipped by its unique key and gets no lines, since
/// only the ids the insert returns get them; and the conditional update that marks a bill charged.
/// </summary>
internal sealed class BillStore(DbConnection connection, DbTransaction? transaction)
{
    private const int BillsPerStatement = 400;
    private const int LinesPerStatement = 1000;

    private const string ChargedSql = """
        UPDATE daily_bills SET status = 2, paid_by_vouchers = @v, paid_by_prepaid_cards = @c, paid_by_cash = @cash,
            arrears = @a, cloud_amount = @cloud, transaction_id = @t, charged_at = @at
        WHERE id = @id AND status = 1
        """;

    /// <summary>Inserts the bills that do not exist yet, and the lines of those; returns how many were inserted.</summary>
    public async Task<int> InsertAsync(IReadOnlyList<NewBill> bills, string siteCode, DateOnly day, string priceListId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var inserted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var chunk in bills.Chunk(BillsPerStatement))
        {
            var sql = new StringBuilder("""
                INSERT INTO daily_bills (id, workspace_id, billing_day, site_code, billing_account_id, method, cloud_account_id, price_list_id,
                    total, status, paid_by_vouchers, paid_by_prepaid_cards, paid_by_cash, arrears, cloud_amount, transaction_id, created_at, charged_at)
                VALUES
                """);
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            Add(command, "@day", day, DbType.Date);
            Add(command, "@site", siteCode, DbType.String);
            Add(command, "@pl", priceListId, DbType.String);
            Add(command, "@now", UnixMicrosecondsConverter.ToMicroseconds(now), DbType.Int64);
            for (var i = 0; i < chunk.Length; i++)
            {
                var bill = chunk[i];
                var p = string.Create(CultureInfo.InvariantCulture, $"@b{i}_");
                sql.Append(i == 0 ? "\n(" : ",\n(")
                    .Append(p).Append("id, ").Append(p).Append("w, @day, @site, ").Append(p).Append("a, ").Append(p).Append("m, ")
                    .Append(p).Append("c, @pl, ").Append(p).Append("t, ").Append(p).Append("s, 0, 0, 0, 0, 0, NULL, @now, ").Append(p).Append("at)");
                Add(command, p + "id", bill.Id, DbType.String);
                Add(command, p + "w", bill.Workspace.Id, DbType.String);
                Add(command, p + "a", bill.Workspace.BillingAccountId, DbType.String);
                Add(command, p + "m", (int)bill.Workspace.Method, DbType.Int32);
                Add(command, p + "c", bill.Workspace.CloudAccountId, DbType.String);
                Add(command, p + "t", bill.Total, DbType.Int64);
                Add(command, p + "s", (int)bill.Status, DbType.Int32);
                Add(command, p + "at", bill.Status == DailyBillStatus.Charged ? UnixMicrosecondsConverter.ToMicroseconds(now) : null, DbType.Int64);
            }
            sql.Append("\nON CONFLICT (workspace_id, billing_day) DO NOTHING RETURNING id");
            command.CommandText = sql.ToString();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                inserted.Add(reader.GetString(0));
            }
        }

        var lines = bills.Where(b => inserted.Contains(b.Id)).SelectMany(b => b.Lines.Select(l => (b.Id, Line: l))).ToList();
        foreach (var chunk in lines.Chunk(LinesPerStatement))
        {
            var sql = new StringBuilder("INSERT INTO daily_bill_lines (daily_bill_id, item, quantity, units_hundredths, unit_price_micros, retention_days, amount) VALUES");
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            for (var i = 0; i < chunk.Length; i++)
            {
                var (billId, line) = chunk[i];
                var p = string.Create(CultureInfo.InvariantCulture, $"@l{i}_");
                sql.Append(i == 0 ? "\n(" : ",\n(")
                    .Append(p).Append("b, ").Append(p).Append("i, ").Append(p).Append("q, ").Append(p).Append("u, ")
                    .Append(p).Append("p, ").Append(p).Append("r, ").Append(p).Append("a)");
                Add(command, p + "b", billId, DbType.String);
                Add(command, p + "i", (int)line.Item.Item, DbType.Int32);
                Add(command, p + "q", line.Quantity, DbType.Int64);
                Add(command, p + "u", line.UnitsHundredths, DbType.Int64);
                Add(command, p + "p", line.UnitPriceMicros, DbType.Int64);
                Add(command, p + "r", line.RetentionDays, DbType.Int32);
                Add(command, p + "a", line.Amount, DbType.Int64);
            }
            command.CommandText = sql.ToString();
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        return inserted.Count;
    }

    /// <summary>Marks a pending bill charged with what paid it; false when it was not pending (another run charged it).</summary>
    public async Task<bool> MarkChargedAsync(string billId, ChargeResult result, CancellationToken cancellationToken)
    {
        await using var command = connection.Command(ChargedSql, "@v", "@c", "@cash", "@a", "@cloud", "@t", "@at", "@id")
            .Set(0, result.PaidBy(FundingSource.OrdinaryVoucher) + result.PaidBy(FundingSource.FullReductionVoucher))
            .Set(1, result.PaidBy(FundingSource.PrepaidCard))
            .Set(2, result.PaidBy(FundingSource.Cash))
            .Set(3, result.AddedArrears)
            .Set(4, result.CloudAmount)
            .Set(5, result.TransactionId)
            .Set(6, UnixMicrosecondsConverter.ToMicroseconds(result.CreatedAt))
            .Set(7, billId);
        command.Transaction = transaction;
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    private static void Add(DbCommand command, string name, object? value, DbType type)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.DbType = type;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }
}
