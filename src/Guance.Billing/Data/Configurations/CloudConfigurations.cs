using Guance.Billing.Alerts;
using Guance.Billing.Cloud;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Guance.Billing.Data.Configurations;

internal sealed class CloudMeteringLineConfiguration : IEntityTypeConfiguration<CloudMeteringLine>
{
    public void Configure(EntityTypeBuilder<CloudMeteringLine> line)
    {
        line.ToTable("cloud_metering_lines");
        // One line per bill and item: a bill's cloud part is written once, whoever settles it.
        line.HasKey(l => new { l.DailyBillId, l.Item });
        line.HasIndex(l => new { l.CloudAccountId, l.BillingDay, l.RecordId });
    }
}

internal sealed class CloudMeteringRecordConfiguration : IEntityTypeConfiguration<CloudMeteringRecord>
{
    public void Configure(EntityTypeBuilder<CloudMeteringRecord> record)
    {
        record.ToTable("cloud_metering_records");
        record.HasKey(r => r.Id);
        // One record per cloud account, day, item and part, whatever forms it and however often.
        record.HasIndex(r => new { r.CloudAccountId, r.BillingDay, r.Item, r.Part }).IsUnique().HasDatabaseName("ux_cloud_metering_records_account_day_item_part"); // the conventional name passes PostgreSQL's 63 characters
        record.HasIndex(r => new { r.Provider, r.Status, r.CloudAccountId, r.Id });
        // AWS takes one quantity per product and customer (the instance), dimension and hour (MeteringRecordFormer); 2 is CloudProvider.Aws.
        record.HasIndex(r => new { r.MarketplaceInstanceId, r.Item, r.UsageTime }).IsUnique().HasFilter("provider = 2")
            .HasDatabaseName("ux_cloud_metering_records_aws_hour");
        // The few records AWS metered twice (2 is Sent), listed to refund without reading every sent record.
        record.HasIndex(r => new { r.Provider, r.CloudAccountId, r.Id }).HasFilter("status = 2 AND replaced_by IS NOT NULL")
            .HasDatabaseName("ix_cloud_metering_records_metered_twice");
    }
}

internal sealed class ConsumptionAlertConfiguration : IEntityTypeConfiguration<ConsumptionAlert>
{
    public void Configure(EntityTypeBuilder<ConsumptionAlert> alert)
    {
        alert.ToTable("consumption_alerts");
        alert.HasKey(a => new { a.WorkspaceId, a.Item });
    }
}

internal sealed class ConsumptionAlertHitConfiguration : IEntityTypeConfiguration<ConsumptionAlertHit>
{
    public void Configure(EntityTypeBuilder<ConsumptionAlertHit> hit)
    {
        hit.ToTable("consumption_alert_hits");
        // Once per workspace, day and item.
        hit.HasKey(h => new { h.WorkspaceId, h.BillingDay, h.Item });
    }
}
