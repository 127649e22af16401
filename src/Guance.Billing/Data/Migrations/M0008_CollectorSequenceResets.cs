using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Guance.Billing.Data.Migrations;

/// <summary>The audit records of operators' resets of a collector's high-water mark (ResetCollectorSequence).</summary>
[DbContext(typeof(BillingDbContext))]
[Migration("20261205000008_CollectorSequenceResets")]
public sealed class M0008_CollectorSequenceResets : Migration
{
    protected override void Up(MigrationBuilder migration)
    {
        migration.CreateTable(
            name: "usage_collector_resets",
            columns: table => new
            {
                id = table.Column<long>(nullable: false).AutoIncrement(),
                request_id = table.Column<string>(nullable: false),
                workspace_id = table.Column<string>(nullable: false),
                collector_id = table.Column<string>(nullable: false),
                previous_sequence = table.Column<long>(nullable: false),
                new_sequence = table.Column<long>(nullable: false),
                reason = table.Column<string>(nullable: false),
                reset_by = table.Column<string>(nullable: false),
                reset_at = table.Column<long>(nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_usage_collector_resets", x => x.id));
        migration.CreateIndex("ux_usage_collector_resets_request_id", "usage_collector_resets", ["request_id"], unique: true);
        migration.CreateIndex("ix_usage_collector_resets_workspace_id_collector_id_id", "usage_collector_resets", ["workspace_id", "collector_id", "id"]);
    }
}
