using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Guance.Billing.Data.Migrations;

/// <summary>
/// Cloud-marketplace settlement (the cloud part of each daily bill and the metering records formed
/// from them) and high-consumption alerts (thresholds and the day's hits).
/// </summary>
[DbContext(typeof(BillingDbContext))]
[Migration("20261125000006_CloudAndAlerts")]
public sealed class M0006_CloudAndAlerts : Migration
{
    protected override void Up(MigrationBuilder migration)
    {
        migration.CreateTable(
            name: "cloud_metering_lines",
            columns: table => new
            {
                daily_bill_id = table.Column<string>(nullable: false),
                item = table.Column<int>(nullable: false),
                cloud_account_id = table.Column<string>(nullable: false),
                billing_account_id = table.Column<string>(nullable: false),
                site_code = table.Column<string>(nullable: false),
                billing_day = table.Column<DateOnly>(nullable: false),
                amount = table.Column<long>(nullable: false),
                record_id = table.Column<string>(nullable: true),
            },
            constraints: table => table.PrimaryKey("pk_cloud_metering_lines", x => new { x.daily_bill_id, x.item }));
        migration.CreateIndex("ix_cloud_metering_lines_cloud_account_id_billing_day_record_id", "cloud_metering_lines",
            ["cloud_account_id", "billing_day", "record_id"]);

        migration.CreateTable(
            name: "cloud_metering_records",
            columns: table => new
            {
                id = table.Column<string>(nullable: false),
                provider = table.Column<int>(nullable: false),
                cloud_account_id = table.Column<string>(nullable: false),
                billing_account_id = table.Column<string>(nullable: false),
                provider_account_id = table.Column<string>(nullable: false),
                marketplace_instance_id = table.Column<string>(nullable: false),
                billing_day = table.Column<DateOnly>(nullable: false),
                item = table.Column<int>(nullable: false),
                part = table.Column<int>(nullable: false),
                amount = table.Column<long>(nullable: false),
                usage_time = table.Column<long>(nullable: false),
                status = table.Column<int>(nullable: false),
                attempts = table.Column<int>(nullable: false),
                failure_reason = table.Column<string>(nullable: true),
                created_at = table.Column<long>(nullable: false),
                last_attempt_at = table.Column<long>(nullable: true),
                sent_at = table.Column<long>(nullable: true),
            },
            constraints: table => table.PrimaryKey("pk_cloud_metering_records", x => x.id));
        migration.CreateIndex("ux_cloud_metering_records_account_day_item_part", "cloud_metering_records",
            ["cloud_account_id", "billing_day", "item", "part"], unique: true);
        migration.CreateIndex("ix_cloud_metering_records_provider_status_cloud_account_id_id", "cloud_metering_records",
            ["provider", "status", "cloud_account_id", "id"]);

        migration.CreateTable(
            name: "consumption_alerts",
            columns: table => new
            {
                workspace_id = table.Column<string>(nullable: false),
                item = table.Column<int>(nullable: false),
                threshold = table.Column<long>(nullable: false),
                updated_by_user_id = table.Column<string>(nullable: true),
                created_at = table.Column<long>(nullable: false),
                updated_at = table.Column<long>(nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_consumption_alerts", x => new { x.workspace_id, x.item }));

        migration.CreateTable(
            name: "consumption_alert_hits",
            columns: table => new
            {
                workspace_id = table.Column<string>(nullable: false),
                billing_day = table.Column<DateOnly>(nullable: false),
                item = table.Column<int>(nullable: false),
                amount = table.Column<long>(nullable: false),
                threshold = table.Column<long>(nullable: false),
                created_at = table.Column<long>(nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_consumption_alert_hits", x => new { x.workspace_id, x.billing_day, x.item }));
    }
}
