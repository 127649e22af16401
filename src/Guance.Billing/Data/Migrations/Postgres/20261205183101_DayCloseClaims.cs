using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Guance.Billing.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class DayCloseClaims : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "day_close_claims",
                columns: table => new
                {
                    site_code = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    billing_day = table.Column<DateOnly>(type: "date", nullable: false),
                    phase = table.Column<int>(type: "integer", nullable: false),
                    batch = table.Column<int>(type: "integer", nullable: false),
                    after_key = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    last_key = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    holder = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    lease_until = table.Column<long>(type: "bigint", nullable: true),
                    claims = table.Column<int>(type: "integer", nullable: false),
                    completed_at = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_day_close_claims", x => new { x.site_code, x.billing_day, x.phase, x.batch });
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "day_close_claims");
        }
    }
}
