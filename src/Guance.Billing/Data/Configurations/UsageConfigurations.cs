using Guance.Billing.Usage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Guance.Billing.Data.Configurations;

internal sealed class UsagePointConfiguration : IEntityTypeConfiguration<UsagePoint>
{
    public void Configure(EntityTypeBuilder<UsagePoint> point)
    {
        point.ToTable("usage_points");
        // The upsert target of ingestion: one row per collector, item, site-local hour and period (experience or commercial).
        point.HasKey(p => new { p.WorkspaceId, p.Item, p.HourStart, p.Plan, p.CollectorId });
        // The experience quota check reads one item's rows of a day. Without the quantity: an upsert that only adds to a
        // row then writes no index (reports and the day close read the rollups, not the points).
        point.HasIndex(p => new { p.WorkspaceId, p.BillingDay, p.Plan, p.Item, p.HourStart }).HasDatabaseName("ix_usage_points_by_day");
    }
}

internal sealed class UsageCollectorConfiguration : IEntityTypeConfiguration<UsageCollector>
{
    public void Configure(EntityTypeBuilder<UsageCollector> collector)
    {
        collector.ToTable("usage_collectors");
        collector.HasKey(c => new { c.WorkspaceId, c.CollectorId });
    }
}

internal sealed class CollectorSequenceResetConfiguration : IEntityTypeConfiguration<CollectorSequenceReset>
{
    public void Configure(EntityTypeBuilder<CollectorSequenceReset> reset)
    {
        reset.ToTable("usage_collector_resets");
        reset.HasKey(r => r.Id);
        reset.Property(r => r.Id).ValueGeneratedOnAdd();
        // A retried reset finds its first answer by the request id.
        reset.HasIndex(r => r.RequestId, "ux_usage_collector_resets_request_id").IsUnique();
        reset.HasIndex(r => new { r.WorkspaceId, r.CollectorId, r.Id });
    }
}

internal sealed class UsageHourlyRollupConfiguration : IEntityTypeConfiguration<UsageHourlyRollup>
{
    public void Configure(EntityTypeBuilder<UsageHourlyRollup> rollup)
    {
        rollup.ToTable("usage_hourly_rollups");
        // The day is in the key (the hour determines it) so that the daily refresh and the hourly chart seek a range of days.
        rollup.HasKey(r => new { r.WorkspaceId, r.Item, r.Plan, r.BillingDay, r.HourStart });
    }
}

internal sealed class UsageDailyRollupConfiguration : IEntityTypeConfiguration<UsageDailyRollup>
{
    public void Configure(EntityTypeBuilder<UsageDailyRollup> rollup)
    {
        rollup.ToTable("usage_daily_rollups");
        // The daily chart reads one item's days; the statistics read all items of a few days (covering index).
        rollup.HasKey(r => new { r.WorkspaceId, r.Plan, r.Item, r.BillingDay });
        rollup.HasIndex(r => new { r.WorkspaceId, r.Plan, r.BillingDay, r.Item, r.Quantity }).HasDatabaseName("ix_usage_daily_rollups_by_day");
    }
}
