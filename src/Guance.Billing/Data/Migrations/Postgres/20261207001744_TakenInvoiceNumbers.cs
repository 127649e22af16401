using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Guance.Billing.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class TakenInvoiceNumbers : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "taken_invoice_numbers",
                columns: table => new
                {
                    number = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    invoice_id = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    red_letter = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_taken_invoice_numbers", x => x.number);
                });

            migrationBuilder.CreateIndex(
                name: "ix_taken_invoice_numbers_invoice_id",
                table: "taken_invoice_numbers",
                column: "invoice_id");

            // The numbers issued and reversed so far (each issue and reversal takes its own from now on).
            migrationBuilder.Sql(TakenInvoiceNumbersBackfill.Postgres);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "taken_invoice_numbers");
        }
    }
}
