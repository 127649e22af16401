using System.Security.Cryptography;
using System.Text;
using Guance.Billing.Data;
using Guance.Billing.Settlement;
using Guance.Billing.Usage;
using Guance.Billing.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Guance.Billing.Cloud;

/// <summary>
/// Gathers the cloud lines of a cloud account and day into metering records, one per item, merged
/// over every site, once that day is closed on every site concerned: the sites of its lines and the
/// sites of the workspaces that settle through the account now (a site that still has to close the
/// day may add to it). Each record takes its lines by a conditional update in its own transaction and
/// has a unique (cloud account, day, item, part), so two runs on two hosts form it once; lines that
/// come after a record was formed make the next part. An AWS record reports the hour it is formed in, and
/// AWS takes one per product and customer (the marketplace instance), dimension and hour: a second record of an instance and item (another day,
/// closed in the same hour after an outage, or a later part) waits for a later hour, which the
/// unique <c>ux_cloud_metering_records_aws_hour</c> also holds across hosts.
/// </summary>
public sealed class MeteringRecordFormer(BillingDbContext db, ILogger<MeteringRecordFormer> logger, TimeProvider clock)
{
    private static readonly System.Buffers.SearchValues<char> LowerHex = System.Buffers.SearchValues.Create("0123456789abcdef");

    /// <summary>Forms every record that is due; returns how many this run formed.</summary>
    public async Task<int> FormDueAsync(CancellationToken cancellationToken)
    {
        var groups = await db.CloudMeteringLines.AsNoTracking()
            .Where(l => l.RecordId == null)
            .Select(l => new { l.CloudAccountId, l.BillingDay })
            .Distinct()
            .ToListAsync(cancellationToken);
        var formed = 0;
        foreach (var group in groups.OrderBy(g => g.BillingDay).ThenBy(g => g.CloudAccountId, StringComparer.Ordinal))
        {
            if (await IsDayClosedEverywhereAsync(group.CloudAccountId, group.BillingDay, cancellationToken))
            {
                formed += await FormAsync(group.CloudAccountId, group.BillingDay, cancellationToken);
            }
        }
        return formed;
    }

    private async Task<bool> IsDayClosedEverywhereAsync(string cloudAccountId, DateOnly day, CancellationToken cancellationToken)
    {
        var lineSites = await db.CloudMeteringLines.AsNoTracking()
            .Where(l => l.CloudAccountId == cloudAccountId && l.BillingDay == day)
            .Select(l => l.SiteCode).Distinct().ToListAsync(cancellationToken);
        var settlingSites = await (from s in db.WorkspaceSettlements.AsNoTracking()
                                   join w in db.Workspaces.AsNoTracking() on s.WorkspaceId equals w.Id
                                   where s.CloudAccountId == cloudAccountId
                                   select w.SiteCode).Distinct().ToListAsync(cancellationToken);
        var sites = lineSites.Union(settlingSites).ToList();
        var complete = await db.DayCloses.AsNoTracking()
            .CountAsync(c => sites.Contains(c.SiteCode) && c.BillingDay == day && c.CompletedAt != null, cancellationToken);
        return complete == sites.Count;
    }

    private async Task<int> FormAsync(string cloudAccountId, DateOnly day, CancellationToken cancellationToken)
    {
        var account = await db.CloudAccounts.AsNoTracking().FirstAsync(c => c.Id == cloudAccountId, cancellationToken);
        var now = clock.GetUtcNow();
        var usageTime = HourOf(now);
        var items = await db.CloudMeteringLines.AsNoTracking()
            .Where(l => l.CloudAccountId == cloudAccountId && l.BillingDay == day && l.RecordId == null)
            .Select(l => l.Item).Distinct().ToListAsync(cancellationToken);
        var formed = 0;
        foreach (var item in items.Order())
        {
            if (account.Provider == CloudProvider.Aws && await AwsHourTakenAsync(account.MarketplaceInstanceId, item, usageTime, cancellationToken))
            {
                // AWS takes one quantity per product and customer, dimension and hour: another day's (or part's) record of this hour
                // would be refused as a duplicate. These lines wait for a later hour's run.
                logger.LogInformation("Metering record of {CloudAccount} {Day} {Item} waits for the next hour: AWS has one of this hour", cloudAccountId, day, item);
                continue;
            }
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            try
            {
                var part = await db.CloudMeteringRecords.CountAsync(r => r.CloudAccountId == cloudAccountId && r.BillingDay == day && r.Item == item, cancellationToken);
                var id = RecordId(cloudAccountId, day, item, part);
                var claimed = await db.CloudMeteringLines
                    .Where(l => l.CloudAccountId == cloudAccountId && l.BillingDay == day && l.Item == item && l.RecordId == null)
                    .ExecuteUpdateAsync(s => s.SetProperty(l => l.RecordId, id), cancellationToken);
                if (claimed == 0)
                {
                    continue; // another run formed it
                }
                var amount = await db.CloudMeteringLines.Where(l => l.RecordId == id).SumAsync(l => l.Amount, cancellationToken);
                db.CloudMeteringRecords.Add(new CloudMeteringRecord
                {
                    Id = id,
                    Provider = account.Provider,
                    CloudAccountId = cloudAccountId,
                    BillingAccountId = account.BillingAccountId,
                    ProviderAccountId = account.ProviderAccountId,
                    MarketplaceInstanceId = account.MarketplaceInstanceId,
                    BillingDay = day,
                    Item = item,
                    Part = part,
                    Amount = amount,
                    UsageTime = usageTime,
                    Status = MeteringRecordStatus.Pending,
                    CreatedAt = now,
                });
                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                formed++;
            }
            catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e) || DbErrors.IsConcurrencyConflict(e))
            {
                await transaction.RollbackAsync(CancellationToken.None);
                logger.LogInformation("Metering record of {CloudAccount} {Day} {Item} was not formed in this run (another run formed it, took AWS's hour, or changed the rows first); the next run looks again",
                    cloudAccountId, day, item);
            }
            finally
            {
                db.ChangeTracker.Clear();
            }
        }
        return formed;
    }

    /// <summary>
    /// Inside the caller's transaction, a new part of an expired AWS record's day and item, reporting
    /// <paramref name="usageTime"/> (this hour), takes its lines and its amount (ReissueCloudMeteringRecord). Null when
    /// AWS has a record of the customer and dimension in that hour.
    /// </summary>
    public async Task<CloudMeteringRecord?> ReplaceAsync(CloudMeteringRecord expired, DateTimeOffset usageTime, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (await AwsHourTakenAsync(expired.MarketplaceInstanceId, expired.Item, usageTime, cancellationToken))
        {
            return null;
        }
        var part = await db.CloudMeteringRecords.CountAsync(
            r => r.CloudAccountId == expired.CloudAccountId && r.BillingDay == expired.BillingDay && r.Item == expired.Item, cancellationToken);
        var replacement = new CloudMeteringRecord
        {
            Id = RecordId(expired.CloudAccountId, expired.BillingDay, expired.Item, part),
            Provider = expired.Provider,
            CloudAccountId = expired.CloudAccountId,
            BillingAccountId = expired.BillingAccountId,
            ProviderAccountId = expired.ProviderAccountId,
            MarketplaceInstanceId = expired.MarketplaceInstanceId,
            BillingDay = expired.BillingDay,
            Item = expired.Item,
            Part = part,
            Amount = expired.Amount,
            UsageTime = usageTime,
            Status = MeteringRecordStatus.Pending,
            CreatedAt = now,
        };
        await db.CloudMeteringLines.Where(l => l.RecordId == expired.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.RecordId, replacement.Id), cancellationToken);
        db.CloudMeteringRecords.Add(replacement);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
        return replacement;
    }

    /// <summary>The hour a record formed at <paramref name="now"/> reports.</summary>
    public static DateTimeOffset HourOf(DateTimeOffset now) => new(now.UtcDateTime.Date.AddHours(now.UtcDateTime.Hour), TimeSpan.Zero);

    private Task<bool> AwsHourTakenAsync(string marketplaceInstanceId, BillingItem item, DateTimeOffset usageTime, CancellationToken cancellationToken) =>
        db.CloudMeteringRecords.AnyAsync(
            r => r.Provider == CloudProvider.Aws && r.MarketplaceInstanceId == marketplaceInstanceId && r.Item == item && r.UsageTime == usageTime,
            cancellationToken);

    /// <summary>Whether <paramref name="value"/> has the form of a record id.</summary>
    public static bool IsRecordId(string? value) =>
        value is { Length: 36 } && value.StartsWith("cmr_", StringComparison.Ordinal) && value.AsSpan(4).ContainsAnyExcept(LowerHex) == false;

    /// <summary>
    /// The record's id, derived from what it meters: the same record always has the same id, so a
    /// resend after a lost answer is a duplicate the marketplace accepts.
    /// </summary>
    public static string RecordId(string cloudAccountId, DateOnly day, BillingItem item, int part)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{cloudAccountId}|{day:yyyy-MM-dd}|{BillingItems.Get(item).Code}|{part}"));
        return "cmr_" + Convert.ToHexStringLower(hash.AsSpan(0, 16));
    }
}
