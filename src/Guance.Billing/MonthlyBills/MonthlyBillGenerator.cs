using System.Data.Common;
using System.Globalization;
using System.Text;
using Guance.Billing.Common;
using Guance.Billing.Data;
using Guance.Billing.Notifications;
using Guance.Billing.Usage;
using Guance.Billing.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Guance.Billing.MonthlyBills;

/// <summary>What one generation of a month did.</summary>
/// <param name="Generated">Bills this run wrote.</param>
/// <param name="Existing">Bills of the month that existed already.</param>
/// <param name="Waiting">Accounts left for later: a day of the month is not closed or charged yet on one of their sites.</param>
public sealed record MonthlyBillRun(int Generated, int Existing, int Waiting);

/// <summary>
/// Writes the monthly bills of a month from its daily bills, set-based, a batch of billing accounts
/// per transaction (keyset over the account id). An account is billed only when every daily bill of
/// its month is final: none pending, and every site it has bills on has closed every day of the month
/// it closed and the month's last day (and, for the automatic run, reached the 3rd of the next month).
/// The unique key (billing account, year, month) makes a second run, or a run on another host, write
/// nothing: only the bills this run's insert returns get workspaces and lines, in the same transaction.
/// </summary>
public sealed class MonthlyBillGenerator(BillingDbContext db, TimeProvider clock, NotificationOutbox outbox)
{
    private const int AccountsPerBatch = 250;

    private const string AccountsSql = """
        SELECT d.billing_account_id,
            MAX(CASE WHEN d.status = 1 OR d.site_code IN ({0}) THEN 1 ELSE 0 END) AS waiting,
            MAX(CASE WHEN mb.id IS NULL THEN 0 ELSE 1 END) AS existing
        FROM daily_bills d
        LEFT JOIN monthly_bills mb ON mb.billing_account_id = d.billing_account_id AND mb.year = @year AND mb.month = @month
        WHERE d.billing_account_id IS NOT NULL AND d.billing_account_id > @after AND d.billing_day >= @first AND d.billing_day < @next
        GROUP BY d.billing_account_id
        ORDER BY d.billing_account_id
        LIMIT @limit
        """;
    private static readonly CompositeFormat AccountsFormat = CompositeFormat.Parse(AccountsSql);

    private const string WorkspacesSql = """
        INSERT INTO monthly_bill_workspaces (monthly_bill_id, workspace_id, site_code, days, total,
            paid_by_vouchers, paid_by_prepaid_cards, paid_by_cash, arrears, cloud_amount)
        SELECT mb.id, d.workspace_id, MIN(d.site_code), COUNT(*), SUM(d.total),
            SUM(d.paid_by_vouchers), SUM(d.paid_by_prepaid_cards), SUM(d.paid_by_cash), SUM(d.arrears), SUM(d.cloud_amount)
        FROM monthly_bills mb
        JOIN daily_bills d ON d.billing_account_id = mb.billing_account_id AND d.billing_day >= @first AND d.billing_day < @next
        WHERE mb.id IN ({0})
        GROUP BY mb.id, d.workspace_id
        """;

    private const string LinesSql = """
        INSERT INTO monthly_bill_lines (monthly_bill_id, workspace_id, item, days, amount)
        SELECT mb.id, d.workspace_id, l.item, COUNT(*), SUM(l.amount)
        FROM monthly_bills mb
        JOIN daily_bills d ON d.billing_account_id = mb.billing_account_id AND d.billing_day >= @first AND d.billing_day < @next
        JOIN daily_bill_lines l ON l.daily_bill_id = d.id
        WHERE mb.id IN ({0})
        GROUP BY mb.id, d.workspace_id, l.item
        """;

    private const string TotalsSql = """
        UPDATE monthly_bills SET
            total = COALESCE((SELECT SUM(w.total) FROM monthly_bill_workspaces w WHERE w.monthly_bill_id = monthly_bills.id), 0),
            paid_by_vouchers = COALESCE((SELECT SUM(w.paid_by_vouchers) FROM monthly_bill_workspaces w WHERE w.monthly_bill_id = monthly_bills.id), 0),
            paid_by_prepaid_cards = COALESCE((SELECT SUM(w.paid_by_prepaid_cards) FROM monthly_bill_workspaces w WHERE w.monthly_bill_id = monthly_bills.id), 0),
            paid_by_cash = COALESCE((SELECT SUM(w.paid_by_cash) FROM monthly_bill_workspaces w WHERE w.monthly_bill_id = monthly_bills.id), 0),
            arrears = COALESCE((SELECT SUM(w.arrears) FROM monthly_bill_workspaces w WHERE w.monthly_bill_id = monthly_bills.id), 0),
            cloud_amount = COALESCE((SELECT SUM(w.cloud_amount) FROM monthly_bill_workspaces w WHERE w.monthly_bill_id = monthly_bills.id), 0),
            daily_bills = COALESCE((SELECT SUM(w.days) FROM monthly_bill_workspaces w WHERE w.monthly_bill_id = monthly_bills.id), 0),
            workspaces = (SELECT COUNT(*) FROM monthly_bill_workspaces w WHERE w.monthly_bill_id = monthly_bills.id)
        WHERE id IN ({0})
        """;

    /// <summary>
    /// Generates the bills of the month that are ready. <paramref name="notDueSites"/> are sites whose
    /// accounts wait regardless (the automatic run's "from the 3rd of the next month").
    /// </summary>
    public async Task<MonthlyBillRun> GenerateAsync(int year, int month, IReadOnlyCollection<string> notDueSites, CancellationToken cancellationToken)
    {
        var first = new DateOnly(year, month, 1);
        var next = first.AddMonths(1);
        var waitingSites = (await UnfinishedSitesAsync(first, next, cancellationToken)).Union(notDueSites).ToList();
        int generated = 0, existing = 0, waiting = 0;
        var after = "";
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            while (true)
            {
                var accounts = await AccountsAsync(year, month, first, next, waitingSites, after, cancellationToken);
                if (accounts.Count == 0)
                {
                    return new MonthlyBillRun(generated, existing, waiting);
                }
                after = accounts[^1].Id;
                existing += accounts.Count(a => a.Existing);
                waiting += accounts.Count(a => !a.Existing && a.Waiting);
                var ready = accounts.Where(a => !a.Existing && !a.Waiting).Select(a => a.Id).ToList();
                if (ready.Count > 0)
                {
                    var written = await WriteAsync(ready, year, month, first, next, cancellationToken);
                    generated += written;
                    existing += ready.Count - written; // another run wrote them meanwhile
                }
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// Sites whose month is not final: a day close of the month unfinished, or the month's last day not closed.
    /// A site without any close in the month has no daily bills in it either, so it is not listed unless it has.
    /// </summary>
    private async Task<List<string>> UnfinishedSitesAsync(DateOnly first, DateOnly next, CancellationToken cancellationToken)
    {
        var last = next.AddDays(-1);
        var closes = await db.DayCloses.AsNoTracking()
            .Where(c => c.BillingDay >= first && c.BillingDay < next)
            .Select(c => new { c.SiteCode, c.BillingDay, Completed = c.CompletedAt != null })
            .ToListAsync(cancellationToken);
        var final = closes.GroupBy(c => c.SiteCode)
            .Where(g => g.All(c => c.Completed) && g.Any(c => c.BillingDay == last))
            .Select(g => g.Key)
            .ToHashSet(StringComparer.Ordinal);
        return Sites.All.Select(s => s.Code).Where(code => !final.Contains(code)).ToList();
    }

    private sealed record Candidate(string Id, bool Waiting, bool Existing);

    private async Task<List<Candidate>> AccountsAsync(int year, int month, DateOnly first, DateOnly next, List<string> waitingSites, string after,
        CancellationToken cancellationToken)
    {
        var connection = db.Database.GetDbConnection();
        var sitesList = waitingSites.Count == 0 ? "NULL" : string.Join(", ", waitingSites.Select((_, i) => Param("s", i)));
        await using var command = connection.Command(string.Format(CultureInfo.InvariantCulture, AccountsFormat, sitesList))
            .With("@year", year).With("@month", month).With("@after", after).With("@first", first).With("@next", next).With("@limit", AccountsPerBatch);
        AddList(command, "s", waitingSites);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var accounts = new List<Candidate>(AccountsPerBatch);
        while (await reader.ReadAsync(cancellationToken))
        {
            accounts.Add(new Candidate(reader.GetString(0), Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture) != 0,
                Convert.ToInt64(reader.GetValue(2), CultureInfo.InvariantCulture) != 0));
        }
        return accounts;
    }

    /// <summary>Writes the bills of the accounts, in one transaction; returns how many this run inserted.</summary>
    private async Task<int> WriteAsync(List<string> accountIds, int year, int month, DateOnly first, DateOnly next, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var connection = db.Database.GetDbConnection();
        var dbTransaction = transaction.GetDbTransaction();
        var now = UnixMicrosecondsConverter.ToMicroseconds(clock.GetUtcNow());

        var insert = new StringBuilder("""
            INSERT INTO monthly_bills (id, billing_account_id, year, month, total, paid_by_vouchers, paid_by_prepaid_cards, paid_by_cash,
                arrears, cloud_amount, daily_bills, workspaces, generated_at)
            VALUES
            """);
        await using var command = connection.Command("").With("@year", year).With("@month", month).With("@now", now);
        command.Transaction = dbTransaction;
        for (var i = 0; i < accountIds.Count; i++)
        {
            insert.Append(i == 0 ? "\n(" : ",\n(").Append(Param("id", i)).Append(", ").Append(Param("a", i)).Append(", @year, @month, 0, 0, 0, 0, 0, 0, 0, 0, @now)");
        }
        insert.Append("\nON CONFLICT (billing_account_id, year, month) DO NOTHING RETURNING id");
        command.CommandText = insert.ToString();
        AddList(command, "id", accountIds.Select(_ => Ids.New("mb", clock)).ToList());
        AddList(command, "a", accountIds);
        var inserted = new List<string>(accountIds.Count);
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                inserted.Add(reader.GetString(0));
            }
        }
        if (inserted.Count > 0)
        {
            var ids = string.Join(", ", inserted.Select((_, i) => Param("b", i)));
            foreach (var sql in new[] { WorkspacesSql, LinesSql, TotalsSql })
            {
                var ranged = sql != TotalsSql;
                await using var statement = ranged
                    ? connection.Command(string.Format(CultureInfo.InvariantCulture, sql, ids)).With("@first", first).With("@next", next)
                    : connection.Command(string.Format(CultureInfo.InvariantCulture, sql, ids));
                statement.Transaction = dbTransaction;
                AddList(statement, "b", inserted);
                await statement.ExecuteNonQueryAsync(cancellationToken);
            }
            await NoticesAsync(inserted, year, month, cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return inserted.Count;
    }

    /// <summary>A BILL_READY notice to each new bill's account (docs/domain.md §9), in the transaction that writes the bills.</summary>
    private async Task NoticesAsync(List<string> billIds, int year, int month, CancellationToken cancellationToken)
    {
        var bills = await (from b in db.MonthlyBills.AsNoTracking()
                           join a in db.BillingAccounts.AsNoTracking() on b.BillingAccountId equals a.Id
                           where billIds.Contains(b.Id)
                           select new { b.Id, b.BillingAccountId, b.Total, a.Email, a.Username }).ToListAsync(cancellationToken);
        var monthText = string.Create(CultureInfo.InvariantCulture, $"{year:D4}-{month:D2}");
        foreach (var bill in bills)
        {
            outbox.Add(new NotificationDraft(NotificationKind.BillReady, bill.BillingAccountId, bill.Email,
                new NoticeValues().Text("account", bill.Username).Text("month", monthText).Money("amount", bill.Total),
                bill.Id, "bill_ready:" + bill.Id));
        }
        await db.SaveChangesAsync(cancellationToken);
    }

    private static string Param(string prefix, int index) => string.Create(CultureInfo.InvariantCulture, $"@{prefix}{index}");

    private static void AddList(DbCommand command, string prefix, List<string> values)
    {
        for (var i = 0; i < values.Count; i++)
        {
            command.With(Param(prefix, i), values[i]);
        }
    }
}
