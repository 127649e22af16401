using Guance.Billing.Data;
using Guance.Billing.Usage;
using Guance.Billing.Wallets;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Guance.Billing.Settlement;

/// <summary>
/// Pays a day's pending billing-center bills through the wallet's <see cref="ChargeEngine"/>, the
/// bill id as the charge's reference (so a charge is made at most once, whoever retries). Bills are
/// charged in batches, one database transaction per batch, each charge joining it with the bill's
/// update, so that a bill is marked charged exactly when its charge commits. A batch takes the
/// wallets in billing-account order, so that two closes (two sites, or two hosts) never deadlock; a
/// batch that loses a race is retried whole.
/// </summary>
internal sealed class BillCharger(
    BillingDbContext db, ChargeEngine charges, WalletWriteGate gate, IOptions<SettlementOptions> options, ILogger logger)
{
    private const string PendingSql = """
        SELECT id, workspace_id, billing_account_id, total FROM daily_bills
        WHERE site_code = @site AND billing_day = @day AND status = 1 AND billing_account_id IS NOT NULL
        ORDER BY billing_account_id, id
        LIMIT @limit
        """;

    /// <summary>Charges every pending bill of the site-day; returns how many charges this run made.</summary>
    public async Task<int> ChargeAllAsync(string siteCode, DateOnly day, CancellationToken cancellationToken)
    {
        var charged = 0;
        while (true)
        {
            var pending = await PendingAsync(siteCode, day, Math.Max(1, options.Value.ChargeBatchSize), cancellationToken);
            if (pending.Count == 0)
            {
                return charged;
            }
            var lines = await LinesAsync(pending, cancellationToken);
            charged += await ChargeBatchAsync(pending, lines, day, cancellationToken);
        }
    }

    private async Task<int> ChargeBatchAsync(List<PendingBill> bills, ILookup<string, ChargeLine> lines, DateOnly day, CancellationToken cancellationToken)
    {
        var attempts = Math.Max(1, options.Value.ChargeAttempts);
        for (var attempt = 1; ; attempt++)
        {
            using (await gate.EnterAsync(cancellationToken))
            {
                await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
                db.Database.AutoSavepointsEnabled = false;
                try
                {
                    var store = new BillStore(db.Database.GetDbConnection(), transaction.GetDbTransaction());
                    var charged = 0;
                    foreach (var bill in bills)
                    {
                        var request = new ChargeRequest(bill.BillingAccountId, bill.Id, lines[bill.Id].ToList(), ChargeMode.Wallet,
                            $"Daily bill {day:yyyy-MM-dd} of workspace {bill.WorkspaceId}");
                        var outcome = await charges.ChargeAsync(request, cancellationToken);
                        // A bill another run charged meanwhile is left as it is (its charge here was a replay).
                        charged += await store.MarkChargedAsync(bill.Id, outcome.Result, cancellationToken) ? 1 : 0;
                        db.ChangeTracker.Clear();
                    }
                    await transaction.CommitAsync(cancellationToken);
                    return charged;
                }
                catch (Exception e) when (IsLostRace(e) && attempt < attempts)
                {
                    await transaction.RollbackAsync(CancellationToken.None);
                    logger.LogInformation("A batch of {Bills} charges of {Day} lost a race (attempt {Attempt}); retrying: {Error}",
                        bills.Count, day, attempt, e.InnerException?.Message ?? e.Message);
                }
                finally
                {
                    db.ChangeTracker.Clear();
                    db.Database.AutoSavepointsEnabled = true;
                }
            }
            await Task.Delay(TimeSpan.FromMilliseconds(20 * attempt * Random.Shared.Next(1, 5)), cancellationToken);
        }
    }

    private async Task<List<PendingBill>> PendingAsync(string siteCode, DateOnly day, int limit, CancellationToken cancellationToken)
    {
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = connection.Command(PendingSql, "@site", "@day", "@limit").Set(0, siteCode).Set(1, day).Set(2, limit);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var bills = new List<PendingBill>(limit);
            while (await reader.ReadAsync(cancellationToken))
            {
                bills.Add(new PendingBill(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3)));
            }
            return bills;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private async Task<ILookup<string, ChargeLine>> LinesAsync(List<PendingBill> bills, CancellationToken cancellationToken)
    {
        var ids = bills.Select(b => b.Id).ToList();
        var lines = await db.DailyBillLines.AsNoTracking()
            .Where(l => ids.Contains(l.DailyBillId) && l.Amount > 0)
            .Select(l => new { l.DailyBillId, l.Item, l.Amount })
            .ToListAsync(cancellationToken);
        return lines.OrderBy(l => (int)l.Item).ToLookup(l => l.DailyBillId, l => new ChargeLine(BillingItems.Get(l.Item).Code, l.Amount));
    }

    private static bool IsLostRace(Exception e) =>
        DbErrors.IsConcurrencyConflict(e) || (e is DbUpdateException && DbErrors.IsUniqueViolation(e));
}
