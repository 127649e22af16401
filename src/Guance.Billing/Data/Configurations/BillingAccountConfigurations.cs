using Guance.Billing.BillingAccounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Guance.Billing.Data.Configurations;

internal sealed class BillingAccountConfiguration : IEntityTypeConfiguration<BillingAccount>
{
    public void Configure(EntityTypeBuilder<BillingAccount> account)
    {
        account.ToTable("billing_accounts");
        account.HasKey(a => a.Id);
        account.HasIndex(a => a.NormalizedUsername).IsUnique();
        account.Property(a => a.Version).IsConcurrencyToken();
        account.Property(a => a.Language).HasDefaultValue(""); // none chosen: the site's (docs/domain.md §9)
    }
}

internal sealed class EnterpriseCertificationConfiguration : IEntityTypeConfiguration<EnterpriseCertification>
{
    public void Configure(EntityTypeBuilder<EnterpriseCertification> certification)
    {
        certification.ToTable("enterprise_certifications");
        certification.HasKey(c => c.Id);
        certification.HasIndex(c => c.BillingAccountId, "ix_enterprise_certifications_billing_account_id");
        // At most one submission per account is pending or approved, whatever the code does.
        certification.HasIndex(c => c.BillingAccountId, "ix_enterprise_certifications_one_open").IsUnique().HasFilter("state IN (1, 2)");
    }
}

internal sealed class CloudAccountConfiguration : IEntityTypeConfiguration<CloudAccount>
{
    public void Configure(EntityTypeBuilder<CloudAccount> cloudAccount)
    {
        cloudAccount.ToTable("cloud_accounts");
        cloudAccount.HasKey(c => c.Id);
        cloudAccount.HasIndex(c => c.BillingAccountId);
        cloudAccount.HasIndex(c => new { c.Provider, c.ProviderAccountId, c.MarketplaceInstanceId }, "ix_cloud_accounts_active")
            .IsUnique().HasFilter("removed_at IS NULL");
    }
}

internal sealed class BindingCodeConfiguration : IEntityTypeConfiguration<BindingCode>
{
    public void Configure(EntityTypeBuilder<BindingCode> code)
    {
        code.ToTable("binding_codes");
        code.HasKey(c => c.Id);
        code.HasIndex(c => c.CodeHash).IsUnique();
        code.HasIndex(c => c.BillingAccountId);
    }
}

internal sealed class WorkspaceBindingConfiguration : IEntityTypeConfiguration<WorkspaceBinding>
{
    public void Configure(EntityTypeBuilder<WorkspaceBinding> binding)
    {
        binding.ToTable("workspace_bindings");
        binding.HasKey(b => b.WorkspaceId);
        binding.HasIndex(b => b.BillingAccountId);
    }
}
