using Guance.Billing.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Guance.Billing.Data.Configurations;

internal sealed class WorkspaceConfiguration : IEntityTypeConfiguration<Workspace>
{
    public void Configure(EntityTypeBuilder<Workspace> workspace)
    {
        workspace.ToTable("workspaces");
        workspace.HasKey(w => w.Id);
        workspace.Ignore(w => w.Site);
        workspace.Property(w => w.Version).IsConcurrencyToken();
    }
}

internal sealed class WorkspaceMemberConfiguration : IEntityTypeConfiguration<WorkspaceMember>
{
    public void Configure(EntityTypeBuilder<WorkspaceMember> member)
    {
        member.ToTable("workspace_members");
        member.HasKey(m => new { m.WorkspaceId, m.UserId });
        member.HasIndex(m => m.UserId);
        // Exactly one Owner per workspace, enforced by the database as well as by the code.
        member.HasIndex(m => m.WorkspaceId).IsUnique().HasFilter("role = 1").HasDatabaseName("ix_workspace_members_one_owner");
    }
}

internal sealed class RetentionChangeConfiguration : IEntityTypeConfiguration<RetentionChange>
{
    public void Configure(EntityTypeBuilder<RetentionChange> change)
    {
        change.ToTable("retention_changes");
        change.HasKey(c => c.Id);
        change.Property(c => c.Id).ValueGeneratedOnAdd();
        change.HasIndex(c => new { c.WorkspaceId, c.DataType, c.EffectiveFrom });
        change.HasIndex(c => new { c.WorkspaceId, c.DataType, c.ImmediateOnDay }).IsUnique();
    }
}
