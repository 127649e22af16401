using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Guance.Billing.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Invoices : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "invoice_documents",
                columns: table => new
                {
                    invoice_id = table.Column<string>(type: "TEXT", nullable: false),
                    content = table.Column<byte[]>(type: "BLOB", nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_invoice_documents", x => x.invoice_id);
                });

            migrationBuilder.CreateTable(
                name: "invoice_events",
                columns: table => new
                {
                    invoice_id = table.Column<string>(type: "TEXT", nullable: false),
                    request_id = table.Column<string>(type: "TEXT", nullable: false),
                    state = table.Column<int>(type: "INTEGER", nullable: false),
                    fingerprint = table.Column<string>(type: "TEXT", nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_invoice_events", x => new { x.invoice_id, x.request_id });
                });

            migrationBuilder.CreateTable(
                name: "invoice_infos",
                columns: table => new
                {
                    id = table.Column<string>(type: "TEXT", nullable: false),
                    billing_account_id = table.Column<string>(type: "TEXT", nullable: false),
                    type = table.Column<int>(type: "INTEGER", nullable: false),
                    bank_name = table.Column<string>(type: "TEXT", nullable: false),
                    bank_account_number = table.Column<string>(type: "TEXT", nullable: false),
                    registered_address = table.Column<string>(type: "TEXT", nullable: false),
                    registered_phone = table.Column<string>(type: "TEXT", nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    updated_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_invoice_infos", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "invoice_lines",
                columns: table => new
                {
                    invoice_id = table.Column<string>(type: "TEXT", nullable: false),
                    source_id = table.Column<string>(type: "TEXT", nullable: false),
                    source_kind = table.Column<int>(type: "INTEGER", nullable: false),
                    billing_account_id = table.Column<string>(type: "TEXT", nullable: false),
                    amount = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_invoice_lines", x => new { x.invoice_id, x.source_id });
                });

            migrationBuilder.CreateTable(
                name: "invoices",
                columns: table => new
                {
                    id = table.Column<string>(type: "TEXT", nullable: false),
                    billing_account_id = table.Column<string>(type: "TEXT", nullable: false),
                    request_id = table.Column<string>(type: "TEXT", nullable: false),
                    fingerprint = table.Column<string>(type: "TEXT", nullable: false),
                    state = table.Column<int>(type: "INTEGER", nullable: false),
                    type = table.Column<int>(type: "INTEGER", nullable: false),
                    amount = table.Column<long>(type: "INTEGER", nullable: false),
                    title = table.Column<string>(type: "TEXT", nullable: false),
                    taxpayer_id = table.Column<string>(type: "TEXT", nullable: false),
                    bank_name = table.Column<string>(type: "TEXT", nullable: false),
                    bank_account_number = table.Column<string>(type: "TEXT", nullable: false),
                    registered_address = table.Column<string>(type: "TEXT", nullable: false),
                    registered_phone = table.Column<string>(type: "TEXT", nullable: false),
                    invoice_info_id = table.Column<string>(type: "TEXT", nullable: false),
                    mailing_address_id = table.Column<string>(type: "TEXT", nullable: true),
                    recipient = table.Column<string>(type: "TEXT", nullable: false),
                    phone = table.Column<string>(type: "TEXT", nullable: false),
                    address = table.Column<string>(type: "TEXT", nullable: false),
                    email = table.Column<string>(type: "TEXT", nullable: false),
                    requested_at = table.Column<long>(type: "INTEGER", nullable: false),
                    invoice_number = table.Column<string>(type: "TEXT", nullable: true),
                    issue_date = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    issued_at = table.Column<long>(type: "INTEGER", nullable: true),
                    document_size = table.Column<long>(type: "INTEGER", nullable: false),
                    reject_reason = table.Column<string>(type: "TEXT", nullable: true),
                    carrier = table.Column<string>(type: "TEXT", nullable: true),
                    tracking_number = table.Column<string>(type: "TEXT", nullable: true),
                    mailed_at = table.Column<long>(type: "INTEGER", nullable: true),
                    red_letter_number = table.Column<string>(type: "TEXT", nullable: true),
                    reverse_reason = table.Column<string>(type: "TEXT", nullable: true),
                    closed_at = table.Column<long>(type: "INTEGER", nullable: true),
                    updated_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_invoices", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "mailing_addresses",
                columns: table => new
                {
                    id = table.Column<string>(type: "TEXT", nullable: false),
                    billing_account_id = table.Column<string>(type: "TEXT", nullable: false),
                    recipient = table.Column<string>(type: "TEXT", nullable: false),
                    phone = table.Column<string>(type: "TEXT", nullable: false),
                    email = table.Column<string>(type: "TEXT", nullable: false),
                    address = table.Column<string>(type: "TEXT", nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    updated_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_mailing_addresses", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_invoice_infos_billing_account_id",
                table: "invoice_infos",
                column: "billing_account_id");

            migrationBuilder.CreateIndex(
                name: "ix_invoice_lines_billing_account_id_source_id",
                table: "invoice_lines",
                columns: new[] { "billing_account_id", "source_id" });

            migrationBuilder.CreateIndex(
                name: "ix_invoices_billing_account_id_request_id",
                table: "invoices",
                columns: new[] { "billing_account_id", "request_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_invoices_billing_account_id_state",
                table: "invoices",
                columns: new[] { "billing_account_id", "state" });

            migrationBuilder.CreateIndex(
                name: "ix_invoices_invoice_number",
                table: "invoices",
                column: "invoice_number",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_mailing_addresses_billing_account_id",
                table: "mailing_addresses",
                column: "billing_account_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "invoice_documents");

            migrationBuilder.DropTable(
                name: "invoice_events");

            migrationBuilder.DropTable(
                name: "invoice_infos");

            migrationBuilder.DropTable(
                name: "invoice_lines");

            migrationBuilder.DropTable(
                name: "invoices");

            migrationBuilder.DropTable(
                name: "mailing_addresses");
        }
    }
}
