using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Guance.Billing.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Tickets : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ticket_attachment_contents",
                columns: table => new
                {
                    attachment_id = table.Column<string>(type: "TEXT", nullable: false),
                    content = table.Column<byte[]>(type: "BLOB", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_ticket_attachment_contents", x => x.attachment_id);
                });

            migrationBuilder.CreateTable(
                name: "ticket_attachments",
                columns: table => new
                {
                    id = table.Column<string>(type: "TEXT", nullable: false),
                    ticket_id = table.Column<string>(type: "TEXT", nullable: false),
                    message_id = table.Column<string>(type: "TEXT", nullable: false),
                    position = table.Column<int>(type: "INTEGER", nullable: false),
                    file_name = table.Column<string>(type: "TEXT", nullable: false),
                    size_bytes = table.Column<long>(type: "INTEGER", nullable: false),
                    sha256 = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_ticket_attachments", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "ticket_messages",
                columns: table => new
                {
                    id = table.Column<string>(type: "TEXT", nullable: false),
                    ticket_id = table.Column<string>(type: "TEXT", nullable: false),
                    sequence = table.Column<int>(type: "INTEGER", nullable: false),
                    author = table.Column<int>(type: "INTEGER", nullable: false),
                    author_user_id = table.Column<string>(type: "TEXT", nullable: true),
                    text = table.Column<string>(type: "TEXT", nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    request_id = table.Column<string>(type: "TEXT", nullable: false),
                    request_fingerprint = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_ticket_messages", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "tickets",
                columns: table => new
                {
                    id = table.Column<string>(type: "TEXT", nullable: false),
                    billing_account_id = table.Column<string>(type: "TEXT", nullable: true),
                    workspace_id = table.Column<string>(type: "TEXT", nullable: true),
                    type = table.Column<int>(type: "INTEGER", nullable: false),
                    title = table.Column<string>(type: "TEXT", nullable: false),
                    search_title = table.Column<string>(type: "TEXT", nullable: false),
                    state = table.Column<int>(type: "INTEGER", nullable: false),
                    created_by_user_id = table.Column<string>(type: "TEXT", nullable: true),
                    submitted_by = table.Column<string>(type: "TEXT", nullable: false),
                    request_id = table.Column<string>(type: "TEXT", nullable: false),
                    request_fingerprint = table.Column<string>(type: "TEXT", nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    updated_at = table.Column<long>(type: "INTEGER", nullable: false),
                    feedback_at = table.Column<long>(type: "INTEGER", nullable: true),
                    closed_at = table.Column<long>(type: "INTEGER", nullable: true),
                    closed_automatically = table.Column<bool>(type: "INTEGER", nullable: false),
                    message_count = table.Column<int>(type: "INTEGER", nullable: false),
                    rating_stars = table.Column<int>(type: "INTEGER", nullable: true),
                    rating_comment = table.Column<string>(type: "TEXT", nullable: true),
                    rated_at = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_tickets", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_ticket_attachments_ticket_id_message_id_position",
                table: "ticket_attachments",
                columns: new[] { "ticket_id", "message_id", "position" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_ticket_messages_ticket_id_request_id",
                table: "ticket_messages",
                columns: new[] { "ticket_id", "request_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_ticket_messages_ticket_id_sequence",
                table: "ticket_messages",
                columns: new[] { "ticket_id", "sequence" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_tickets_billing_account_id_id",
                table: "tickets",
                columns: new[] { "billing_account_id", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_tickets_state_feedback_at",
                table: "tickets",
                columns: new[] { "state", "feedback_at" });

            migrationBuilder.CreateIndex(
                name: "ix_tickets_submitted_by_request_id",
                table: "tickets",
                columns: new[] { "submitted_by", "request_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_tickets_workspace_id_id",
                table: "tickets",
                columns: new[] { "workspace_id", "id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ticket_attachment_contents");

            migrationBuilder.DropTable(
                name: "ticket_attachments");

            migrationBuilder.DropTable(
                name: "ticket_messages");

            migrationBuilder.DropTable(
                name: "tickets");
        }
    }
}
