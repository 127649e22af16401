using System.Collections.Concurrent;
using Guance.Billing.Data;
using Guance.Billing.Jobs;
using Guance.Billing.Settlement;
using Guance.Billing.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Guance.Billing.MonthlyBills;

/// <summary>The months this host has seen fully billed (every account, every site due), so that later passes skip them.</summary>
public sealed class MonthlyBillProgress
{
    private readonly ConcurrentDictionary<(int Year, int Month), bool> _done = new();

    public bool IsDone(int year, int month) => _done.ContainsKey((year, month));

    public void MarkDone(int year, int month) => _done.TryAdd((year, month), true);
}

/// <summary>
/// Generates monthly bills on the clock: month M is due on a site from 00:00 (site time) of the 3rd of
/// the next month, and an account's bill is generated once it is due on every site the account has
/// daily bills of that month on, and those days are all closed and charged (until then it waits, and
/// a later pass generates it). Months from the first upgrade on are looked at; a month whose every
/// account is billed and which is due everywhere is remembered and not looked at again by this host.
/// </summary>
public sealed class MonthlyBillJob(BillingDbContext db, MonthlyBillGenerator generator, MonthlyBillProgress progress, ILogger<MonthlyBillJob> logger)
    : IScheduledJob
{
    /// <summary>The day of the next month from which a month's bills are generated.</summary>
    public const int DueDay = 3;

    public string Name => "monthly-bills";

    public int Order => 40;

    public async Task RunDueAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var sites = await CommercialSites.WithFirstUpgradeDayAsync(db, cancellationToken);
        if (sites.Count == 0)
        {
            return;
        }
        var firstDay = sites.Min(s => s.FirstDay);
        var firstMonth = new DateOnly(firstDay.Year, firstDay.Month, 1);
        for (var month = firstMonth; ; month = month.AddMonths(1))
        {
            var notDue = Sites.All.Where(s => now < DueAt(s, month)).Select(s => s.Code).ToList();
            if (notDue.Count == Sites.All.Count)
            {
                return; // due nowhere yet, nor is any later month
            }
            if (progress.IsDone(month.Year, month.Month))
            {
                continue;
            }
            var run = await generator.GenerateAsync(month.Year, month.Month, notDue, cancellationToken);
            if (run.Generated > 0 || run.Waiting > 0)
            {
                logger.LogInformation("Monthly bills of {Year}-{Month:00}: {Generated} generated, {Existing} existed, {Waiting} waiting.",
                    month.Year, month.Month, run.Generated, run.Existing, run.Waiting);
            }
            if (run.Waiting == 0 && notDue.Count == 0)
            {
                progress.MarkDone(month.Year, month.Month);
            }
        }
    }

    public async Task<DateTimeOffset?> NextDueAsync(DateTimeOffset after, CancellationToken cancellationToken)
    {
        DateTimeOffset? next = null;
        foreach (var (site, _) in await CommercialSites.WithFirstUpgradeDayAsync(db, cancellationToken))
        {
            var today = site.BillingDayOf(after);
            var month = new DateOnly(today.Year, today.Month, 1).AddMonths(-1);
            var due = DueAt(site, month);
            if (due <= after)
            {
                due = DueAt(site, month.AddMonths(1));
            }
            if (next is null || due < next)
            {
                next = due;
            }
        }
        return next;
    }

    /// <summary>When the bills of <paramref name="month"/> (its first day) become due on the site.</summary>
    public static DateTimeOffset DueAt(Site site, DateOnly month)
    {
        var following = month.AddMonths(1);
        return site.StartOf(new DateOnly(following.Year, following.Month, DueDay));
    }
}
