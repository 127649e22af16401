using Guance.Billing.MonthlyBills;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Guance.Billing.Data.Configurations;

internal sealed class MonthlyBillConfiguration : IEntityTypeConfiguration<MonthlyBill>
{
    public void Configure(EntityTypeBuilder<MonthlyBill> bill)
    {
        bill.ToTable("monthly_bills");
        bill.HasKey(b => b.Id);
        // One bill per billing account and month, whoever generates it and however often.
        bill.HasIndex(b => new { b.BillingAccountId, b.Year, b.Month }).IsUnique();
    }
}

internal sealed class MonthlyBillWorkspaceConfiguration : IEntityTypeConfiguration<MonthlyBillWorkspace>
{
    public void Configure(EntityTypeBuilder<MonthlyBillWorkspace> workspace)
    {
        workspace.ToTable("monthly_bill_workspaces");
        workspace.HasKey(w => new { w.MonthlyBillId, w.WorkspaceId });
    }
}

internal sealed class MonthlyBillLineConfiguration : IEntityTypeConfiguration<MonthlyBillLine>
{
    public void Configure(EntityTypeBuilder<MonthlyBillLine> line)
    {
        line.ToTable("monthly_bill_lines");
        line.HasKey(l => new { l.MonthlyBillId, l.WorkspaceId, l.Item });
    }
}
