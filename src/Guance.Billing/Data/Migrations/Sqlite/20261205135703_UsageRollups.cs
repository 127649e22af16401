using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Guance.Billing.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class UsageRollups : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "usage_daily_rollups",
                columns: table => new
                {
                    workspace_id = table.Column<string>(type: "TEXT", nullable: false),
                    plan = table.Column<int>(type: "INTEGER", nullable: false),
                    item = table.Column<int>(type: "INTEGER", nullable: false),
                    billing_day = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    quantity = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_usage_daily_rollups", x => new { x.workspace_id, x.plan, x.item, x.billing_day });
                });

            migrationBuilder.CreateTable(
                name: "usage_hourly_rollups",
                columns: table => new
                {
                    workspace_id = table.Column<string>(type: "TEXT", nullable: false),
                    item = table.Column<int>(type: "INTEGER", nullable: false),
                    plan = table.Column<int>(type: "INTEGER", nullable: false),
                    billing_day = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    hour_start = table.Column<long>(type: "INTEGER", nullable: false),
                    quantity = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_usage_hourly_rollups", x => new { x.workspace_id, x.item, x.plan, x.billing_day, x.hour_start });
                });

            migrationBuilder.CreateIndex(
                name: "ix_usage_daily_rollups_by_day",
                table: "usage_daily_rollups",
                columns: new[] { "workspace_id", "plan", "billing_day", "item", "quantity" });

            // Existing points get their rollups (the usage writer keeps them from now on).
            migrationBuilder.Sql(UsageRollupBackfill.Sql);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "usage_daily_rollups");

            migrationBuilder.DropTable(
                name: "usage_hourly_rollups");
        }
    }
}
