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
        UPDATE daily_bills SET status = @to, paid_by_vouchers = @vouchers, paid_by_prepaid_cards = @cards, paid_by_cash = @cash,
            arrears = @arrears, cloud_amount = @cloud, transaction_id = @transaction, charged_at = @at
        WHERE id = @id AND status = @from AND charged_at IS NULL
        """;

    private const string MeteringLineSql = """
        INSERT INTO cloud_metering_lines (daily_bill_id, item, cloud_account_id, billing_account_id, site_code, billing_day, amount, record_id)
        VALUES (@bill, @item, @cloud_account, @billing_account, @site, @day, @amount, NULL)
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
        await using var command = connection.Command(ChargedSql, transaction)
            .With("@vouchers", result is null ? 0 : result.PaidBy(FundingSource.OrdinaryVoucher) + result.PaidBy(FundingSource.FullReductionVoucher))
            .With("@cards", result?.PaidBy(FundingSource.PrepaidCard) ?? 0)
            .With("@cash", result?.PaidBy(FundingSource.Cash) ?? 0)
            .With("@arrears", result?.AddedArrears ?? 0)
            .With("@cloud", result?.CloudAmount ?? 0)
            .With("@transaction", result?.TransactionId, DbType.String)
            .With("@at", UnixMicrosecondsConverter.ToMicroseconds(result?.CreatedAt ?? now))
            .With("@id", billId)
            .With("@from", (int)from)
            .With("@to", (int)to);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>The cloud account's part of each item of a cloud-settled bill, as metering lines (keyed by bill and item).</summary>
    public async Task InsertMeteringLinesAsync(
        string billId, string cloudAccountId, string billingAccountId, string siteCode, DateOnly day, ChargeResult result, CancellationToken cancellationToken)
    {
        foreach (var item in result.Allocations.Where(a => a.Source == FundingSource.CloudAccount).GroupBy(a => a.ItemCode, StringComparer.Ordinal))
        {
            await using var insert = connection.Command(MeteringLineSql, transaction)
                .With("@bill", billId)
                .With("@item", (int)BillingItems.FindByCode(item.Key)!.Item)
                .With("@cloud_account", cloudAccountId)
                .With("@billing_account", billingAccountId)
                .With("@site", siteCode)
                .With("@day", day)
                .With("@amount", item.Sum(a => a.Amount));
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}
