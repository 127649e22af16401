using System.Diagnostics;
using System.Globalization;
using Guance.Billing.Common;
using Guance.Billing.Data;
using Guance.Billing.Identity;
using Guance.Billing.Pricing;
using Guance.Billing.Wallets;
using Guance.Billing.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Guance.Billing.Settlement;

/// <summary>How long the two halves of a close took (for logs and the benchmark).</summary>
public sealed record DayCloseTimings(TimeSpan Rating, TimeSpan Charging, int BillsWritten, int ChargesMade);

/// <summary>
/// Closes a site's billing day, exactly once however often it runs, on however many hosts, and
/// wherever a crash stopped it:
/// <list type="number">
/// <item>mark the day closed (<see cref="DayCloseMarker"/>): from then on no usage lands in it;</item>
/// <item>rate every workspace that was commercial during the day and has no bill for it yet, a batch
/// of workspaces at a time (set-based reads, multi-row inserts, one transaction per batch), writing
/// one bill per workspace (unique on workspace and day; a workspace without usage gets a zero bill);</item>
/// <item>notify the high-consumption alerts of the day (<see cref="Alerts.ConsumptionAlertChecker"/>);</item>
/// <item>charge every pending billing-center bill through the wallet, and settle the bills of
/// cloud-settled workspaces: vouchers and cards first, the rest to the cloud receivable and the cloud
/// account's metering lines (<see cref="BillCharger"/>, the bills of a batch one wallet write; a charge that the
/// wallet refuses fails the close after the others, and its bill stays due);</item>
/// <item>record the day's counts and total, and that it is complete;</item>
/// <item>form the metering records that are now due (<see cref="Cloud.MeteringRecordFormer"/>).</item>
/// </list>
/// Every step skips what is done, so running it again resumes; unique keys and conditional updates,
/// not this process, decide what is done. Rating and charging are planned as batches (ranges of
/// workspaces, then of billing accounts) that hosts closing the same day claim with a lease
/// (<see cref="DayCloseClaims"/>), so that they share the work; a batch whose host died is taken over
/// when its lease expires.
/// </summary>
public sealed class DayCloser(
    BillingDbContext db,
    PriceListManager prices,
    ChargeEngine charges,
    WalletWriteRetry retry,
    ClosedDays closedDays,
    Alerts.ConsumptionAlertChecker alerts,
    Cloud.MeteringRecordFormer metering,
    IServiceScopeFactory scopes,
    IOptions<SettlementOptions> options,
    ILogger<DayCloser> logger,
    TimeProvider clock)
{
    /// <summary>
    /// The CloseDay RPC: operator only; the day's late grace must have passed (or the day be closed already, to resume
    /// its close), so that no agent is told to drop records it was promised it could still send.
    /// </summary>
    public async Task<DayClose> CloseAsync(Caller caller, string? siteCode, DateOnly? day, CancellationToken cancellationToken)
    {
        caller.RequireOperator();
        Site? site = null;
        new RequestValidator()
            .Check(!string.IsNullOrEmpty(siteCode) && Sites.TryGet(siteCode, out site), "site_code", "must be the code of a site from ListSites")
            .Check(day is not null, "day", BillingDays.Rule)
            .ThrowIfInvalid();
        var (closing, billingDay) = (site!, day!.Value);
        var closesAt = closedDays.ClosesAt(closing, billingDay);
        // A day closed already (by another host, or before a restart) may be closed again: that resumes its close.
        if (clock.GetUtcNow() < closesAt
            && !await db.DayCloses.AsNoTracking().AnyAsync(c => c.SiteCode == closing.Code && c.BillingDay == billingDay, cancellationToken))
        {
            throw SettlementErrors.DayNotEnded(closing, billingDay, closesAt);
        }
        await CloseAsync(closing, billingDay, cancellationToken);
        return await db.DayCloses.AsNoTracking().FirstAsync(c => c.SiteCode == closing.Code && c.BillingDay == billingDay, cancellationToken);
    }

    /// <summary>Closes (or resumes closing) <paramref name="day"/> of <paramref name="site"/>; the day's late grace must have passed.</summary>
    public async Task<DayCloseTimings> CloseAsync(Site site, DateOnly day, CancellationToken cancellationToken)
    {
        using var activity = BillingTelemetry.StartDayClose(site.Code, day);
        // A refused close changes nothing: the price list is found before the day is closed to usage.
        // A list never prices a day that has begun (PriceListManager), so the one found stays the one in force.
        var priceTable = await prices.InForceAsync(site.PriceRegion, day, cancellationToken) ?? throw SettlementErrors.NoPriceList(site, day);
        var now = clock.GetUtcNow();
        await DayCloseMarker.MarkAsync(db, site, day, now, cancellationToken);
        var close = await db.DayCloses.AsNoTracking().FirstAsync(c => c.SiteCode == site.Code && c.BillingDay == day, cancellationToken);
        closedDays.Remember(site, day, close.ClosedAt);
        if (close.CompletedAt is not null)
        {
            return new DayCloseTimings(TimeSpan.Zero, TimeSpan.Zero, 0, 0);
        }

        await db.DayCloses
            .Where(c => c.SiteCode == site.Code && c.BillingDay == day && c.PriceListId == null)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.PriceListId, priceTable.List.Id), cancellationToken);

        // One holder per run: a second close of the same day on this host waits for this one like another host's.
        var holder = $"{Environment.MachineName}:{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}:{Guid.NewGuid():N}";
        var claims = new DayCloseClaims(db, site.Code, day);
        var rating = Stopwatch.StartNew();
        await claims.PlanAsync(DayClosePhase.Rating, () => RatingKeysAsync(site, day, cancellationToken), options.Value.RatingBatchSize, cancellationToken);
        var written = await WorkClaimsAsync(claims, DayClosePhase.Rating, holder, batch => RateAsync(site, day, priceTable, batch, cancellationToken), cancellationToken);
        // What no plan covered (a plan is made once; normally nothing is left): skipped by its unique key if rated meanwhile.
        written += await RateAsync(site, day, priceTable, null, cancellationToken);
        rating.Stop();
        await alerts.CheckAsync(site, day, cancellationToken);
        var charging = Stopwatch.StartNew();
        var charger = new BillCharger(db, charges, retry, scopes, options, logger);
        var perClaim = Math.Max(1, options.Value.ChargeBatchSize) * (db.Database.IsNpgsql() ? Math.Max(1, options.Value.ChargeParallelism) : 1);
        await claims.PlanAsync(DayClosePhase.Charging, () => charger.DueAccountsAsync(site.Code, day, cancellationToken), perClaim, cancellationToken);
        var charged = await WorkClaimsAsync(claims, DayClosePhase.Charging, holder, batch => ChargeAsync(charger, site, day, batch, cancellationToken), cancellationToken);
        charged += await ChargeAsync(charger, site, day, null, cancellationToken);
        charging.Stop();
        if (charger.FirstRefusal is { } refused)
        {
            // The others are charged; the refused bills stay due and the day incomplete, so that the next run charges them once repaired.
            throw refused;
        }
        await CompleteAsync(site, day, cancellationToken);
        await metering.FormDueAsync(cancellationToken);
        logger.LogInformation("Closed {Site} {Day}: {Bills} bills written in {Rating} ms, {Charges} charges in {Charging} ms",
            site.Code, day, written, rating.ElapsedMilliseconds, charged, charging.ElapsedMilliseconds);
        return new DayCloseTimings(rating.Elapsed, charging.Elapsed, written, charged);
    }

    /// <summary>
    /// Works the batches of a phase's plan until none is open: claims a free one (not held, or its lease
    /// expired), does it, marks it done; when every open batch is held by another host, waits for them (a
    /// host that died leaves its lease to expire, and this one takes the batch over). A batch that fails
    /// is let go at once, so that the next run need not wait for the lease.
    /// </summary>
    private async Task<int> WorkClaimsAsync(DayCloseClaims claims, DayClosePhase phase, string holder, Func<ClaimedBatch, Task<int>> work, CancellationToken cancellationToken)
    {
        var done = 0;
        while (true)
        {
            var now = clock.GetUtcNow();
            var open = await claims.OpenAsync(phase, now, cancellationToken);
            if (open.Count == 0)
            {
                return done;
            }
            ClaimedBatch? mine = null;
            foreach (var (batch, free) in open)
            {
                if (free && await claims.TryClaimAsync(phase, batch.Batch, holder, now, now + options.Value.ClaimLease, cancellationToken))
                {
                    mine = batch;
                    break;
                }
            }
            if (mine is null)
            {
                await Task.Delay(options.Value.ClaimWait, cancellationToken);
                continue;
            }
            try
            {
                done += await work(mine);
            }
            catch
            {
                await claims.TryReleaseAsync(phase, mine.Batch, holder);
                throw;
            }
            await claims.CompleteAsync(phase, mine.Batch, holder, clock.GetUtcNow(), cancellationToken);
        }
    }

    private async Task<List<(string Key, int Weight)>> RatingKeysAsync(Site site, DateOnly day, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            var workspaces = await new DayRating(db.Database.GetDbConnection(), site, day).NextWorkspacesAsync("", null, int.MaxValue, cancellationToken);
            return workspaces.Select(w => (w.Id, 1)).ToList();
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private async Task<int> ChargeAsync(BillCharger charger, Site site, DateOnly day, ClaimedBatch? accounts, CancellationToken cancellationToken) =>
        await charger.ChargeAllAsync(site.Code, day, ChargeMode.Wallet, clock.GetUtcNow(), cancellationToken, accounts)
        + await charger.ChargeAllAsync(site.Code, day, ChargeMode.Cloud, clock.GetUtcNow(), cancellationToken, accounts);

    /// <summary>Rates the workspaces of <paramref name="workspaces"/> (all of the day when null) that have no bill yet, a transaction per batch.</summary>
    private async Task<int> RateAsync(Site site, DateOnly day, PriceTable priceTable, ClaimedBatch? workspaces, CancellationToken cancellationToken)
    {
        var batchSize = Math.Max(1, options.Value.RatingBatchSize);
        var written = 0;
        var after = workspaces?.AfterKey ?? "";
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            var rating = new DayRating(db.Database.GetDbConnection(), site, day);
            while (true)
            {
                var batch = await rating.NextWorkspacesAsync(after, workspaces?.LastKey, batchSize, cancellationToken);
                if (batch.Count == 0)
                {
                    return written;
                }
                var first = batch[0].Id;
                after = batch[^1].Id;
                var usage = await rating.UsageAsync(first, after, cancellationToken);
                var retention = await rating.RetentionAsync(first, after, cancellationToken);
                var bills = batch.Select(w => Bill(w, usage.GetValueOrDefault(w.Id) ?? [], retention, priceTable)).ToList();

                var now = clock.GetUtcNow();
                await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
                written += await new BillStore(db.Database.GetDbConnection(), transaction.GetDbTransaction())
                    .InsertAsync(bills, site.Code, day, priceTable.List.Id, now, cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private NewBill Bill(WorkspaceToRate workspace, List<ItemUsage> usage, Dictionary<(string WorkspaceId, DataType Type), int> retention, PriceTable priceTable)
    {
        var lines = DailyBillCalculator.Rate(usage, type => retention.TryGetValue((workspace.Id, type), out var days) ? days : null, priceTable);
        var total = DailyBillCalculator.Total(lines);
        var status = workspace.BillingAccountId is null ? DailyBillStatus.Unbound
            : workspace.Method.IsCloud() ? DailyBillStatus.AwaitingCloud
            : total == 0 ? DailyBillStatus.Charged
            : DailyBillStatus.Pending;
        return new NewBill(Ids.New("db", clock), workspace, lines, total, status);
    }

    private async Task CompleteAsync(Site site, DateOnly day, CancellationToken cancellationToken)
    {
        var counts = await db.DailyBills.AsNoTracking()
            .Where(b => b.SiteCode == site.Code && b.BillingDay == day)
            .GroupBy(b => b.Status)
            .Select(g => new { Status = g.Key, Count = g.Count(), Total = g.Sum(b => b.Total) })
            .ToListAsync(cancellationToken);
        if (counts.Any(c => c.Status == DailyBillStatus.Pending))
        {
            return; // another run is still charging; it completes the day
        }
        int Count(DailyBillStatus status) => counts.Where(c => c.Status == status).Sum(c => c.Count);
        var now = clock.GetUtcNow();
        var bills = counts.Sum(c => c.Count);
        var billsCharged = Count(DailyBillStatus.Charged);
        var billsAwaitingCloud = Count(DailyBillStatus.AwaitingCloud);
        var billsUnbound = Count(DailyBillStatus.Unbound);
        var total = counts.Sum(c => c.Total);
        await db.DayCloses
            .Where(c => c.SiteCode == site.Code && c.BillingDay == day && c.CompletedAt == null)
            .ExecuteUpdateAsync(s => s
                .SetProperty(c => c.CompletedAt, now)
                .SetProperty(c => c.Bills, bills)
                .SetProperty(c => c.BillsCharged, billsCharged)
                .SetProperty(c => c.BillsAwaitingCloud, billsAwaitingCloud)
                .SetProperty(c => c.BillsUnbound, billsUnbound)
                .SetProperty(c => c.Total, total), cancellationToken);
    }
}
