using Guance.Billing.Settlement;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Guance.Billing.Data.Configurations;

internal sealed class WorkspaceSettlementConfiguration : IEntityTypeConfiguration<WorkspaceSettlement>
{
    public void Configure(EntityTypeBuilder<WorkspaceSettlement> settlement)
    {
        settlement.ToTable("workspace_settlements");
        settlement.HasKey(s => s.WorkspaceId);
        settlement.Property(s => s.Version).IsConcurrencyToken();
        settlement.HasIndex(s => s.CloudAccountId);
        // The arrears job looks only at workspaces in a countdown.
        settlement.HasIndex(s => s.LockAt, "ix_workspace_settlements_countdown").HasFilter("lock_at IS NOT NULL");
    }
}

internal sealed class SettlementChangeConfiguration : IEntityTypeConfiguration<SettlementChange>
{
    public void Configure(EntityTypeBuilder<SettlementChange> change)
    {
        change.ToTable("settlement_changes");
        change.HasKey(c => c.Id);
        change.Property(c => c.Id).ValueGeneratedOnAdd();
        change.HasIndex(c => new { c.WorkspaceId, c.Id });
        // At most one change of method per workspace and site-local month, whatever races.
        change.HasIndex(c => new { c.WorkspaceId, c.ChangeMonth }, "ix_settlement_changes_one_method_change_a_month")
            .IsUnique().HasFilter("change_month IS NOT NULL");
    }
}

internal sealed class DayCloseConfiguration : IEntityTypeConfiguration<DayClose>
{
    public void Configure(EntityTypeBuilder<DayClose> close)
    {
        close.ToTable("day_closes");
        close.HasKey(c => new { c.SiteCode, c.BillingDay });
    }
}

internal sealed class DayCloseClaimConfiguration : IEntityTypeConfiguration<DayCloseClaim>
{
    public void Configure(EntityTypeBuilder<DayCloseClaim> claim)
    {
        claim.ToTable("day_close_claims");
        claim.HasKey(c => new { c.SiteCode, c.BillingDay, c.Phase, c.Batch });
    }
}

internal sealed class DailyBillConfiguration : IEntityTypeConfiguration<DailyBill>
{
    public void Configure(EntityTypeBuilder<DailyBill> bill)
    {
        bill.ToTable("daily_bills");
        bill.HasKey(b => b.Id);
        // One bill per workspace and day, whatever runs the close and however often.
        bill.HasIndex(b => new { b.WorkspaceId, b.BillingDay }).IsUnique();
        bill.HasIndex(b => new { b.SiteCode, b.BillingDay, b.Status });
        bill.HasIndex(b => new { b.BillingAccountId, b.BillingDay });
    }
}

internal sealed class DailyBillLineConfiguration : IEntityTypeConfiguration<DailyBillLine>
{
    public void Configure(EntityTypeBuilder<DailyBillLine> line)
    {
        line.ToTable("daily_bill_lines");
        line.HasKey(l => new { l.DailyBillId, l.Item });
    }
}

internal sealed class MonthlyConsumptionConfiguration : IEntityTypeConfiguration<MonthlyConsumption>
{
    public void Configure(EntityTypeBuilder<MonthlyConsumption> month)
    {
        month.ToTable("monthly_consumption");
        month.HasKey(m => new { m.WorkspaceId, m.Month, m.Item });
    }
}
