using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Guance.Billing.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class MonthlyConsumption : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "monthly_consumption",
                columns: table => new
                {
                    workspace_id = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    month = table.Column<DateOnly>(type: "date", nullable: false),
                    item = table.Column<int>(type: "integer", nullable: false),
                    amount = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_monthly_consumption", x => new { x.workspace_id, x.month, x.item });
                });

            // The bills closed so far (each close adds its own from now on).
            migrationBuilder.Sql(MonthlyConsumptionBackfill.Postgres);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "monthly_consumption");
        }
    }
}
