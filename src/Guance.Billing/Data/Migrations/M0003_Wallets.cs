using Guance.Billing.Wallets;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Guance.Billing.Data.Migrations;

/// <summary>
/// Billing-center accounts (certifications, cloud accounts, binding codes, workspace bindings), the
/// wallet's double-entry ledger (wallets, ledger accounts, transactions, entries, vouchers, prepaid
/// cards) and the notification outbox.
/// </summary>
[DbContext(typeof(BillingDbContext))]
[Migration("20261125000003_Wallets")]
public sealed class M0003_Wallets : Migration
{
    protected override void Up(MigrationBuilder migration)
    {
        migration.CreateTable(
            name: "billing_accounts",
            columns: table => new
            {
                id = table.Column<string>(nullable: false),
                username = table.Column<string>(nullable: false),
                normalized_username = table.Column<string>(nullable: false),
                email = table.Column<string>(nullable: false),
                display_name = table.Column<string>(nullable: false),
                contact_phone = table.Column<string>(nullable: false),
                password_hash = table.Column<string>(nullable: false),
                created_at = table.Column<long>(nullable: false),
                updated_at = table.Column<long>(nullable: false),
                version = table.Column<long>(nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_billing_accounts", x => x.id));
        migration.CreateIndex("ix_billing_accounts_normalized_username", "billing_accounts", "normalized_username", unique: true);

        migration.CreateTable(
            name: "enterprise_certifications",
            columns: table => new
            {
                id = table.Column<string>(nullable: false),
                billing_account_id = table.Column<string>(nullable: false),
                enterprise_name = table.Column<string>(nullable: false),
                taxpayer_id = table.Column<string>(nullable: false),
                state = table.Column<int>(nullable: false),
                submitted_at = table.Column<long>(nullable: false),
                reviewed_at = table.Column<long>(nullable: true),
                reject_reason = table.Column<string>(nullable: true),
            },
            constraints: table => table.PrimaryKey("pk_enterprise_certifications", x => x.id));
        migration.CreateIndex("ix_enterprise_certifications_billing_account_id", "enterprise_certifications", "billing_account_id");
        migration.CreateIndex("ix_enterprise_certifications_one_open", "enterprise_certifications", "billing_account_id", unique: true, filter: "state IN (1, 2)");

        migration.CreateTable(
            name: "cloud_accounts",
            columns: table => new
            {
                id = table.Column<string>(nullable: false),
                billing_account_id = table.Column<string>(nullable: false),
                provider = table.Column<int>(nullable: false),
                provider_account_id = table.Column<string>(nullable: false),
                marketplace_instance_id = table.Column<string>(nullable: false),
                display_name = table.Column<string>(nullable: false),
                created_at = table.Column<long>(nullable: false),
                removed_at = table.Column<long>(nullable: true),
            },
            constraints: table => table.PrimaryKey("pk_cloud_accounts", x => x.id));
        migration.CreateIndex("ix_cloud_accounts_billing_account_id", "cloud_accounts", "billing_account_id");
        migration.CreateIndex("ix_cloud_accounts_active", "cloud_accounts", ["provider", "provider_account_id", "marketplace_instance_id"], unique: true, filter: "removed_at IS NULL");

        migration.CreateTable(
            name: "binding_codes",
            columns: table => new
            {
                id = table.Column<string>(nullable: false),
                billing_account_id = table.Column<string>(nullable: false),
                code_hash = table.Column<byte[]>(nullable: false),
                created_at = table.Column<long>(nullable: false),
                expires_at = table.Column<long>(nullable: false),
                redeemed_at = table.Column<long>(nullable: true),
                redeemed_by_workspace_id = table.Column<string>(nullable: true),
            },
            constraints: table => table.PrimaryKey("pk_binding_codes", x => x.id));
        migration.CreateIndex("ix_binding_codes_code_hash", "binding_codes", "code_hash", unique: true);
        migration.CreateIndex("ix_binding_codes_billing_account_id", "binding_codes", "billing_account_id");

        migration.CreateTable(
            name: "workspace_bindings",
            columns: table => new
            {
                workspace_id = table.Column<string>(nullable: false),
                billing_account_id = table.Column<string>(nullable: false),
                bound_at = table.Column<long>(nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_workspace_bindings", x => x.workspace_id));
        migration.CreateIndex("ix_workspace_bindings_billing_account_id", "workspace_bindings", "billing_account_id");

        migration.CreateTable(
            name: "wallets",
            columns: table => new
            {
                billing_account_id = table.Column<string>(nullable: false),
                version = table.Column<long>(nullable: false),
                arrears_since = table.Column<long>(nullable: true),
                updated_at = table.Column<long>(nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_wallets", x => x.billing_account_id));

        migration.CreateTable(
            name: "ledger_accounts",
            columns: table => new
            {
                id = table.Column<string>(nullable: false),
                billing_account_id = table.Column<string>(nullable: false),
                kind = table.Column<int>(nullable: false),
                lot_id = table.Column<string>(nullable: true),
                valid_from = table.Column<long>(nullable: true),
                expires_at = table.Column<long>(nullable: true),
                balance = table.Column<long>(nullable: false),
                entry_count = table.Column<long>(nullable: false),
                created_at = table.Column<long>(nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("pk_ledger_accounts", x => x.id);
                table.CheckConstraint("ck_ledger_accounts_sign", LedgerAccountKinds.SignCheckSql);
            });
        migration.CreateIndex("ix_ledger_accounts_billing_account_id", "ledger_accounts", "billing_account_id");

        migration.CreateTable(
            name: "ledger_transactions",
            columns: table => new
            {
                id = table.Column<string>(nullable: false),
                billing_account_id = table.Column<string>(nullable: false),
                kind = table.Column<int>(nullable: false),
                idempotency_key = table.Column<string>(nullable: false),
                reference = table.Column<string>(nullable: false),
                fingerprint = table.Column<string>(nullable: false),
                amount = table.Column<long>(nullable: false),
                description = table.Column<string>(nullable: false),
                created_at = table.Column<long>(nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_ledger_transactions", x => x.id));
        migration.CreateIndex("ix_ledger_transactions_idempotency_key", "ledger_transactions", "idempotency_key", unique: true);
        migration.CreateIndex("ix_ledger_transactions_billing_account_id_id", "ledger_transactions", ["billing_account_id", "id"]);

        migration.CreateTable(
            name: "ledger_entries",
            columns: table => new
            {
                ledger_account_id = table.Column<string>(nullable: false),
                sequence = table.Column<long>(nullable: false),
                transaction_id = table.Column<string>(nullable: false),
                billing_account_id = table.Column<string>(nullable: false),
                amount = table.Column<long>(nullable: false),
                balance_after = table.Column<long>(nullable: false),
                position = table.Column<int>(nullable: false),
                item_code = table.Column<string>(nullable: true),
            },
            constraints: table => table.PrimaryKey("pk_ledger_entries", x => new { x.ledger_account_id, x.sequence }));
        migration.CreateIndex("ix_ledger_entries_transaction_id", "ledger_entries", "transaction_id");
        migration.CreateIndex("ix_ledger_entries_billing_account_id", "ledger_entries", "billing_account_id");

        migration.CreateTable(
            name: "vouchers",
            columns: table => new
            {
                id = table.Column<string>(nullable: false),
                kind = table.Column<int>(nullable: false),
                face_value = table.Column<long>(nullable: false),
                billing_account_id = table.Column<string>(nullable: true),
                valid_from = table.Column<long>(nullable: false),
                expires_at = table.Column<long>(nullable: false),
                activation_code_hash = table.Column<byte[]>(nullable: true),
                issue_request_id = table.Column<string>(nullable: false),
                issue_fingerprint = table.Column<string>(nullable: false),
                issued_at = table.Column<long>(nullable: false),
                redeemed_at = table.Column<long>(nullable: true),
                expired_at = table.Column<long>(nullable: true),
                prepaid_card_id = table.Column<string>(nullable: true),
            },
            constraints: table => table.PrimaryKey("pk_vouchers", x => x.id));
        migration.CreateIndex("ix_vouchers_billing_account_id", "vouchers", "billing_account_id");
        migration.CreateIndex("ix_vouchers_issue_request_id", "vouchers", "issue_request_id", unique: true);
        migration.CreateIndex("ix_vouchers_activation_code_hash", "vouchers", "activation_code_hash", unique: true);
        migration.CreateIndex("ix_vouchers_due", "vouchers", "expires_at", filter: "expired_at IS NULL");

        migration.CreateTable(
            name: "prepaid_cards",
            columns: table => new
            {
                id = table.Column<string>(nullable: false),
                billing_account_id = table.Column<string>(nullable: false),
                face_value = table.Column<long>(nullable: false),
                issued_at = table.Column<long>(nullable: false),
                expires_at = table.Column<long>(nullable: false),
                expiry_notice_sent_at = table.Column<long>(nullable: true),
                expired_at = table.Column<long>(nullable: true),
                issue_request_id = table.Column<string>(nullable: false),
                issue_fingerprint = table.Column<string>(nullable: false),
                payment_reference = table.Column<string>(nullable: false),
                full_reduction_voucher_id = table.Column<string>(nullable: true),
            },
            constraints: table => table.PrimaryKey("pk_prepaid_cards", x => x.id));
        migration.CreateIndex("ix_prepaid_cards_billing_account_id", "prepaid_cards", "billing_account_id");
        migration.CreateIndex("ix_prepaid_cards_issue_request_id", "prepaid_cards", "issue_request_id", unique: true);
        migration.CreateIndex("ix_prepaid_cards_due", "prepaid_cards", "expires_at", filter: "expired_at IS NULL");

        migration.CreateTable(
            name: "notifications",
            columns: table => new
            {
                id = table.Column<string>(nullable: false),
                kind = table.Column<int>(nullable: false),
                billing_account_id = table.Column<string>(nullable: true),
                recipient = table.Column<string>(nullable: false),
                subject = table.Column<string>(nullable: false),
                body = table.Column<string>(nullable: false),
                reference = table.Column<string>(nullable: false),
                dedupe_key = table.Column<string>(nullable: false),
                created_at = table.Column<long>(nullable: false),
                delivered_at = table.Column<long>(nullable: true),
                next_attempt_at = table.Column<long>(nullable: false),
                attempts = table.Column<int>(nullable: false),
                claimed_by = table.Column<string>(nullable: true),
                last_error = table.Column<string>(nullable: true),
            },
            constraints: table => table.PrimaryKey("pk_notifications", x => x.id));
        migration.CreateIndex("ix_notifications_dedupe_key", "notifications", "dedupe_key", unique: true);
        migration.CreateIndex("ix_notifications_billing_account_id", "notifications", "billing_account_id");
        migration.CreateIndex("ix_notifications_due", "notifications", "next_attempt_at", filter: "delivered_at IS NULL");
    }
}
