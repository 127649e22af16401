using Guance.Billing.Pricing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Guance.Billing.Data.Configurations;

internal sealed class PriceListConfiguration : IEntityTypeConfiguration<PriceList>
{
    public void Configure(EntityTypeBuilder<PriceList> list)
    {
        list.ToTable("price_lists");
        list.HasKey(p => p.Id);
        list.HasIndex(p => new { p.Region, p.EffectiveFrom }).IsUnique();
    }
}

internal sealed class PriceListEntryConfiguration : IEntityTypeConfiguration<PriceListEntry>
{
    public void Configure(EntityTypeBuilder<PriceListEntry> entry)
    {
        entry.ToTable("price_list_entries");
        entry.HasKey(e => new { e.PriceListId, e.Item, e.RetentionDays });
    }
}
