using Guance.Billing.Data;
using Guance.Billing.Settlement;
using Guance.Billing.Usage;
using Guance.Billing.Wallets;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Guance.Billing.Cloud;

/// <summary>
/// Settles a day's bills of cloud-settled workspaces (status AwaitingCloud): the wallet's
/// <see cref="ChargeEngine"/> in cloud mode lets vouchers and cards pay first and books the rest to
/// the billing account's cloud receivable; the same database transaction marks the bill charged (a
/// conditional update: only the run that moves it from AwaitingCloud writes anything more) and writes
/// the cloud part per item as <see cref="CloudMeteringLine"/>s (keyed by bill and item). The charge's
/// reference is the bill id, so a retry or a second host replays it instead of charging twice. Batches
/// take wallets in billing-account order, like <see cref="BillCharger"/>, and a batch that loses a race
/// is retried whole.
/// </summary>
internal sealed class CloudBillCharger(
    BillingDbContext db, ChargeEngine charges, WalletWriteGate gate, IOptions<SettlementOptions> options, ILogger logger)
{
    private const string AwaitingSql = """
        SELECT id, workspace_id, billing_account_id, cloud_account_id FROM daily_bills
        WHERE site_code = @site AND billing_day = @day AND status = 3
          AND billing_account_id IS NOT NULL AND cloud_account_id IS NOT NULL
        ORDER BY billing_account_id, id
        LIMIT @limit
        """;

    private const string SettledSql = """
        UPDATE daily_bills SET status = 2, paid_by_vouchers = @v, paid_by_prepaid_cards = @c, paid_by_cash = 0,
            arrears = 0, cloud_amount = @cloud, transaction_id = @t, charged_at = @at
        WHERE id = @id AND status = 3
        """;

    private const string LineSql = """
        INSERT INTO cloud_metering_lines (daily_bill_id, item, cloud_account_id, billing_account_id, site_code, billing_day, amount, record_id)
        VALUES (@b, @i, @ca, @ba, @site, @day, @a, NULL)
        """;

    private sealed record AwaitingBill(string Id, string WorkspaceId, string BillingAccountId, string CloudAccountId);

    /// <summary>Settles every awaiting cloud bill of the site-day; returns how many this run settled.</summary>
    public async Task<int> SettleAllAsync(string siteCode, DateOnly day, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var settled = 0;
        while (true)
        {
            var bills = await AwaitingAsync(siteCode, day, Math.Max(1, options.Value.ChargeBatchSize), cancellationToken);
            if (bills.Count == 0)
            {
                return settled;
            }
            var ids = bills.Select(b => b.Id).ToList();
            var lines = (await db.DailyBillLines.AsNoTracking()
                    .Where(l => ids.Contains(l.DailyBillId) && l.Amount > 0)
                    .Select(l => new { l.DailyBillId, l.Item, l.Amount })
                    .ToListAsync(cancellationToken))
                .OrderBy(l => (int)l.Item)
                .ToLookup(l => l.DailyBillId, l => new ChargeLine(BillingItems.Get(l.Item).Code, l.Amount));
            settled += await SettleBatchAsync(bills, lines, siteCode, day, now, cancellationToken);
        }
    }

    private async Task<int> SettleBatchAsync(
        List<AwaitingBill> bills, ILookup<string, ChargeLine> lines, string siteCode, DateOnly day, DateTimeOffset now, CancellationToken cancellationToken)
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
                    var settled = 0;
                    foreach (var bill in bills)
                    {
                        settled += await SettleAsync(bill, lines[bill.Id].ToList(), transaction.GetDbTransaction(), siteCode, day, now, cancellationToken) ? 1 : 0;
                        db.ChangeTracker.Clear();
                    }
                    await transaction.CommitAsync(cancellationToken);
                    return settled;
                }
                catch (Exception e) when (IsLostRace(e) && attempt < attempts)
                {
                    await transaction.RollbackAsync(CancellationToken.None);
                    logger.LogInformation("A batch of {Bills} cloud settlements of {Day} lost a race (attempt {Attempt}); retrying: {Error}",
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

    private async Task<bool> SettleAsync(
        AwaitingBill bill, List<ChargeLine> lines, System.Data.Common.DbTransaction transaction, string siteCode, DateOnly day, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var connection = db.Database.GetDbConnection();
        ChargeResult? result = null;
        if (lines.Count > 0)
        {
            var request = new ChargeRequest(bill.BillingAccountId, bill.Id, lines, ChargeMode.Cloud,
                $"Daily bill {day:yyyy-MM-dd} of workspace {bill.WorkspaceId} (cloud account {bill.CloudAccountId})");
            result = (await charges.ChargeAsync(request, cancellationToken)).Result;
        }
        await using (var mark = connection.Command(SettledSql, "@v", "@c", "@cloud", "@t", "@at", "@id"))
        {
            mark.Transaction = transaction;
            mark.Parameters[3].DbType = System.Data.DbType.String;
            mark.Set(0, result is null ? 0 : result.PaidBy(FundingSource.OrdinaryVoucher) + result.PaidBy(FundingSource.FullReductionVoucher))
                .Set(1, result?.PaidBy(FundingSource.PrepaidCard) ?? 0)
                .Set(2, result?.CloudAmount ?? 0)
                .Set(3, result?.TransactionId)
                .Set(4, UnixMicrosecondsConverter.ToMicroseconds(result?.CreatedAt ?? now))
                .Set(5, bill.Id);
            if (await mark.ExecuteNonQueryAsync(cancellationToken) == 0)
            {
                return false; // another run settled it meanwhile (its charge here was a replay)
            }
        }
        if (result is null)
        {
            return true;
        }
        foreach (var item in result.Allocations.Where(a => a.Source == FundingSource.CloudAccount).GroupBy(a => a.ItemCode, StringComparer.Ordinal))
        {
            await using var insert = connection.Command(LineSql, "@b", "@i", "@ca", "@ba", "@site", "@day", "@a");
            insert.Transaction = transaction;
            insert.Set(0, bill.Id)
                .Set(1, (int)BillingItems.FindByCode(item.Key)!.Item)
                .Set(2, bill.CloudAccountId)
                .Set(3, bill.BillingAccountId)
                .Set(4, siteCode)
                .Set(5, day)
                .Set(6, item.Sum(a => a.Amount));
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
        return true;
    }

    private async Task<List<AwaitingBill>> AwaitingAsync(string siteCode, DateOnly day, int limit, CancellationToken cancellationToken)
    {
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = connection.Command(AwaitingSql, "@site", "@day", "@limit").Set(0, siteCode).Set(1, day).Set(2, limit);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var bills = new List<AwaitingBill>(limit);
            while (await reader.ReadAsync(cancellationToken))
            {
                bills.Add(new AwaitingBill(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)));
            }
            return bills;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static bool IsLostRace(Exception e) =>
        DbErrors.IsConcurrencyConflict(e) || (e is DbUpdateException && DbErrors.IsUniqueViolation(e));
}
