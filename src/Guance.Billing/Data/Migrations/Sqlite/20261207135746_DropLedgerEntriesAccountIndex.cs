using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Guance.Billing.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class DropLedgerEntriesAccountIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_ledger_entries_billing_account_id",
                table: "ledger_entries");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_ledger_entries_billing_account_id",
                table: "ledger_entries",
                column: "billing_account_id");
        }
    }
}
