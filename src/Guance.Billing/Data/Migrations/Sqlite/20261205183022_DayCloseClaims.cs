using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Guance.Billing.Data.Migrations.Sqlite
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
                    site_code = table.Column<string>(type: "TEXT", nullable: false),
                    billing_day = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    phase = table.Column<int>(type: "INTEGER", nullable: false),
                    batch = table.Column<int>(type: "INTEGER", nullable: false),
                    after_key = table.Column<string>(type: "TEXT", nullable: false),
                    last_key = table.Column<string>(type: "TEXT", nullable: false),
                    holder = table.Column<string>(type: "TEXT", nullable: true),
                    lease_until = table.Column<long>(type: "INTEGER", nullable: true),
                    claims = table.Column<int>(type: "INTEGER", nullable: false),
                    completed_at = table.Column<long>(type: "INTEGER", nullable: true)
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
