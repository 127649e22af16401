using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Guance.Billing.Data.Migrations;

/// <summary>Usage: hourly points per collector, and each collector's high-water mark.</summary>
[DbContext(typeof(BillingDbContext))]
[Migration("20261125000002_Usage")]
public sealed class M0002_Usage : Migration
{
    protected override void Up(MigrationBuilder migration)
    {
        migration.CreateTable(
            name: "usage_points",
            columns: table => new
            {
                workspace_id = table.Column<string>(nullable: false),
                item = table.Column<int>(nullable: false),
                hour_start = table.Column<long>(nullable: false),
                collector_id = table.Column<string>(nullable: false),
                billing_day = table.Column<DateOnly>(nullable: false),
                quantity = table.Column<long>(nullable: false),
                observed_at = table.Column<long>(nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_usage_points", x => new { x.workspace_id, x.item, x.hour_start, x.collector_id }));
        migration.CreateIndex("ix_usage_points_by_day", "usage_points", ["workspace_id", "billing_day", "item", "hour_start", "quantity"]);

        migration.CreateTable(
            name: "usage_collectors",
            columns: table => new
            {
                workspace_id = table.Column<string>(nullable: false),
                collector_id = table.Column<string>(nullable: false),
                last_sequence = table.Column<long>(nullable: false),
                first_seen_at = table.Column<long>(nullable: false),
                last_committed_at = table.Column<long>(nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_usage_collectors", x => new { x.workspace_id, x.collector_id }));
    }
}
