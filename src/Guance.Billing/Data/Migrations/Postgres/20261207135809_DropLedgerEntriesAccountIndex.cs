using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Guance.Billing.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class DropLedgerEntriesAccountIndex : Migration
    {
        /// <summary>
        /// Dropped without taking the table's exclusive lock (outside a transaction), so that the charges of the hosts
        /// still serving during a rolling restart do not queue behind it.
        /// </summary>
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX CONCURRENTLY IF EXISTS ix_ledger_entries_billing_account_id;", suppressTransaction: true);
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
