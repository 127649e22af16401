using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Guance.Billing.Data.Migrations.Postgres
{
    /// <summary>
    /// The points' day index without the quantity (docs/performance.md). Built beside the old one and swapped, each step
    /// outside a transaction: a plain DROP and CREATE in the migration's transaction would lock the points against every
    /// write (and the DROP against reads) while the index is built, and the hosts still on the old version go on ingesting
    /// during a rolling upgrade. Each step may be run again after a host was stopped half-way (an invalid index left by
    /// an interrupted CONCURRENTLY build is dropped first).
    /// </summary>
    public partial class PointsIndexWithoutQuantity : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder) =>
            Swap(migrationBuilder, "workspace_id, billing_day, plan, item, hour_start");

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder) =>
            Swap(migrationBuilder, "workspace_id, billing_day, plan, item, hour_start, quantity");

        private static void Swap(MigrationBuilder migrationBuilder, string columns)
        {
            migrationBuilder.Sql("DROP INDEX CONCURRENTLY IF EXISTS ix_usage_points_by_day_next;", suppressTransaction: true);
            migrationBuilder.Sql($"CREATE INDEX CONCURRENTLY ix_usage_points_by_day_next ON usage_points ({columns});", suppressTransaction: true);
            migrationBuilder.Sql("DROP INDEX CONCURRENTLY IF EXISTS ix_usage_points_by_day;", suppressTransaction: true);
            migrationBuilder.Sql("ALTER INDEX ix_usage_points_by_day_next RENAME TO ix_usage_points_by_day;", suppressTransaction: true);
        }
    }
}
