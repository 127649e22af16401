using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Guance.Billing.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class NotificationLanguage : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<string>(
                name: "language",
                table: "notifications",
                type: "text",
                nullable: false,
                defaultValue: "",
                collation: "C",
                oldClrType: typeof(string),
                oldType: "text",
                oldCollation: "C");

            migrationBuilder.AlterColumn<string>(
                name: "html_body",
                table: "notifications",
                type: "text",
                nullable: false,
                defaultValue: "",
                collation: "C",
                oldClrType: typeof(string),
                oldType: "text",
                oldCollation: "C");

            migrationBuilder.AlterColumn<string>(
                name: "language",
                table: "billing_accounts",
                type: "text",
                nullable: false,
                defaultValue: "",
                collation: "C",
                oldClrType: typeof(string),
                oldType: "text",
                oldCollation: "C");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<string>(
                name: "language",
                table: "notifications",
                type: "text",
                nullable: false,
                collation: "C",
                oldClrType: typeof(string),
                oldType: "text",
                oldDefaultValue: "",
                oldCollation: "C");

            migrationBuilder.AlterColumn<string>(
                name: "html_body",
                table: "notifications",
                type: "text",
                nullable: false,
                collation: "C",
                oldClrType: typeof(string),
                oldType: "text",
                oldDefaultValue: "",
                oldCollation: "C");

            migrationBuilder.AlterColumn<string>(
                name: "language",
                table: "billing_accounts",
                type: "text",
                nullable: false,
                collation: "C",
                oldClrType: typeof(string),
                oldType: "text",
                oldDefaultValue: "",
                oldCollation: "C");
        }
    }
}
