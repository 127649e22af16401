using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Guance.Billing.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class AwsMeteringHours : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ux_cloud_metering_records_aws_hour",
                table: "cloud_metering_records",
                columns: new[] { "marketplace_instance_id", "item", "usage_time" },
                unique: true,
                filter: "provider = 2");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ux_cloud_metering_records_aws_hour",
                table: "cloud_metering_records");
        }
    }
}
