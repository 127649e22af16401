using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Guance.Billing.Data.Migrations;

/// <summary>Monthly bills: one per billing account and month, with its workspaces and their items.</summary>
[DbContext(typeof(BillingDbContext))]
[Migration("20261125000005_MonthlyBills")]
public sealed class M0005_MonthlyBills : Migration
{
    protected override void Up(MigrationBuilder migration)
    {
        migration.CreateTable(
            name: "monthly_bills",
            columns: table => new
            {
                id = table.Column<string>(nullable: false),
                billing_account_id = table.Column<string>(nullable: false),
                year = table.Column<int>(nullable: false),
                month = table.Column<int>(nullable: false),
                total = table.Column<long>(nullable: false),
                paid_by_vouchers = table.Column<long>(nullable: false),
                paid_by_prepaid_cards = table.Column<long>(nullable: false),
                paid_by_cash = table.Column<long>(nullable: false),
                arrears = table.Column<long>(nullable: false),
                cloud_amount = table.Column<long>(nullable: false),
                daily_bills = table.Column<int>(nullable: false),
                workspaces = table.Column<int>(nullable: false),
                generated_at = table.Column<long>(nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_monthly_bills", x => x.id));
        migration.CreateIndex("ix_monthly_bills_billing_account_id_year_month", "monthly_bills", ["billing_account_id", "year", "month"], unique: true);

        migration.CreateTable(
            name: "monthly_bill_workspaces",
            columns: table => new
            {
                monthly_bill_id = table.Column<string>(nullable: false),
                workspace_id = table.Column<string>(nullable: false),
                site_code = table.Column<string>(nullable: false),
                days = table.Column<int>(nullable: false),
                total = table.Column<long>(nullable: false),
                paid_by_vouchers = table.Column<long>(nullable: false),
                paid_by_prepaid_cards = table.Column<long>(nullable: false),
                paid_by_cash = table.Column<long>(nullable: false),
                arrears = table.Column<long>(nullable: false),
                cloud_amount = table.Column<long>(nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_monthly_bill_workspaces", x => new { x.monthly_bill_id, x.workspace_id }));

        migration.CreateTable(
            name: "monthly_bill_lines",
            columns: table => new
            {
                monthly_bill_id = table.Column<string>(nullable: false),
                workspace_id = table.Column<string>(nullable: false),
                item = table.Column<int>(nullable: false),
                days = table.Column<int>(nullable: false),
                amount = table.Column<long>(nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_monthly_bill_lines", x => new { x.monthly_bill_id, x.workspace_id, x.item }));
    }
}
