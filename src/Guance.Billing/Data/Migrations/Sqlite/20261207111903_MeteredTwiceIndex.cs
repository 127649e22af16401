using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Guance.Billing.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class MeteredTwiceIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_cloud_metering_records_metered_twice",
                table: "cloud_metering_records",
                columns: new[] { "provider", "cloud_account_id", "id" },
                filter: "status = 2 AND replaced_by IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_cloud_metering_records_metered_twice",
                table: "cloud_metering_records");
        }
    }
}
