using System.Collections.Concurrent;
using System.Globalization;
using Guance.Billing.Common;
using Guance.Billing.Data;
using Guance.Billing.Usage;
using Guance.Billing.Wallets;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Guance.Billing.Settlement;

/// <summary>
/// Pays a day's rated bills through the wallet's <see cref="ChargeEngine"/>, the bill id as the
/// charge's reference (so a charge is made at most once, whoever retries):
/// <list type="bullet">
/// <item>billing-center bills (Pending) in wallet mode: vouchers, cards, cash, then arrears;</item>
/// <item>cloud-settled bills (AwaitingCloud) in cloud mode: vouchers and cards first, the rest to the
/// billing account's cloud receivable, written per item as <see cref="Cloud.CloudMeteringLine"/>s; such a
/// bill stays AwaitingCloud (charged_at set) until the marketplace acknowledged its metering records.</item>
/// </list>
/// Bills are charged in batches, one database transaction per batch; the bills of all the billing accounts
/// of a batch are one wallet write (<see cref="ChargeEngine.ChargeBatchAsync"/>: the wallets locked and read in one
/// statement, their ledger accounts in one query, then one save: on PostgreSQL the balances, transactions and entries
/// in one batch of statements, <see cref="Wallets.LedgerWriter"/>), and the batch's bills are
/// marked charged by one conditional update (set-based) in the same transaction, so that a bill is marked
/// exactly when its charge commits, by the one run that moves it from its status. A batch takes the wallets in
/// billing-account order, so that two closes (two sites, or two hosts) never deadlock; a batch that
/// loses a race is retried whole. A charge that the wallet refuses (an account without a wallet, a bill id
/// used as another charge's reference) fails only its bill: it stays due, the others commit, and
/// <see cref="FirstRefusal"/> tells the close not to complete the day.
/// On PostgreSQL, <see cref="SettlementOptions.ChargeParallelism"/> batches run at once, each on a
/// connection (and a scope) of its own: the bills due are read in billing-account order and cut into
/// slices at account boundaries, so the slices lock disjoint wallets, each in ascending order (no
/// deadlock among them or with another host). SQLite has one writer: there a batch runs alone.
/// </summary>
internal sealed class BillCharger(
    BillingDbContext db, ChargeEngine charges, WalletWriteRetry retry, IServiceScopeFactory scopes, IOptions<SettlementOptions> options, ILogger logger)
{
    private const string DueSqlFormat = """
        SELECT id, workspace_id, billing_account_id, cloud_account_id FROM daily_bills
        WHERE site_code = @site AND billing_day = @day AND status = @status AND charged_at IS NULL
          AND billing_account_id IS NOT NULL AND (status = 1 OR cloud_account_id IS NOT NULL)
          AND (billing_account_id > @cursor_account OR (billing_account_id = @cursor_account AND id > @cursor_id)) {0}
        ORDER BY billing_account_id, id
        LIMIT @limit
        """;

    private static readonly string DueSql = DueSqlFormat.Replace("{0}", "", StringComparison.Ordinal);
    private static readonly string DueInRangeSql = DueSqlFormat.Replace("{0}", "AND billing_account_id > @after AND billing_account_id <= @last", StringComparison.Ordinal);

    private const string DueAccountsSql = """
        SELECT billing_account_id, COUNT(*) FROM daily_bills
        WHERE site_code = @site AND billing_day = @day AND charged_at IS NULL AND billing_account_id IS NOT NULL
          AND (status = 1 OR (status = 3 AND cloud_account_id IS NOT NULL))
        GROUP BY billing_account_id
        ORDER BY billing_account_id
        """;

    // The bills whose charge the wallet refused in this charger's runs, with the first refusal: tried once per close.
    private readonly ConcurrentDictionary<string, BillingException> _refused = new(StringComparer.Ordinal);
    private BillingException? _firstRefusal;

    /// <summary>The first charge that the wallet refused in this charger's runs (its bill stays due), or null.</summary>
    public BillingException? FirstRefusal => Volatile.Read(ref _firstRefusal);

    /// <summary>
    /// Charges every bill of the site-day that <paramref name="mode"/> pays (Pending for the wallet,
    /// AwaitingCloud for the cloud), of the billing accounts of <paramref name="accounts"/> when given (a
    /// claimed batch of the close); returns how many this run charged.
    /// </summary>
    public async Task<int> ChargeAllAsync(string siteCode, DateOnly day, ChargeMode mode, DateTimeOffset now, CancellationToken cancellationToken,
        ClaimedBatch? accounts = null)
    {
        var status = mode == ChargeMode.Wallet ? DailyBillStatus.Pending : DailyBillStatus.AwaitingCloud;
        var batchSize = Math.Max(1, options.Value.ChargeBatchSize);
        var parallelism = db.Database.IsNpgsql() ? Math.Max(1, options.Value.ChargeParallelism) : 1;
        var batch = new BatchContext(siteCode, day, status, mode, now);
        var charged = 0;
        // Read on after the last bill seen, so that a refused bill (still due) is not read again by this run.
        var cursor = ("", "");
        while (true)
        {
            var bills = await DueAsync(siteCode, day, status, batchSize * parallelism, accounts, cursor, cancellationToken);
            if (bills.Count == 0)
            {
                return charged;
            }
            cursor = (bills[^1].BillingAccountId, bills[^1].Id);
            bills.RemoveAll(b => _refused.ContainsKey(b.Id));
            if (bills.Count == 0)
            {
                continue;
            }
            var lines = await LinesAsync(bills, cancellationToken);
            var slices = ChargeSlices.Cut(bills, parallelism, b => b.BillingAccountId);
            if (slices.Count == 1)
            {
                charged += await ChargeBatchAsync(db, charges, retry, bills, lines, batch, cancellationToken);
                continue;
            }
            var counts = await Task.WhenAll(slices.Select(slice => ChargeOnOwnConnectionAsync(slice, lines, batch, cancellationToken)));
            charged += counts.Sum();
        }
    }

    private sealed record BatchContext(string SiteCode, DateOnly Day, DailyBillStatus Status, ChargeMode Mode, DateTimeOffset Now);

    private async Task<int> ChargeOnOwnConnectionAsync(List<DueBill> bills, ILookup<string, ChargeLine> lines, BatchContext batch, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        return await ChargeBatchAsync(services.GetRequiredService<BillingDbContext>(), services.GetRequiredService<ChargeEngine>(),
            services.GetRequiredService<WalletWriteRetry>(), bills, lines, batch, cancellationToken);
    }

    private async Task<int> ChargeBatchAsync(
        BillingDbContext context, ChargeEngine engine, WalletWriteRetry writes, List<DueBill> bills, ILookup<string, ChargeLine> lines, BatchContext batch,
        CancellationToken cancellationToken)
    {
        var (marked, refused) = await writes.RunAsync($"A batch of {bills.Count} charges ({batch.Mode}) of {batch.Day:yyyy-MM-dd}", options.Value.ChargeAttempts, async transaction =>
        {
            var (paid, refusals) = await ChargeBillsAsync(engine, bills, lines, batch, cancellationToken);
            context.ChangeTracker.Clear();
            // The batch's bills marked, and the cloud bills' metering lines written, set-based, in the charges' transaction.
            var store = new BillStore(context.Database.GetDbConnection(), transaction.GetDbTransaction());
            var marked = await store.MarkChargedAsync([.. paid.Select(p => (p.Bill.Id, p.Result))], batch.Status, batch.Now, cancellationToken);
            if (batch.Mode == ChargeMode.Cloud)
            {
                await store.InsertMeteringLinesAsync([.. paid.Where(p => p.Result is not null && marked.Contains(p.Bill.Id)).Select(p => (p.Bill, p.Result!))],
                    batch.SiteCode, batch.Day, cancellationToken);
            }
            return (marked.Count, refusals);
        }, cancellationToken);
        foreach (var (bill, refusal) in refused)
        {
            logger.LogWarning("The charge of daily bill {Bill} to billing account {Account} was refused ({Reason}): {Message}; the bill stays due.",
                bill.Id, bill.BillingAccountId, refusal.Reason, refusal.Message);
            _refused.TryAdd(bill.Id, refusal);
            Interlocked.CompareExchange(ref _firstRefusal, refusal, null);
        }
        return marked;
    }

    /// <summary>
    /// One wallet write for all the bills of the batch; each bill with what paid it (null: nothing to pay, no charge), and
    /// the refused ones apart. A bill that another run charged meanwhile gets its charge replayed here, and is then left as
    /// it is by the marking.
    /// </summary>
    private static async Task<(List<(DueBill Bill, ChargeResult? Result)> Paid, List<(DueBill Bill, BillingException Refusal)> Refused)> ChargeBillsAsync(
        ChargeEngine engine, List<DueBill> bills, ILookup<string, ChargeLine> lines, BatchContext batch, CancellationToken cancellationToken)
    {
        var toCharge = bills.Where(b => lines[b.Id].Any()).ToList();
        var requests = toCharge.Select(b => new ChargeRequest(b.BillingAccountId, b.Id, lines[b.Id].ToList(), batch.Mode, Description(b, batch.Day))).ToList();
        var attempts = await engine.ChargeBatchAsync(requests, cancellationToken);
        var results = new Dictionary<string, ChargeResult>(StringComparer.Ordinal);
        var refused = new List<(DueBill, BillingException)>();
        for (var i = 0; i < toCharge.Count; i++)
        {
            if (attempts[i].Outcome is { } outcome)
            {
                results.Add(toCharge[i].Id, outcome.Result);
            }
            else
            {
                refused.Add((toCharge[i], attempts[i].Refusal!));
            }
        }
        var refusedIds = refused.Select(r => r.Item1.Id).ToHashSet(StringComparer.Ordinal);
        return ([.. bills.Where(b => !refusedIds.Contains(b.Id)).Select(b => (b, results.GetValueOrDefault(b.Id)))], refused);
    }

    private static string Description(DueBill bill, DateOnly day) => bill.CloudAccountId is null
        ? $"Daily bill {day:yyyy-MM-dd} of workspace {bill.WorkspaceId}"
        : $"Daily bill {day:yyyy-MM-dd} of workspace {bill.WorkspaceId} (cloud account {bill.CloudAccountId})";

    /// <summary>The billing accounts with bills of the site-day still to charge (either mode), in order, with their number: the keys of the charging plan.</summary>
    public async Task<List<(string Key, int Weight)>> DueAccountsAsync(string siteCode, DateOnly day, CancellationToken cancellationToken)
    {
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = connection.Command(DueAccountsSql).With("@site", siteCode).With("@day", day);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var accounts = new List<(string, int)>();
            while (await reader.ReadAsync(cancellationToken))
            {
                accounts.Add((reader.GetString(0), Convert.ToInt32(reader.GetValue(1), CultureInfo.InvariantCulture)));
            }
            return accounts;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private async Task<List<DueBill>> DueAsync(
        string siteCode, DateOnly day, DailyBillStatus status, int limit, ClaimedBatch? accounts, (string Account, string Id) cursor, CancellationToken cancellationToken)
    {
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = connection.Command(accounts is null ? DueSql : DueInRangeSql)
                .With("@site", siteCode).With("@day", day).With("@status", (int)status).With("@limit", limit)
                .With("@cursor_account", cursor.Account).With("@cursor_id", cursor.Id);
            if (accounts is not null)
            {
                command.With("@after", accounts.AfterKey).With("@last", accounts.LastKey);
            }
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var bills = new List<DueBill>(limit);
            while (await reader.ReadAsync(cancellationToken))
            {
                bills.Add(new DueBill(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3)));
            }
            return bills;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private async Task<ILookup<string, ChargeLine>> LinesAsync(List<DueBill> bills, CancellationToken cancellationToken)
    {
        var ids = bills.Select(b => b.Id).ToList();
        var lines = await db.DailyBillLines.AsNoTracking()
            .Where(l => ids.Contains(l.DailyBillId) && l.Amount > 0)
            .Select(l => new { l.DailyBillId, l.Item, l.Amount })
            .ToListAsync(cancellationToken);
        return lines.OrderBy(l => (int)l.Item).ToLookup(l => l.DailyBillId, l => new ChargeLine(BillingItems.Get(l.Item).Code, l.Amount));
    }

}
