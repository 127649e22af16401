using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Guance.Billing.Data.Migrations;

/// <summary>
/// Usage points carry their period (docs/domain.md §2: billing starts at the upgrade instant, so the
/// hour of the upgrade is two points, one experience and one commercial): <c>plan</c> joins the key.
/// SQLite cannot change a primary key in place, so on both engines the table is made anew and its
/// rows copied: a row whose hour starts at or after its workspace's upgrade is commercial, as the
/// rules before this migration billed it; every other row is experience.
/// </summary>
[DbContext(typeof(BillingDbContext))]
[Migration("20261201000007_UsagePeriods")]
public sealed class M0007_UsagePeriods : Migration
{
    private const string Previous = "usage_points_before_periods";

    protected override void Up(MigrationBuilder migration)
    {
        migration.DropIndex("ix_usage_points_by_day", "usage_points");
        migration.RenameTable("usage_points", newName: Previous);
        if (migration.IsNpgsql())
        {
            // A PostgreSQL constraint's index is named in the schema, so the old key must go before the new one is made.
            migration.DropPrimaryKey("pk_usage_points", Previous);
        }

        migration.CreateTable(
            name: "usage_points",
            columns: table => new
            {
                workspace_id = table.Column<string>(nullable: false),
                item = table.Column<int>(nullable: false),
                hour_start = table.Column<long>(nullable: false),
                plan = table.Column<int>(nullable: false),
                collector_id = table.Column<string>(nullable: false),
                billing_day = table.Column<DateOnly>(nullable: false),
                quantity = table.Column<long>(nullable: false),
                observed_at = table.Column<long>(nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_usage_points", x => new { x.workspace_id, x.item, x.hour_start, x.plan, x.collector_id }));

        migration.Sql($"""
            INSERT INTO usage_points (workspace_id, item, hour_start, plan, collector_id, billing_day, quantity, observed_at)
            SELECT p.workspace_id, p.item, p.hour_start,
                   CASE WHEN w.upgraded_at IS NOT NULL AND p.hour_start >= w.upgraded_at THEN 2 ELSE 1 END,
                   p.collector_id, p.billing_day, p.quantity, p.observed_at
            FROM {Previous} p LEFT JOIN workspaces w ON w.id = p.workspace_id
            """);
        migration.DropTable(Previous);
        migration.CreateIndex("ix_usage_points_by_day", "usage_points", ["workspace_id", "billing_day", "plan", "item", "hour_start", "quantity"]);
    }
}
