using System.Globalization;
using Guance.Billing.Pricing;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Guance.Billing.Data.Migrations;

/// <summary>
/// Daily settlement: price lists (seeded with the prices of docs/domain.md §4 from 2024-01-01), workspace
/// settlement and its audit trail, day closes, daily bills and their lines.
/// </summary>
[DbContext(typeof(BillingDbContext))]
[Migration("20261125000004_Settlement")]
public sealed class M0004_Settlement : Migration
{
    protected override void Up(MigrationBuilder migration)
    {
        migration.CreateTable(
            name: "price_lists",
            columns: table => new
            {
                id = table.Column<string>(nullable: false),
                region = table.Column<int>(nullable: false),
                effective_from = table.Column<DateOnly>(nullable: false),
                description = table.Column<string>(nullable: false),
                base_price_list_id = table.Column<string>(nullable: true),
                created_at = table.Column<long>(nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_price_lists", x => x.id));
        migration.CreateIndex("ix_price_lists_region_effective_from", "price_lists", ["region", "effective_from"], unique: true);

        migration.CreateTable(
            name: "price_list_entries",
            columns: table => new
            {
                price_list_id = table.Column<string>(nullable: false),
                item = table.Column<int>(nullable: false),
                retention_days = table.Column<int>(nullable: false),
                unit_price_micros = table.Column<long>(nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_price_list_entries", x => new { x.price_list_id, x.item, x.retention_days }));

        migration.CreateTable(
            name: "workspace_settlements",
            columns: table => new
            {
                workspace_id = table.Column<string>(nullable: false),
                method = table.Column<int>(nullable: false),
                cloud_account_id = table.Column<string>(nullable: true),
                arbitrary_selection = table.Column<bool>(nullable: false),
                cloud_subscription_cancelled_at = table.Column<long>(nullable: true),
                method_changed_at = table.Column<long>(nullable: true),
                lock_at = table.Column<long>(nullable: true),
                lock_warning_sent_at = table.Column<long>(nullable: true),
                locked_notice_sent_at = table.Column<long>(nullable: true),
                created_at = table.Column<long>(nullable: false),
                updated_at = table.Column<long>(nullable: false),
                version = table.Column<long>(nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_workspace_settlements", x => x.workspace_id));
        migration.CreateIndex("ix_workspace_settlements_cloud_account_id", "workspace_settlements", "cloud_account_id");
        migration.CreateIndex("ix_workspace_settlements_countdown", "workspace_settlements", "lock_at", filter: "lock_at IS NOT NULL");

        migration.CreateTable(
            name: "settlement_changes",
            columns: table => new
            {
                id = table.Column<long>(nullable: false).AutoIncrement(),
                workspace_id = table.Column<string>(nullable: false),
                kind = table.Column<int>(nullable: false),
                at = table.Column<long>(nullable: false),
                by_user_id = table.Column<string>(nullable: true),
                from_billing_account_id = table.Column<string>(nullable: true),
                to_billing_account_id = table.Column<string>(nullable: true),
                from_method = table.Column<int>(nullable: true),
                to_method = table.Column<int>(nullable: true),
                cloud_account_id = table.Column<string>(nullable: true),
                change_month = table.Column<string>(nullable: true),
                enabled = table.Column<bool>(nullable: true),
            },
            constraints: table => table.PrimaryKey("pk_settlement_changes", x => x.id));
        migration.CreateIndex("ix_settlement_changes_workspace_id_id", "settlement_changes", ["workspace_id", "id"]);
        migration.CreateIndex("ix_settlement_changes_one_method_change_a_month", "settlement_changes", ["workspace_id", "change_month"],
            unique: true, filter: "change_month IS NOT NULL");

        migration.CreateTable(
            name: "day_closes",
            columns: table => new
            {
                site_code = table.Column<string>(nullable: false),
                billing_day = table.Column<DateOnly>(nullable: false),
                closed_at = table.Column<long>(nullable: false),
                completed_at = table.Column<long>(nullable: true),
                price_list_id = table.Column<string>(nullable: true),
                bills = table.Column<int>(nullable: false),
                bills_charged = table.Column<int>(nullable: false),
                bills_awaiting_cloud = table.Column<int>(nullable: false),
                bills_unbound = table.Column<int>(nullable: false),
                total = table.Column<long>(nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_day_closes", x => new { x.site_code, x.billing_day }));

        migration.CreateTable(
            name: "daily_bills",
            columns: table => new
            {
                id = table.Column<string>(nullable: false),
                workspace_id = table.Column<string>(nullable: false),
                billing_day = table.Column<DateOnly>(nullable: false),
                site_code = table.Column<string>(nullable: false),
                billing_account_id = table.Column<string>(nullable: true),
                method = table.Column<int>(nullable: false),
                cloud_account_id = table.Column<string>(nullable: true),
                price_list_id = table.Column<string>(nullable: false),
                total = table.Column<long>(nullable: false),
                status = table.Column<int>(nullable: false),
                paid_by_vouchers = table.Column<long>(nullable: false),
                paid_by_prepaid_cards = table.Column<long>(nullable: false),
                paid_by_cash = table.Column<long>(nullable: false),
                arrears = table.Column<long>(nullable: false),
                cloud_amount = table.Column<long>(nullable: false),
                transaction_id = table.Column<string>(nullable: true),
                created_at = table.Column<long>(nullable: false),
                charged_at = table.Column<long>(nullable: true),
            },
            constraints: table => table.PrimaryKey("pk_daily_bills", x => x.id));
        migration.CreateIndex("ix_daily_bills_workspace_id_billing_day", "daily_bills", ["workspace_id", "billing_day"], unique: true);
        migration.CreateIndex("ix_daily_bills_site_code_billing_day_status", "daily_bills", ["site_code", "billing_day", "status"]);
        migration.CreateIndex("ix_daily_bills_billing_account_id_billing_day", "daily_bills", ["billing_account_id", "billing_day"]);

        migration.CreateTable(
            name: "daily_bill_lines",
            columns: table => new
            {
                daily_bill_id = table.Column<string>(nullable: false),
                item = table.Column<int>(nullable: false),
                quantity = table.Column<long>(nullable: false),
                units_hundredths = table.Column<long>(nullable: false),
                unit_price_micros = table.Column<long>(nullable: false),
                retention_days = table.Column<int>(nullable: false),
                amount = table.Column<long>(nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_daily_bill_lines", x => new { x.daily_bill_id, x.item }));

        // Plain INSERTs rather than InsertData: InsertData without store types needs the migration's
        // target model, which EF supplies only to the last migration (and these have no snapshot).
        foreach (var list in PriceSeed.Lists)
        {
            migration.Sql(string.Create(CultureInfo.InvariantCulture,
                $"INSERT INTO price_lists (id, region, effective_from, description, created_at) VALUES ({Text(list.Id)}, {(int)list.Region}, "
                + $"{Text(list.EffectiveFrom.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))}, {Text(list.Description)}, {UnixMicrosecondsConverter.ToMicroseconds(list.CreatedAt)})"));
        }
        foreach (var entry in PriceSeed.Entries)
        {
            migration.Sql(string.Create(CultureInfo.InvariantCulture,
                $"INSERT INTO price_list_entries (price_list_id, item, retention_days, unit_price_micros) VALUES ({Text(entry.PriceListId)}, {(int)entry.Item}, {entry.RetentionDays}, {entry.UnitPriceMicros})"));
        }
    }

    private static string Text(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
}
