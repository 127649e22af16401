using Guance.Billing.Data;
using Guance.Billing.Jobs;
using Guance.Billing.Usage;
using Guance.Billing.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Guance.Billing.Settlement;

/// <summary>
/// Closes every site's days on the clock: day D of a site is due once D has ended there and the late
/// grace has passed (00:00 + <see cref="UsageOptions.LateGrace"/> of the next site-local day). Each
/// pass first resumes closes a crash left unfinished, then closes, in order, every due day of a site
/// that is not closed yet, from the day of the site's first upgrade on (before it no workspace of the
/// site had anything to bill). Sites without a commercial workspace have nothing to close. Off where
/// <see cref="SettlementOptions.DayCloseJobEnabled"/> is.
/// </summary>
public sealed class DayCloseJob(
    BillingDbContext db, DayCloser closer, IOptions<UsageOptions> usage, IOptions<SettlementOptions> options, ILogger<DayCloseJob> logger) : IScheduledJob
{
    public string Name => "day-close";

    public int Order => 20;

    public async Task RunDueAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!options.Value.DayCloseJobEnabled)
        {
            return;
        }
        Exception? failure = null;
        var unfinished = await db.DayCloses.AsNoTracking().Where(c => c.CompletedAt == null).Select(c => new { c.SiteCode, c.BillingDay }).ToListAsync(cancellationToken);
        foreach (var close in unfinished.OrderBy(c => c.BillingDay))
        {
            failure ??= await TryCloseAsync(Sites.Get(close.SiteCode), close.BillingDay, cancellationToken);
        }
        foreach (var (site, firstDay) in await CommercialSites.WithFirstUpgradeDayAsync(db, cancellationToken))
        {
            var lastDue = site.BillingDayOf(now - usage.Value.LateGrace).AddDays(-1);
            if (lastDue < firstDay)
            {
                continue;
            }
            var closed = (await db.DayCloses.AsNoTracking()
                .Where(c => c.SiteCode == site.Code && c.BillingDay >= firstDay && c.BillingDay <= lastDue)
                .Select(c => c.BillingDay).ToListAsync(cancellationToken)).ToHashSet();
            for (var day = firstDay; day <= lastDue; day = day.AddDays(1))
            {
                if (!closed.Contains(day) && await TryCloseAsync(site, day, cancellationToken) is { } error)
                {
                    failure ??= error;
                    break; // the next pass retries this day before any later one
                }
            }
        }
        if (failure is not null)
        {
            throw new InvalidOperationException("A day close failed; the next pass resumes it.", failure);
        }
    }

    public async Task<DateTimeOffset?> NextDueAsync(DateTimeOffset after, CancellationToken cancellationToken)
    {
        if (!options.Value.DayCloseJobEnabled)
        {
            return null;
        }
        var grace = usage.Value.LateGrace;
        DateTimeOffset? next = null;
        foreach (var (site, _) in await CommercialSites.WithFirstUpgradeDayAsync(db, cancellationToken))
        {
            var due = site.StartOf(site.BillingDayOf(after - grace).AddDays(1)) + grace;
            if (next is null || due < next)
            {
                next = due;
            }
        }
        return next;
    }

    private async Task<Exception?> TryCloseAsync(Site site, DateOnly day, CancellationToken cancellationToken)
    {
        try
        {
            await closer.CloseAsync(site, day, cancellationToken);
            return null;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Closing {Site} {Day} failed; the next pass resumes it.", site.Code, day);
            db.ChangeTracker.Clear();
            return e;
        }
    }
}
