using System.Globalization;
using Guance.Billing.BillingAccounts;
using Guance.Billing.Common;
using Guance.Billing.Data;
using Guance.Billing.Identity;
using Guance.Billing.Usage;
using Guance.Billing.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace Guance.Billing.Settlement;

/// <summary>A daily bill with its lines, and its workspace's name now.</summary>
public sealed record DailyBillView(DailyBill Bill, IReadOnlyList<DailyBillLine> Lines, string WorkspaceName);

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
        Workspace? workspace = null;
        if (byWorkspace)
        {
            workspace = (await workspaces.AuthorizeAsync(caller, workspaceId!, WorkspacePermission.ViewBilling, cancellationToken, validator)).Workspace;
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
        return (await WithLinesAsync(page, workspace, cancellationToken), token, monthTotal);
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

        // The months' totals (a dozen rows a year) and yesterday's bill lines, not every line since the upgrade.
        var items = new SortedDictionary<BillingItem, ItemConsumption>();
        await foreach (var month in Months.For(db)(db, workspaceId).WithCancellation(cancellationToken))
        {
            var sum = items.GetValueOrDefault(month.Item) ?? new ItemConsumption(month.Item, 0, 0, 0);
            items[month.Item] = sum with { MonthToDate = sum.MonthToDate + (month.Month == monthStart ? month.Amount : 0), Total = sum.Total + month.Amount };
        }
        await foreach (var line in YesterdayLines.For(db)(db, workspaceId, yesterday).WithCancellation(cancellationToken))
        {
            var sum = items.GetValueOrDefault(line.Item) ?? new ItemConsumption(line.Item, 0, 0, 0);
            items[line.Item] = sum with { Yesterday = sum.Yesterday + line.Amount };
        }
        var list = items.Values.ToList();
        return new ConsumptionSummary(workspaceId, today, yesterday, yesterdayClosed,
            list.Sum(i => i.Yesterday), list.Sum(i => i.MonthToDate), list.Sum(i => i.Total), list);
    }

    // Compiled once: each dashboard call paid EF's LINQ translation lookup again (docs/performance.md, "Dashboard reads").
    private static readonly ModelQuery<Func<BillingDbContext, string, DateOnly, CancellationToken, Task<bool>>> DayClosed =
        new(() => EF.CompileAsyncQuery((BillingDbContext db, string siteCode, DateOnly day, CancellationToken _) =>
            db.DayCloses.Any(c => c.SiteCode == siteCode && c.BillingDay == day && c.CompletedAt != null)));

    private static readonly ModelQuery<Func<BillingDbContext, string, IAsyncEnumerable<MonthlyConsumption>>> Months =
        new(() => EF.CompileAsyncQuery((BillingDbContext db, string workspaceId) =>
            db.MonthlyConsumption.AsNoTracking().Where(m => m.WorkspaceId == workspaceId)));

    private static readonly ModelQuery<Func<BillingDbContext, string, DateOnly, IAsyncEnumerable<DailyBillLine>>> YesterdayLines =
        new(() => EF.CompileAsyncQuery((BillingDbContext db, string workspaceId, DateOnly yesterday) =>
            from l in db.DailyBillLines.AsNoTracking()
            join b in db.DailyBills.AsNoTracking() on l.DailyBillId equals b.Id
            where b.WorkspaceId == workspaceId && b.BillingDay == yesterday
            select l));

    /// <summary>The bills with their lines and their workspaces' names (<paramref name="workspace"/>'s when they are all its own).</summary>
    private async Task<IReadOnlyList<DailyBillView>> WithLinesAsync(IReadOnlyList<DailyBill> bills, Workspace? workspace, CancellationToken cancellationToken)
    {
        var ids = bills.Select(b => b.Id).ToList();
        var lines = (await db.DailyBillLines.AsNoTracking().Where(l => ids.Contains(l.DailyBillId)).ToListAsync(cancellationToken))
            .ToLookup(l => l.DailyBillId);
        var workspaceIds = bills.Select(b => b.WorkspaceId).Distinct().ToList();
        var names = workspace is not null
            ? new Dictionary<string, string> { [workspace.Id] = workspace.Name }
            : await db.Workspaces.AsNoTracking().Where(w => workspaceIds.Contains(w.Id)).ToDictionaryAsync(w => w.Id, w => w.Name, cancellationToken);
        return bills.Select(b => new DailyBillView(b, lines[b.Id].OrderBy(l => (int)l.Item).ToList(), names.GetValueOrDefault(b.WorkspaceId, ""))).ToList();
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
