using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Guance.Billing.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class NotificationChannels : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "notice_deliveries",
                columns: table => new
                {
                    id = table.Column<string>(type: "TEXT", nullable: false),
                    notification_id = table.Column<string>(type: "TEXT", nullable: false),
                    channel = table.Column<int>(type: "INTEGER", nullable: false),
                    recipient = table.Column<string>(type: "TEXT", nullable: false),
                    state = table.Column<int>(type: "INTEGER", nullable: false),
                    attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    next_attempt_at = table.Column<long>(type: "INTEGER", nullable: false),
                    claimed_by = table.Column<string>(type: "TEXT", nullable: true),
                    lease_until = table.Column<long>(type: "INTEGER", nullable: true),
                    last_error = table.Column<string>(type: "TEXT", nullable: true),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    completed_at = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_notice_deliveries", x => x.id);
                    table.ForeignKey(
                        name: "fk_notice_deliveries_notifications_notification_id",
                        column: x => x.notification_id,
                        principalTable: "notifications",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_notice_deliveries_due",
                table: "notice_deliveries",
                column: "next_attempt_at",
                filter: "state = 1");

            migrationBuilder.CreateIndex(
                name: "ix_notice_deliveries_notification_id_channel_recipient",
                table: "notice_deliveries",
                columns: new[] { "notification_id", "channel", "recipient" },
                unique: true);

            // Every notice written before this migration goes out by e-mail to its one recipient, as it did:
            // a delivery per notice, keeping its attempts, back-off and last error (docs/domain.md §9).
            migrationBuilder.Sql("""
                INSERT INTO notice_deliveries (id, notification_id, channel, recipient, state, attempts, next_attempt_at,
                    claimed_by, lease_until, last_error, created_at, completed_at)
                SELECT 'ndl_' || substr(id, 5), id, 1, recipient, CASE WHEN delivered_at IS NULL THEN 1 ELSE 2 END, attempts,
                    next_attempt_at, NULL, NULL, last_error, created_at, delivered_at
                FROM notifications
                """);

            migrationBuilder.DropIndex(
                name: "ix_notifications_due",
                table: "notifications");

            migrationBuilder.DropColumn(
                name: "attempts",
                table: "notifications");

            migrationBuilder.DropColumn(
                name: "claimed_by",
                table: "notifications");

            migrationBuilder.DropColumn(
                name: "delivered_at",
                table: "notifications");

            migrationBuilder.DropColumn(
                name: "last_error",
                table: "notifications");

            migrationBuilder.DropColumn(
                name: "next_attempt_at",
                table: "notifications");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "notice_deliveries");

            migrationBuilder.AddColumn<int>(
                name: "attempts",
                table: "notifications",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "claimed_by",
                table: "notifications",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "delivered_at",
                table: "notifications",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "last_error",
                table: "notifications",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "next_attempt_at",
                table: "notifications",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.CreateIndex(
                name: "ix_notifications_due",
                table: "notifications",
                column: "next_attempt_at",
                filter: "delivered_at IS NULL");
        }
    }
}
