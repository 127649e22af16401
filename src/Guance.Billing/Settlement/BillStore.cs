using System.Data;
using System.Data.Common;
using Guance.Billing.Data;
using Guance.Billing.Usage;
using Guance.Billing.Wallets;

namespace Guance.Billing.Settlement;

/// <summary>A rated bill waiting to be inserted.</summary>
internal sealed record NewBill(string Id, WorkspaceToRate Workspace, IReadOnlyList<RatedLine> Lines, long Total, DailyBillStatus Status);

/// <summary>A bill whose charge is still to be made; the cloud account for a cloud-settled one.</summary>
internal sealed record DueBill(string Id, string WorkspaceId, string BillingAccountId, string? CloudAccountId);

/// <summary>
/// The set-based writes of a day close: bills and their lines as multi-row inserts, where a bill that
/// exists already (another run, another host) is skipped by its unique key and gets no lines, since
/// only the ids the insert returns get them; the conditional update that marks a bill charged; and a
/// cloud-settled bill's metering lines.
/// </summary>
internal sealed class BillStore(DbConnection connection, DbTransaction? transaction)
{
    private static readonly (string Name, DbType Type)[] BillColumns =
    [
        ("id", DbType.String), ("workspace_id", DbType.String), ("billing_day", DbType.Date), ("site_code", DbType.String),
        ("billing_account_id", DbType.String), ("method", DbType.Int32), ("cloud_account_id", DbType.String), ("price_list_id", DbType.String),
        ("total", DbType.Int64), ("status", DbType.Int32), ("paid_by_vouchers", DbType.Int64), ("paid_by_prepaid_cards", DbType.Int64),
        ("paid_by_cash", DbType.Int64), ("arrears", DbType.Int64), ("cloud_amount", DbType.Int64), ("transaction_id", DbType.String),
        ("created_at", DbType.Int64), ("charged_at", DbType.Int64),
    ];

    private static readonly (string Name, DbType Type)[] LineColumns =
    [
        ("daily_bill_id", DbType.String), ("item", DbType.Int32), ("quantity", DbType.Int64), ("units_hundredths", DbType.Int64),
        ("unit_price_micros", DbType.Int64), ("retention_days", DbType.Int32), ("amount", DbType.Int64),
    ];

    private const string ChargedSql = """
        UPDATE daily_bills SET status = @to, paid_by_vouchers = @v, paid_by_prepaid_cards = @c, paid_by_cash = @cash,
            arrears = @a, cloud_amount = @cloud, transaction_id = @t, charged_at = @at
        WHERE id = @id AND status = @from AND charged_at IS NULL
        """;

    private const string MeteringLineSql = """
        INSERT INTO cloud_metering_lines (daily_bill_id, item, cloud_account_id, billing_account_id, site_code, billing_day, amount, record_id)
        VALUES (@b, @i, @ca, @ba, @site, @day, @a, NULL)
        """;

    /// <summary>Inserts the bills that do not exist yet, and the lines of those; returns how many were inserted.</summary>
    public async Task<int> InsertAsync(IReadOnlyList<NewBill> bills, string siteCode, DateOnly day, string priceListId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var at = UnixMicrosecondsConverter.ToMicroseconds(now);
        var inserted = (await MultiRowInsert.InsertAsync(connection, transaction, "daily_bills", BillColumns, bills, bill => [
                bill.Id, bill.Workspace.Id, day, siteCode, bill.Workspace.BillingAccountId, (int)bill.Workspace.Method, bill.Workspace.CloudAccountId,
                priceListId, bill.Total, (int)bill.Status, 0L, 0L, 0L, 0L, 0L, null, at, bill.Status == DailyBillStatus.Charged ? at : null],
            cancellationToken, suffix: "ON CONFLICT (workspace_id, billing_day) DO NOTHING RETURNING id")).ToHashSet(StringComparer.Ordinal);

        var lines = bills.Where(b => inserted.Contains(b.Id)).SelectMany(b => b.Lines.Select(l => (b.Id, Line: l))).ToList();
        await MultiRowInsert.InsertAsync(connection, transaction, "daily_bill_lines", LineColumns, lines, row => [
            row.Id, (int)row.Line.Item.Item, row.Line.Quantity, row.Line.UnitsHundredths, row.Line.UnitPriceMicros, row.Line.RetentionDays, row.Line.Amount],
            cancellationToken);
        return inserted.Count;
    }

    /// <summary>
    /// Marks an uncharged bill of status <paramref name="from"/> charged with what paid it (nothing when
    /// <paramref name="result"/> is null: the bill had nothing to pay); false when another run charged it.
    /// A cloud-settled bill whose cloud account owes a part stays AwaitingCloud until the marketplace
    /// acknowledged all its metering records (<see cref="Cloud.CloudMarketplace"/>); otherwise it is Charged.
    /// </summary>
    public async Task<bool> MarkChargedAsync(string billId, DailyBillStatus from, ChargeResult? result, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var to = from == DailyBillStatus.AwaitingCloud && result?.CloudAmount > 0 ? DailyBillStatus.AwaitingCloud : DailyBillStatus.Charged;
        await using var command = connection.Command(ChargedSql, "@v", "@c", "@cash", "@a", "@cloud", "@t", "@at", "@id", "@from", "@to")
            .Set(0, result is null ? 0 : result.PaidBy(FundingSource.OrdinaryVoucher) + result.PaidBy(FundingSource.FullReductionVoucher))
            .Set(1, result?.PaidBy(FundingSource.PrepaidCard) ?? 0)
            .Set(2, result?.PaidBy(FundingSource.Cash) ?? 0)
            .Set(3, result?.AddedArrears ?? 0)
            .Set(4, result?.CloudAmount ?? 0)
            .Set(5, result?.TransactionId)
            .Set(6, UnixMicrosecondsConverter.ToMicroseconds(result?.CreatedAt ?? now))
            .Set(7, billId)
            .Set(8, (int)from)
            .Set(9, (int)to);
        command.Parameters[5].DbType = DbType.String;
        command.Transaction = transaction;
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>The cloud account's part of each item of a cloud-settled bill, as metering lines (keyed by bill and item).</summary>
    public async Task InsertMeteringLinesAsync(
        string billId, string cloudAccountId, string billingAccountId, string siteCode, DateOnly day, ChargeResult result, CancellationToken cancellationToken)
    {
        foreach (var item in result.Allocations.Where(a => a.Source == FundingSource.CloudAccount).GroupBy(a => a.ItemCode, StringComparer.Ordinal))
        {
            await using var insert = connection.Command(MeteringLineSql, "@b", "@i", "@ca", "@ba", "@site", "@day", "@a")
                .Set(0, billId)
                .Set(1, (int)BillingItems.FindByCode(item.Key)!.Item)
                .Set(2, cloudAccountId)
                .Set(3, billingAccountId)
                .Set(4, siteCode)
                .Set(5, day)
                .Set(6, item.Sum(a => a.Amount));
            insert.Transaction = transaction;
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}
