using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.Usage;
using Microsoft.EntityFrameworkCore;

namespace Guance.Billing.IntegrationTests.Usage;

/// <summary>The rollups recomputed here, from the raw points, must be exactly the stored ones.</summary>
public static class RollupAssert
{
    public static async Task MatchPointsAsync(TestDatabase database)
    {
        await using var db = database.NewContext();
        var points = await db.UsagePoints.AsNoTracking().ToListAsync();
        var hours = points
            .GroupBy(p => (p.WorkspaceId, p.Item, p.Plan, p.BillingDay, p.HourStart))
            .Select(g => (g.Key.WorkspaceId, g.Key.Item, g.Key.Plan, g.Key.BillingDay, g.Key.HourStart, Quantity: g.Sum(p => p.Quantity)))
            .OrderBy(h => h.WorkspaceId, StringComparer.Ordinal).ThenBy(h => h.Item).ThenBy(h => h.Plan).ThenBy(h => h.HourStart)
            .ToList();
        var days = hours
            .GroupBy(h => (h.WorkspaceId, h.Plan, h.Item, h.BillingDay))
            .Select(g => (g.Key.WorkspaceId, g.Key.Plan, g.Key.Item, g.Key.BillingDay,
                Quantity: DailyQuantity.Of(BillingItems.Get(g.Key.Item).Aggregation, g.Select(h => h.Quantity))))
            .OrderBy(d => d.WorkspaceId, StringComparer.Ordinal).ThenBy(d => d.Plan).ThenBy(d => d.Item).ThenBy(d => d.BillingDay)
            .ToList();

        var storedHours = (await db.UsageHourlyRollups.AsNoTracking().ToListAsync())
            .Select(r => (r.WorkspaceId, r.Item, r.Plan, r.BillingDay, r.HourStart, r.Quantity))
            .OrderBy(h => h.WorkspaceId, StringComparer.Ordinal).ThenBy(h => h.Item).ThenBy(h => h.Plan).ThenBy(h => h.HourStart)
            .ToList();
        var storedDays = (await db.UsageDailyRollups.AsNoTracking().ToListAsync())
            .Select(r => (r.WorkspaceId, r.Plan, r.Item, r.BillingDay, r.Quantity))
            .OrderBy(d => d.WorkspaceId, StringComparer.Ordinal).ThenBy(d => d.Plan).ThenBy(d => d.Item).ThenBy(d => d.BillingDay)
            .ToList();
        Assert.NotEmpty(hours);
        Assert.Equal(hours, storedHours);
        Assert.Equal(days, storedDays);
    }

    /// <summary>The workspace's daily quantity of one item and period, from the raw points.</summary>
    public static async Task<long> DayFromPointsAsync(TestDatabase database, string workspaceId, BillingItem item, DateOnly day, Guance.Billing.Workspaces.Plan period)
    {
        await using var db = database.NewContext();
        var hours = (await db.UsagePoints.AsNoTracking()
                .Where(p => p.WorkspaceId == workspaceId && p.Item == item && p.BillingDay == day && p.Plan == period)
                .ToListAsync())
            .GroupBy(p => p.HourStart).Select(g => g.Sum(p => p.Quantity));
        return DailyQuantity.Of(BillingItems.Get(item).Aggregation, hours);
    }
}
