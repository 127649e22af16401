using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Guance.Billing.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class WebhookEndpoints : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "webhook_endpoints",
                columns: table => new
                {
                    id = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    billing_account_id = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    url = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    kinds = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    description = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    enabled = table.Column<bool>(type: "boolean", nullable: false),
                    secret = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    previous_secret = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    previous_secret_expires_at = table.Column<long>(type: "bigint", nullable: true),
                    created_at = table.Column<long>(type: "bigint", nullable: false),
                    updated_at = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_webhook_endpoints", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_webhook_endpoints_billing_account_id",
                table: "webhook_endpoints",
                column: "billing_account_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "webhook_endpoints");
        }
    }
}
