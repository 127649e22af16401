using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Guance.Billing.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class LedgerEntriesKeyedByTransaction : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropPrimaryKey(
                name: "pk_ledger_entries",
                table: "ledger_entries");

            migrationBuilder.DropIndex(
                name: "ix_ledger_entries_transaction_id",
                table: "ledger_entries");

            migrationBuilder.AddPrimaryKey(
                name: "pk_ledger_entries",
                table: "ledger_entries",
                columns: new[] { "transaction_id", "position" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropPrimaryKey(
                name: "pk_ledger_entries",
                table: "ledger_entries");

            migrationBuilder.AddPrimaryKey(
                name: "pk_ledger_entries",
                table: "ledger_entries",
                columns: new[] { "ledger_account_id", "sequence" });

            migrationBuilder.CreateIndex(
                name: "ix_ledger_entries_transaction_id",
                table: "ledger_entries",
                column: "transaction_id");
        }
    }
}
