using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Guance.Billing.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class CommercialRegistrationAndHuaweiCards : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "origin",
                table: "prepaid_cards",
                type: "INTEGER",
                nullable: false,
                defaultValue: 1);

            migrationBuilder.CreateTable(
                name: "huawei_card_orders",
                columns: table => new
                {
                    id = table.Column<string>(type: "TEXT", nullable: false),
                    billing_account_id = table.Column<string>(type: "TEXT", nullable: false),
                    huawei_account_id = table.Column<string>(type: "TEXT", nullable: false),
                    order_number = table.Column<string>(type: "TEXT", nullable: false),
                    state = table.Column<int>(type: "INTEGER", nullable: false),
                    units = table.Column<int>(type: "INTEGER", nullable: false),
                    prepaid_card_id = table.Column<string>(type: "TEXT", nullable: true),
                    reject_reason = table.Column<string>(type: "TEXT", nullable: false),
                    submitted_at = table.Column<long>(type: "INTEGER", nullable: false),
                    decided_at = table.Column<long>(type: "INTEGER", nullable: true),
                    version = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_huawei_card_orders", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_huawei_card_orders_billing_account_id",
                table: "huawei_card_orders",
                column: "billing_account_id");

            migrationBuilder.CreateIndex(
                name: "ix_huawei_card_orders_order_number",
                table: "huawei_card_orders",
                column: "order_number",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "huawei_card_orders");

            migrationBuilder.DropColumn(
                name: "origin",
                table: "prepaid_cards");
        }
    }
}
