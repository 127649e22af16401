using System.Globalization;
using Guance.Billing.BillingAccounts;
using Guance.Billing.Common;
using Guance.Billing.Data;
using Guance.Billing.Identity;
using Guance.Billing.Usage;
using Guance.Billing.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace Guance.Billing.Settlement;

/// <summary>A daily bill with its lines.</summary>
public sealed record DailyBillView(DailyBill Bill, IReadOnlyList<DailyBillLine> Lines);

/// <summary>One item's consumption: yesterday, this month (closed days), since the upgrade; in cents.</summary>
public sealed record ItemConsumption(BillingItem Item, long Yesterday, long MonthToDate, long Total);

/// <summary>A workspace's consumption amounts, from its daily bills.</summary>
public sealed record ConsumptionSummary(
    string WorkspaceId, DateOnly Today, DateOnly Yesterday, bool YesterdayClosed, long YesterdayAmount, long MonthToDateAmount, long TotalAmount,
    IReadOnlyList<ItemConsumption> Items);

/// <summary>
/// Daily bills by month (a workspace's for its Owner and Administrators, a billing account's for its
/// own session; the operator sees both) and the consumption summary the console shows.
/// </summary>
public sealed class BillQueries(BillingDbContext db, WorkspaceAccess workspaces, BillingAccountAccess accounts, TimeProvider clock)
{
    private const string BillList = "daily_bills";

    public async Task<(IReadOnlyList<DailyBillView> Bills, string NextPageToken, long MonthTotal)> ListAsync(
        Caller caller, string? workspaceId, string? billingAccountId, int year, int month, int pageSize, string? pageToken, CancellationToken cancellationToken)
    {
        var byWorkspace = !string.IsNullOrEmpty(workspaceId);
        var byAccount = !string.IsNullOrEmpty(billingAccountId);
        var list = $"{BillList}:{workspaceId}:{billingAccountId}:{year}-{month}";
        var validator = new RequestValidator()
            .Check(year is >= 2000 and <= 9998, "year", "must be a year between 2000 and 9998")
            .Check(month is >= 1 and <= 12, "month", "must be between 1 and 12")
            .PageSize(pageSize)
            .PageToken(pageToken, list, out var after);
        (DateOnly Day, string WorkspaceId) last = default;
        validator.Check(after is null || TryParseKey(after, out last), "page_token", Paging.InvalidTokenDescription);
        if (byWorkspace == byAccount)
        {
            validator.Check(false, "workspace_id", "give workspace_id or billing_account_id (exactly one)");
            validator.ThrowIfInvalid();
        }
        // One connection for the call's queries (the context's disposal closes it), not one per query.
        await db.Database.OpenConnectionAsync(cancellationToken);
        if (byWorkspace)
        {
            await workspaces.AuthorizeAsync(caller, workspaceId!, WorkspacePermission.ViewBilling, cancellationToken, validator);
        }
        else
        {
            await accounts.AuthorizeAsync(caller, billingAccountId!, BillingAccountPermission.View, cancellationToken, validator);
        }

        var first = new DateOnly(year, month, 1);
        var next = first.AddMonths(1);
        var bills = db.DailyBills.AsNoTracking().Where(b => b.BillingDay >= first && b.BillingDay < next);
        bills = byWorkspace ? bills.Where(b => b.WorkspaceId == workspaceId) : bills.Where(b => b.BillingAccountId == billingAccountId);
        var monthBills = bills;
        if (after is not null)
        {
            bills = bills.Where(b => b.BillingDay > last.Day || (b.BillingDay == last.Day && string.Compare(b.WorkspaceId, last.WorkspaceId) > 0));
        }
        var size = Paging.Size(pageSize);
        var fetched = await bills.OrderBy(b => b.BillingDay).ThenBy(b => b.WorkspaceId).Take(size + 1).ToListAsync(cancellationToken);
        // A first page that holds the whole month (a workspace's month always fits) is the month: its sum is the
        // total, without another query over the same bills.
        var monthTotal = after is null && fetched.Count <= size
            ? fetched.Sum(b => b.Total)
            : (await monthBills.Select(b => b.Total).ToListAsync(cancellationToken)).Sum();
        var (page, token) = Paging.Page(fetched, size, list, b => $"{b.BillingDay:yyyy-MM-dd}/{b.WorkspaceId}");
        return (await WithLinesAsync(page, cancellationToken), token, monthTotal);
    }

    public async Task<ConsumptionSummary> SummaryAsync(Caller caller, string workspaceId, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        var workspace = (await workspaces.AuthorizeAsync(caller, workspaceId, WorkspacePermission.ViewBilling, cancellationToken)).Workspace;
        var site = workspace.Site;
        var today = site.BillingDayOf(clock.GetUtcNow());
        var yesterday = today.AddDays(-1);
        var monthStart = new DateOnly(today.Year, today.Month, 1);
        var yesterdayClosed = await DayClosed.For(db)(db, site.Code, yesterday, cancellationToken);

        var items = new List<ItemConsumption>();
        await foreach (var item in ItemSums.For(db)(db, workspaceId, yesterday, monthStart).WithCancellation(cancellationToken))
        {
            items.Add(item);
        }
        items.Sort((a, b) => ((int)a.Item).CompareTo((int)b.Item));
        return new ConsumptionSummary(workspaceId, today, yesterday, yesterdayClosed,
            items.Sum(i => i.Yesterday), items.Sum(i => i.MonthToDate), items.Sum(i => i.Total), items);
    }

    // Compiled once: each dashboard call paid EF's LINQ translation lookup again (docs/performance.md, "Dashboard reads").
    private static readonly ModelQuery<Func<BillingDbContext, string, DateOnly, CancellationToken, Task<bool>>> DayClosed =
        new(() => EF.CompileAsyncQuery((BillingDbContext db, string siteCode, DateOnly day, CancellationToken _) =>
            db.DayCloses.Any(c => c.SiteCode == siteCode && c.BillingDay == day && c.CompletedAt != null)));

    // Summed in SQL per item: a workspace with a year of bills has thousands of lines, a dozen sums.
    private static readonly ModelQuery<Func<BillingDbContext, string, DateOnly, DateOnly, IAsyncEnumerable<ItemConsumption>>> ItemSums =
        new(() => EF.CompileAsyncQuery((BillingDbContext db, string workspaceId, DateOnly yesterday, DateOnly monthStart) =>
            from l in db.DailyBillLines.AsNoTracking()
            join b in db.DailyBills.AsNoTracking() on l.DailyBillId equals b.Id
            where b.WorkspaceId == workspaceId
            group new { l.Amount, b.BillingDay } by l.Item into g
            select new ItemConsumption(
                g.Key,
                g.Sum(x => x.BillingDay == yesterday ? x.Amount : 0),
                g.Sum(x => x.BillingDay >= monthStart ? x.Amount : 0),
                g.Sum(x => x.Amount))));

    private async Task<IReadOnlyList<DailyBillView>> WithLinesAsync(IReadOnlyList<DailyBill> bills, CancellationToken cancellationToken)
    {
        var ids = bills.Select(b => b.Id).ToList();
        var lines = (await db.DailyBillLines.AsNoTracking().Where(l => ids.Contains(l.DailyBillId)).ToListAsync(cancellationToken))
            .ToLookup(l => l.DailyBillId);
        return bills.Select(b => new DailyBillView(b, lines[b.Id].OrderBy(l => (int)l.Item).ToList())).ToList();
    }

    private static bool TryParseKey(string key, out (DateOnly Day, string WorkspaceId) position)
    {
        position = default;
        var slash = key.IndexOf('/');
        if (slash <= 0 || !DateOnly.TryParseExact(key[..slash], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return false;
        }
        position = (day, key[(slash + 1)..]);
        return true;
    }
}
