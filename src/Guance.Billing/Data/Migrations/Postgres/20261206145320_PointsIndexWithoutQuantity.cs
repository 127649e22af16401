using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Guance.Billing.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class PointsIndexWithoutQuantity : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_usage_points_by_day",
                table: "usage_points");

            migrationBuilder.CreateIndex(
                name: "ix_usage_points_by_day",
                table: "usage_points",
                columns: new[] { "workspace_id", "billing_day", "plan", "item", "hour_start" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_usage_points_by_day",
                table: "usage_points");

            migrationBuilder.CreateIndex(
                name: "ix_usage_points_by_day",
                table: "usage_points",
                columns: new[] { "workspace_id", "billing_day", "plan", "item", "hour_start", "quantity" });
        }
    }
}
