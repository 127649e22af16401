using System.Globalization;
using Guance.Billing.Common;
using Guance.Billing.Data;
using Guance.Billing.Identity;
using Guance.Billing.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Guance.Billing.Usage;

/// <summary>
/// Statistics and chart points for members with the ViewBilling permission (Owner, Administrator).
/// Reads the rollups the usage writer keeps exact in its transaction (<see cref="UsageHourlyRollup"/>,
/// <see cref="UsageDailyRollup"/>), never the raw points, with no tracking; after an upgrade only
/// commercial-period usage is shown (docs/domain.md §2), from the upgrade instant on.
/// </summary>
public sealed class UsageReports(BillingDbContext db, WorkspaceAccess access, IOptions<UsageOptions> options, TimeProvider clock)
{
    public static readonly TimeSpan MaxHourlyRange = TimeSpan.FromDays(31);
    public static readonly TimeSpan MaxDailyRange = TimeSpan.FromDays(400);
    private const string PointList = "usage_points";

    public async Task<UsageStatistics> GetStatisticsAsync(Caller caller, string workspaceId, CancellationToken cancellationToken)
    {
        // One connection from the access check to the end of the call (the context's disposal closes it),
        // instead of EF opening and closing it around each query.
        await db.Database.OpenConnectionAsync(cancellationToken);
        var workspace = (await access.AuthorizeAsync(caller, workspaceId, WorkspacePermission.ViewBilling, cancellationToken)).Workspace;
        var now = clock.GetUtcNow();
        var site = workspace.Site;
        var today = site.BillingDayOf(now);
        var yesterday = today.AddDays(-1);
        var monthStart = new DateOnly(today.Year, today.Month, 1);
        var from = yesterday < monthStart ? yesterday : monthStart;

        var byItemAndDay = new Dictionary<(BillingItem, DateOnly), long>();
        await foreach (var r in DaysOfAllItems.For(db)(db, workspace.Id, workspace.Plan, from, today).WithCancellation(cancellationToken))
        {
            byItemAndDay.Add((r.Item, r.BillingDay), r.Quantity);
        }

        var items = new List<ItemStatistics>();
        foreach (var item in BillingItems.AvailableTo(workspace.Plan, site, options.Value))
        {
            long Day(DateOnly day) => byItemAndDay.GetValueOrDefault((item.Item, day));
            var todayQuantity = Day(today);
            long monthToDate = 0;
            for (var day = monthStart; day <= today; day = day.AddDays(1))
            {
                monthToDate += Day(day);
            }
            var quota = workspace.Plan == Plan.Experience ? item.ExperienceQuotaOn(site) : null;
            items.Add(new ItemStatistics(item, todayQuantity, Day(yesterday), monthToDate, quota,
                quota is { } q ? Math.Max(0, q - todayQuantity) : 0));
        }
        return new UsageStatistics(workspace.Id, today, yesterday, now, workspace.UpgradedAt, items);
    }

    public async Task<(IReadOnlyList<UsagePointView> Points, string NextPageToken)> ListPointsAsync(
        Caller caller, string workspaceId, int item, PointGranularity granularity, DateTimeOffset? start, DateTimeOffset? end,
        int pageSize, string? pageToken, CancellationToken cancellationToken)
    {
        var info = BillingItems.Find(item);
        var validator = new RequestValidator()
            .Check(info is not null, "item", "must be a billing item from ListBillingItems")
            .Check(Enum.IsDefined(granularity), "granularity", "must be USAGE_POINT_GRANULARITY_HOURLY or USAGE_POINT_GRANULARITY_DAILY")
            .Check(start is not null, "start_time", "is required")
            .Check(end is not null, "end_time", "is required")
            .PageSize(pageSize);
        if (start is not null && end is not null)
        {
            var limit = granularity == PointGranularity.Daily ? MaxDailyRange : MaxHourlyRange;
            validator.Check(end > start, "end_time", "must be after start_time");
            validator.Check(end - start <= limit, "end_time", $"must be at most {limit.TotalDays:0} days after start_time for this granularity");
        }
        await db.Database.OpenConnectionAsync(cancellationToken);
        var workspace = (await access.AuthorizeAsync(caller, workspaceId, WorkspacePermission.ViewBilling, cancellationToken, validator)).Workspace;
        // The token belongs to the workspace, item, granularity and range: another list's token is refused.
        var list = string.Join('|', PointList, workspaceId, item, (int)granularity, start!.Value.UtcTicks, end!.Value.UtcTicks);
        var after = Paging.Decode(pageToken, list);
        long? afterMicros = after is null ? null : long.TryParse(after, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed)
            ? parsed
            : throw Errors.InvalidArgument("page_token", Paging.InvalidTokenDescription);

        var site = workspace.Site;
        var firstDay = site.BillingDayOf(start!.Value);
        var lastDay = site.BillingDayOf(end!.Value);
        var points = granularity == PointGranularity.Hourly
            ? await HourlyAsync(workspace, info!.Item, firstDay, lastDay, start.Value, end.Value, cancellationToken)
            : await DailyAsync(workspace, info!.Item, firstDay, lastDay, start.Value, end.Value, cancellationToken);
        var ordered = points.OrderBy(p => p.Start).ToList();
        if (afterMicros is not null)
        {
            ordered = ordered.Where(p => UnixMicrosecondsConverter.ToMicroseconds(p.Start) > afterMicros).ToList();
        }
        var size = Paging.Size(pageSize);
        var fetched = ordered.Take(size + 1).ToList();
        return Paging.Page(fetched, size, list, p => UnixMicrosecondsConverter.ToMicroseconds(p.Start).ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>The workspace's hourly points (its collectors' sum) of one item in [start, end), of its current plan's period.</summary>
    private async Task<List<UsagePointView>> HourlyAsync(
        Workspace workspace, BillingItem item, DateOnly firstDay, DateOnly lastDay, DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken)
    {
        // Experience-period usage is no longer shown after the upgrade; an experience workspace has no other.
        var points = new List<UsagePointView>();
        await foreach (var r in Hours.For(db)(db, workspace.Id, item, workspace.Plan, firstDay, lastDay, start, end).WithCancellation(cancellationToken))
        {
            points.Add(new UsagePointView(r.HourStart, r.HourStart.AddHours(1), r.BillingDay, r.Quantity));
        }
        return points;
    }

    /// <summary>The workspace's daily quantities (docs/domain.md §3) of one item whose day starts in [start, end).</summary>
    private async Task<List<UsagePointView>> DailyAsync(
        Workspace workspace, BillingItem item, DateOnly firstDay, DateOnly lastDay, DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken)
    {
        var site = workspace.Site;
        var points = new List<UsagePointView>();
        await foreach (var r in Days.For(db)(db, workspace.Id, workspace.Plan, item, firstDay, lastDay).WithCancellation(cancellationToken))
        {
            var day = new UsagePointView(site.StartOf(r.BillingDay), site.StartOf(r.BillingDay.AddDays(1)), r.BillingDay, r.Quantity);
            if (day.Start >= start && day.Start < end)
            {
                points.Add(day);
            }
        }
        return points;
    }

    private sealed record ItemDay(BillingItem Item, DateOnly BillingDay, long Quantity);

    private sealed record Hour(DateTimeOffset HourStart, DateOnly BillingDay, long Quantity);

    private sealed record Day(DateOnly BillingDay, long Quantity);

    // Compiled once: a dashboard read's LINQ translation lookup cost more host CPU than its query (docs/performance.md, "Dashboard reads").
    private static readonly ModelQuery<Func<BillingDbContext, string, Plan, DateOnly, DateOnly, IAsyncEnumerable<ItemDay>>> DaysOfAllItems =
        new(() => EF.CompileAsyncQuery((BillingDbContext db, string workspaceId, Plan plan, DateOnly from, DateOnly to) => db.UsageDailyRollups.AsNoTracking()
            .Where(r => r.WorkspaceId == workspaceId && r.Plan == plan && r.BillingDay >= from && r.BillingDay <= to)
            .Select(r => new ItemDay(r.Item, r.BillingDay, r.Quantity))));

    private static readonly ModelQuery<Func<BillingDbContext, string, BillingItem, Plan, DateOnly, DateOnly, DateTimeOffset, DateTimeOffset, IAsyncEnumerable<Hour>>> Hours =
        new(() => EF.CompileAsyncQuery((BillingDbContext db, string workspaceId, BillingItem item, Plan plan, DateOnly firstDay, DateOnly lastDay, DateTimeOffset start, DateTimeOffset end) =>
            db.UsageHourlyRollups.AsNoTracking()
                .Where(r => r.WorkspaceId == workspaceId && r.Item == item && r.Plan == plan
                    && r.BillingDay >= firstDay && r.BillingDay <= lastDay && r.HourStart >= start && r.HourStart < end)
                .Select(r => new Hour(r.HourStart, r.BillingDay, r.Quantity))));

    private static readonly ModelQuery<Func<BillingDbContext, string, Plan, BillingItem, DateOnly, DateOnly, IAsyncEnumerable<Day>>> Days =
        new(() => EF.CompileAsyncQuery((BillingDbContext db, string workspaceId, Plan plan, BillingItem item, DateOnly firstDay, DateOnly lastDay) =>
            db.UsageDailyRollups.AsNoTracking()
                .Where(r => r.WorkspaceId == workspaceId && r.Plan == plan && r.Item == item && r.BillingDay >= firstDay && r.BillingDay <= lastDay)
                .Select(r => new Day(r.BillingDay, r.Quantity))));
}
