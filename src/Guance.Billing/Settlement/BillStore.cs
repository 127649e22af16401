using System.Data;
using System.Data.Common;
using Guance.Billing.Data;
using Guance.Billing.Usage;
using Guance.Billing.Wallets;
using Npgsql;

namespace Guance.Billing.Settlement;

/// <summary>A rated bill waiting to be inserted.</summary>
internal sealed record NewBill(string Id, WorkspaceToRate Workspace, IReadOnlyList<RatedLine> Lines, long Total, DailyBillStatus Status);

/// <summary>A bill whose charge is still to be made; the cloud account for a cloud-settled one.</summary>
internal sealed record DueBill(string Id, string WorkspaceId, string BillingAccountId, string? CloudAccountId);

/// <summary>
/// The set-based writes of a day close: bills and their lines as multi-row inserts, where a bill that
/// exists already (another run, another host) is skipped by its unique key and gets no lines, since
/// only the ids the insert returns get them; the new lines added to their workspaces'
/// <see cref="MonthlyConsumption"/>; the conditional update that marks a bill charged; and a
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

    private static readonly (string Name, DbType Type)[] MonthColumns =
    [
        ("workspace_id", DbType.String), ("month", DbType.Date), ("item", DbType.Int32), ("amount", DbType.Int64),
    ];

    private const string ChargedSql = """
        UPDATE daily_bills SET status = @to, paid_by_vouchers = @vouchers, paid_by_prepaid_cards = @cards, paid_by_cash = @cash,
            arrears = @arrears, cloud_amount = @cloud, transaction_id = @transaction, charged_at = @at
        WHERE id = @id AND status = @from AND charged_at IS NULL
        """;

    // The same update for a whole batch on PostgreSQL, the values as arrays (ids are unique in a batch). The bills are
    // found by their primary key ("= ANY"), and "status + 0" keeps the planner off the (site, day, status) index: its
    // statistics, from before rating wrote the day's bills, count few Pending ones, and it read every due bill of the
    // day for each batch (up to a second a batch at 10,000 workspaces; 45 s of one close logged).
    private const string ChargedAllSql = """
        UPDATE daily_bills AS b SET status = u.to_status, paid_by_vouchers = u.vouchers, paid_by_prepaid_cards = u.cards, paid_by_cash = u.cash,
            arrears = u.arrears, cloud_amount = u.cloud, transaction_id = u.transaction_id, charged_at = u.at
        FROM unnest(@ids::text[], @to::integer[], @vouchers::bigint[], @cards::bigint[], @cash::bigint[], @arrears::bigint[], @cloud::bigint[],
                    @transactions::text[], @at::bigint[]) AS u(id, to_status, vouchers, cards, cash, arrears, cloud, transaction_id, at)
        WHERE b.id = ANY(@ids) AND b.id = u.id AND b.status + 0 = @from AND b.charged_at IS NULL
        RETURNING b.id
        """;

    private static readonly (string Name, DbType Type)[] MeteringLineColumns =
    [
        ("daily_bill_id", DbType.String), ("item", DbType.Int32), ("cloud_account_id", DbType.String), ("billing_account_id", DbType.String),
        ("site_code", DbType.String), ("billing_day", DbType.Date), ("amount", DbType.Int64),
    ];

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

        // The same lines added to their workspaces' months, in key order so that two closes adding to the same
        // rows (two days of one month, on two hosts) lock them in the same order.
        var month = new DateOnly(day.Year, day.Month, 1);
        var months = bills.Where(b => inserted.Contains(b.Id))
            .SelectMany(b => b.Lines.Select(l => (b.Workspace.Id, Item: (int)l.Item.Item, l.Amount)))
            .GroupBy(l => (l.Id, l.Item))
            .Select(g => (g.Key.Id, g.Key.Item, Amount: g.Sum(l => l.Amount)))
            .OrderBy(m => m.Id, StringComparer.Ordinal).ThenBy(m => m.Item)
            .ToList();
        await MultiRowInsert.InsertAsync(connection, transaction, "monthly_consumption", MonthColumns, months, m => [m.Id, month, m.Item, m.Amount],
            cancellationToken, suffix: "ON CONFLICT (workspace_id, month, item) DO UPDATE SET amount = monthly_consumption.amount + excluded.amount");
        return inserted.Count;
    }

    /// <summary>
    /// Marks the uncharged bills of status <paramref name="from"/> charged, each with what paid it (nothing
    /// when its result is null: the bill had nothing to pay); returns the ids marked, without those another
    /// run charged meanwhile. A cloud-settled bill whose cloud account owes a part stays AwaitingCloud until
    /// the marketplace acknowledged all its metering records (<see cref="Cloud.CloudMarketplace"/>);
    /// otherwise it is Charged. PostgreSQL: one statement over arrays (a round trip for the whole batch
    /// instead of one per bill); SQLite: one prepared statement per bill (in-process, no round trip).
    /// </summary>
    public async Task<HashSet<string>> MarkChargedAsync(
        IReadOnlyList<(string BillId, ChargeResult? Result)> bills, DailyBillStatus from, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var marked = new HashSet<string>(StringComparer.Ordinal);
        if (bills.Count == 0)
        {
            return marked;
        }
        var rows = bills.Select(b => new ChargedRow(b.BillId, b.Result, from, now)).ToList();
        if (connection is NpgsqlConnection)
        {
            await using var command = connection.Command(ChargedAllSql, transaction).With("@from", (int)from);
            command.Parameters.AddRange(new NpgsqlParameter[]
            {
                new NpgsqlParameter<string[]>("@ids", [.. rows.Select(r => r.BillId)]),
                new NpgsqlParameter<int[]>("@to", [.. rows.Select(r => (int)r.To)]),
                new NpgsqlParameter<long[]>("@vouchers", [.. rows.Select(r => r.Vouchers)]),
                new NpgsqlParameter<long[]>("@cards", [.. rows.Select(r => r.Cards)]),
                new NpgsqlParameter<long[]>("@cash", [.. rows.Select(r => r.Cash)]),
                new NpgsqlParameter<long[]>("@arrears", [.. rows.Select(r => r.Arrears)]),
                new NpgsqlParameter<long[]>("@cloud", [.. rows.Select(r => r.Cloud)]),
                new NpgsqlParameter<string?[]>("@transactions", [.. rows.Select(r => r.TransactionId)]),
                new NpgsqlParameter<long[]>("@at", [.. rows.Select(r => r.At)]),
            });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                marked.Add(reader.GetString(0));
            }
            return marked;
        }
        await using var update = connection.Reusable(ChargedSql, "@vouchers", "@cards", "@cash", "@arrears", "@cloud", "@transaction", "@at", "@id", "@from", "@to");
        update.Transaction = transaction;
        foreach (var row in rows)
        {
            update.Set("@vouchers", row.Vouchers).Set("@cards", row.Cards).Set("@cash", row.Cash).Set("@arrears", row.Arrears).Set("@cloud", row.Cloud)
                .Set("@transaction", row.TransactionId).Set("@at", row.At).Set("@id", row.BillId).Set("@from", (int)from).Set("@to", (int)row.To);
            if (await update.ExecuteNonQueryAsync(cancellationToken) == 1)
            {
                marked.Add(row.BillId);
            }
        }
        return marked;
    }

    /// <summary>The cloud account's part of each item of cloud-settled bills, as metering lines (keyed by bill and item), in one set-based insert.</summary>
    public async Task InsertMeteringLinesAsync(
        IReadOnlyList<(DueBill Bill, ChargeResult Result)> bills, string siteCode, DateOnly day, CancellationToken cancellationToken)
    {
        var lines = bills.SelectMany(b => b.Result.Allocations
                .Where(a => a.Source == FundingSource.CloudAccount)
                .GroupBy(a => a.ItemCode, StringComparer.Ordinal)
                .Select(item => (b.Bill, Item: (int)BillingItems.FindByCode(item.Key)!.Item, Amount: item.Sum(a => a.Amount))))
            .ToList();
        await MultiRowInsert.InsertAsync(connection, transaction, "cloud_metering_lines", MeteringLineColumns, lines, line => [
            line.Bill.Id, line.Item, line.Bill.CloudAccountId, line.Bill.BillingAccountId, siteCode, day, line.Amount], cancellationToken);
    }

    /// <summary>The values a charged bill is marked with.</summary>
    private sealed record ChargedRow(string BillId, ChargeResult? Result, DailyBillStatus From, DateTimeOffset Now)
    {
        public DailyBillStatus To { get; } = From == DailyBillStatus.AwaitingCloud && Result?.CloudAmount > 0 ? DailyBillStatus.AwaitingCloud : DailyBillStatus.Charged;
        public long Vouchers => Result is null ? 0 : Result.PaidBy(FundingSource.OrdinaryVoucher) + Result.PaidBy(FundingSource.FullReductionVoucher);
        public long Cards => Result?.PaidBy(FundingSource.PrepaidCard) ?? 0;
        public long Cash => Result?.PaidBy(FundingSource.Cash) ?? 0;
        public long Arrears => Result?.AddedArrears ?? 0;
        public long Cloud => Result?.CloudAmount ?? 0;
        public string? TransactionId => Result?.TransactionId;
        public long At => UnixMicrosecondsConverter.ToMicroseconds(Result?.CreatedAt ?? Now);
    }
}
