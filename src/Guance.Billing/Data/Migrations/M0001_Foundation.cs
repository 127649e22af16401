using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Guance.Billing.Data.Migrations;

/// <summary>Console users, tokens, workspaces, members and retention.</summary>
[DbContext(typeof(BillingDbContext))]
[Migration("20261125000001_Foundation")]
public sealed class M0001_Foundation : Migration
{
    protected override void Up(MigrationBuilder migration)
    {
        migration.CreateTable(
            name: "users",
            columns: table => new
            {
                id = table.Column<string>(nullable: false),
                email = table.Column<string>(nullable: false),
                display_name = table.Column<string>(nullable: false),
                password_hash = table.Column<string>(nullable: false),
                created_at = table.Column<long>(nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_users", x => x.id));
        migration.CreateIndex("ix_users_email", "users", "email", unique: true);

        migration.CreateTable(
            name: "access_tokens",
            columns: table => new
            {
                id = table.Column<string>(nullable: false),
                kind = table.Column<int>(nullable: false),
                subject_id = table.Column<string>(nullable: false),
                display_name = table.Column<string>(nullable: false),
                secret_hash = table.Column<byte[]>(nullable: false),
                created_at = table.Column<long>(nullable: false),
                expires_at = table.Column<long>(nullable: true),
                revoked_at = table.Column<long>(nullable: true),
                created_by_user_id = table.Column<string>(nullable: true),
            },
            constraints: table => table.PrimaryKey("pk_access_tokens", x => x.id));
        migration.CreateIndex("ix_access_tokens_subject_id_kind", "access_tokens", ["subject_id", "kind"]);

        migration.CreateTable(
            name: "sign_in_throttles",
            columns: table => new
            {
                key = table.Column<string>(nullable: false),
                failures = table.Column<int>(nullable: false),
                window_started_at = table.Column<long>(nullable: false),
                blocked_until = table.Column<long>(nullable: true),
            },
            constraints: table => table.PrimaryKey("pk_sign_in_throttles", x => x.key));

        migration.CreateTable(
            name: "workspaces",
            columns: table => new
            {
                id = table.Column<string>(nullable: false),
                name = table.Column<string>(nullable: false),
                description = table.Column<string>(nullable: false),
                site_code = table.Column<string>(nullable: false),
                activation_channel = table.Column<int>(nullable: false),
                plan = table.Column<int>(nullable: false),
                state = table.Column<int>(nullable: false),
                owner_user_id = table.Column<string>(nullable: false),
                created_at = table.Column<long>(nullable: false),
                upgraded_at = table.Column<long>(nullable: true),
                dissolved_at = table.Column<long>(nullable: true),
                version = table.Column<long>(nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_workspaces", x => x.id));

        migration.CreateTable(
            name: "workspace_members",
            columns: table => new
            {
                workspace_id = table.Column<string>(nullable: false),
                user_id = table.Column<string>(nullable: false),
                role = table.Column<int>(nullable: false),
                joined_at = table.Column<long>(nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_workspace_members", x => new { x.workspace_id, x.user_id }));
        migration.CreateIndex("ix_workspace_members_user_id", "workspace_members", "user_id");
        migration.CreateIndex("ix_workspace_members_one_owner", "workspace_members", "workspace_id", unique: true, filter: "role = 1");

        migration.CreateTable(
            name: "retention_changes",
            columns: table => new
            {
                id = table.Column<long>(nullable: false).AutoIncrement(),
                workspace_id = table.Column<string>(nullable: false),
                data_type = table.Column<int>(nullable: false),
                days = table.Column<int>(nullable: false),
                effective_from = table.Column<long>(nullable: false),
                requested_at = table.Column<long>(nullable: false),
                requested_by_user_id = table.Column<string>(nullable: true),
                immediate_on_day = table.Column<DateOnly>(nullable: true),
            },
            constraints: table => table.PrimaryKey("pk_retention_changes", x => x.id));
        migration.CreateIndex("ix_retention_changes_workspace_id_data_type_effective_from", "retention_changes", ["workspace_id", "data_type", "effective_from"]);
        migration.CreateIndex("ix_retention_changes_workspace_id_data_type_immediate_on_day", "retention_changes", ["workspace_id", "data_type", "immediate_on_day"], unique: true);
    }
}
