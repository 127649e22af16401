using Guance.Billing.Data;
using Guance.Billing.IntegrationTests.Data;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.V1;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using static Guance.Billing.IntegrationTests.Settlement.DayCloseKit;

namespace Guance.Billing.IntegrationTests.Settlement;

/// <summary>
/// The consumption summary reads each workspace's months (<c>monthly_consumption</c>), which the day close keeps equal
/// to the sums of the bills' lines: across a month's end, for several workspaces, with a day closed twice; and the
/// migration that made the table fills it from the bills closed before it.
/// </summary>
public sealed class MonthlyConsumptionTests
{
    [Fact]
    public async Task The_summary_adds_every_closed_day_to_its_month_once()
    {
        // Singapore (ap1) keeps UTC+8 and bills on the international list: logs 3.00 a million, time series 1.80 a thousand.
        var first = new DateOnly(2026, 10, 30);
        using var host = new BillingHost { Clock = new(Local(first, China, 8, 0)) };
        var busy = await host.CreateWorkspaceAsync("ap1");
        await host.FundedWalletAsync(await host.UpgradeAsync(busy), 100m);
        var once = await host.CreateWorkspaceAsync("ap1");
        await host.FundedWalletAsync(await host.UpgradeAsync(once), 100m);
        var busyAgent = await host.AgentAsync(busy);
        var onceAgent = await host.AgentAsync(once);

        var usage = new Dictionary<DateOnly, (Agent Agent, BillingItem Item, long Quantity)[]>
        {
            [first] = [(busyAgent, BillingItem.Logs, 1_000_000)],                                                     // 3.00
            [first.AddDays(1)] = [(busyAgent, BillingItem.Logs, 2_000_000), (busyAgent, BillingItem.TimeSeries, 1_000), // 6.00 + 1.80
                                  (onceAgent, BillingItem.Logs, 1_000_000)],                                          // 3.00
            [first.AddDays(2)] = [(busyAgent, BillingItem.Logs, 1_000_000)],                                          // 3.00 (November)
            [first.AddDays(3)] = [(busyAgent, BillingItem.TimeSeries, 2_000)],                                        // 3.60
        };
        foreach (var (day, records) in usage)
        {
            host.MoveClockTo(Local(day, China, 12, 0));
            foreach (var (agent, item, quantity) in records)
            {
                await agent.ReportAsync(Record(item, quantity, Local(day, China, 11, 0)));
            }
            host.MoveClockTo(Local(day.AddDays(1), China, 0, 40));
            await host.CloseDayAsync("ap1", day);
        }
        // Closed again: its bills exist, so nothing is added a second time.
        await host.CloseDayAsync("ap1", first.AddDays(1));

        var summary = (await host.Operator.Settlement.GetConsumptionSummaryAsync(new GetConsumptionSummaryRequest { WorkspaceId = busy.Id })).Summary;
        Assert.Equal(new DateOnly(2026, 11, 2), summary.Yesterday.ToDateOnly());
        Assert.Equal(3_60, summary.YesterdayAmount.Cents());
        Assert.Equal(3_00 + 3_60, summary.MonthToDateAmount.Cents());
        Assert.Equal(3_00 + 7_80 + 3_00 + 3_60, summary.TotalAmount.Cents());
        Assert.Equal(
            [(BillingItem.TimeSeries, 3_60L, 3_60L, 1_80L + 3_60L), (BillingItem.Logs, 0L, 3_00L, 3_00L + 6_00L + 3_00L)],
            summary.Items.Select(i => (i.Item, i.Yesterday.Cents(), i.MonthToDate.Cents(), i.Total.Cents())));

        var other = (await host.Operator.Settlement.GetConsumptionSummaryAsync(new GetConsumptionSummaryRequest { WorkspaceId = once.Id })).Summary;
        Assert.Equal((0L, 0L, 3_00L), (other.YesterdayAmount.Cents(), other.MonthToDateAmount.Cents(), other.TotalAmount.Cents()));
        Assert.Equal([(BillingItem.Logs, 0L, 0L, 3_00L)], other.Items.Select(i => (i.Item, i.Yesterday.Cents(), i.MonthToDate.Cents(), i.Total.Cents())));

        await using var db = host.Database.NewContext();
        Assert.Equal(await LineSumsAsync(db), await MonthsAsync(db));
    }

    [Fact]
    public async Task The_migration_fills_the_months_of_the_bills_closed_before_it()
    {
        using var database = TestDatabase.Create();
        await using (var services = database.Services())
        {
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<BillingDbContext>();
            var migrations = db.Database.GetMigrations().ToList();
            await db.GetService<IMigrator>().MigrateAsync(migrations[migrations.FindIndex(m => m.EndsWith("_MonthlyConsumption", StringComparison.Ordinal)) - 1]);
            // Two days of October and one of November for one workspace, one day for another.
            await db.Database.ExecuteSqlRawAsync("""
                INSERT INTO daily_bills (id, workspace_id, billing_day, site_code, billing_account_id, method, cloud_account_id, price_list_id,
                    total, status, paid_by_vouchers, paid_by_prepaid_cards, paid_by_cash, arrears, cloud_amount, transaction_id, created_at, charged_at)
                VALUES ('db_1', 'ws_a', '2026-10-30', 'cn1', 'ba_a', 1, NULL, 'pl_1', 700, 1, 0, 0, 0, 0, 0, NULL, 0, NULL),
                       ('db_2', 'ws_a', '2026-10-31', 'cn1', 'ba_a', 1, NULL, 'pl_1', 150, 1, 0, 0, 0, 0, 0, NULL, 0, NULL),
                       ('db_3', 'ws_a', '2026-11-01', 'cn1', 'ba_a', 1, NULL, 'pl_1', 40, 1, 0, 0, 0, 0, 0, NULL, 0, NULL),
                       ('db_4', 'ws_b', '2026-10-31', 'cn1', 'ba_b', 1, NULL, 'pl_1', 9, 1, 0, 0, 0, 0, 0, NULL, 0, NULL)
                """);
            await db.Database.ExecuteSqlRawAsync("""
                INSERT INTO daily_bill_lines (daily_bill_id, item, quantity, units_hundredths, unit_price_micros, retention_days, amount)
                VALUES ('db_1', 2, 0, 0, 0, 0, 500), ('db_1', 1, 0, 0, 0, 0, 200), ('db_2', 2, 0, 0, 0, 0, 150),
                       ('db_3', 2, 0, 0, 0, 0, 40), ('db_4', 2, 0, 0, 0, 0, 9)
                """);
            Assert.True(await DatabaseSetup.MigrateAsync(services, CancellationToken.None));
        }

        await using var migrated = database.NewContext();
        var october = new DateOnly(2026, 10, 1);
        var november = new DateOnly(2026, 11, 1);
        Assert.Equal(
            [("ws_a", october, 1, 200L), ("ws_a", october, 2, 650L), ("ws_a", november, 2, 40L), ("ws_b", october, 2, 9L)],
            await MonthsAsync(migrated));
        Assert.Equal(await LineSumsAsync(migrated), await MonthsAsync(migrated));
        await SchemaTests.AssertMatchesModelAsync(database);
    }

    private static async Task<List<(string, DateOnly, int, long)>> MonthsAsync(BillingDbContext db) =>
        (await db.MonthlyConsumption.AsNoTracking().ToListAsync())
            .Select(m => (m.WorkspaceId, m.Month, Item: (int)m.Item, m.Amount))
            .OrderBy(m => m.WorkspaceId, StringComparer.Ordinal).ThenBy(m => m.Month).ThenBy(m => m.Item)
            .ToList();

    /// <summary>The same sums from the bills' lines themselves.</summary>
    private static async Task<List<(string, DateOnly, int, long)>> LineSumsAsync(BillingDbContext db) =>
        (await (from l in db.DailyBillLines.AsNoTracking()
                join b in db.DailyBills.AsNoTracking() on l.DailyBillId equals b.Id
                select new { b.WorkspaceId, b.BillingDay, l.Item, l.Amount }).ToListAsync())
            .GroupBy(l => (l.WorkspaceId, Month: new DateOnly(l.BillingDay.Year, l.BillingDay.Month, 1), Item: (int)l.Item))
            .Select(g => (g.Key.WorkspaceId, g.Key.Month, g.Key.Item, g.Sum(l => l.Amount)))
            .OrderBy(m => m.WorkspaceId, StringComparer.Ordinal).ThenBy(m => m.Month).ThenBy(m => m.Item)
            .ToList();
}
