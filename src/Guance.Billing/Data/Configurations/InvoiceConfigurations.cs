using Guance.Billing.Invoices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Guance.Billing.Data.Configurations;

internal sealed class InvoiceInfoConfiguration : IEntityTypeConfiguration<InvoiceInfo>
{
    public void Configure(EntityTypeBuilder<InvoiceInfo> info)
    {
        info.ToTable("invoice_infos");
        info.HasKey(i => i.Id);
        info.HasIndex(i => i.BillingAccountId);
    }
}

internal sealed class MailingAddressConfiguration : IEntityTypeConfiguration<MailingAddress>
{
    public void Configure(EntityTypeBuilder<MailingAddress> address)
    {
        address.ToTable("mailing_addresses");
        address.HasKey(a => a.Id);
        address.HasIndex(a => a.BillingAccountId);
    }
}

internal sealed class InvoiceConfiguration : IEntityTypeConfiguration<Invoice>
{
    public void Configure(EntityTypeBuilder<Invoice> invoice)
    {
        invoice.ToTable("invoices");
        invoice.HasKey(i => i.Id);
        // A retry of a request finds its invoice; two requests with one id never both insert.
        invoice.HasIndex(i => new { i.BillingAccountId, i.RequestId }).IsUnique();
        invoice.HasIndex(i => new { i.BillingAccountId, i.State });
        invoice.HasIndex(i => i.InvoiceNumber).IsUnique();
    }
}

internal sealed class TakenInvoiceNumberConfiguration : IEntityTypeConfiguration<TakenInvoiceNumber>
{
    public void Configure(EntityTypeBuilder<TakenInvoiceNumber> number)
    {
        number.ToTable("taken_invoice_numbers");
        number.HasKey(n => n.Number);
        // VerifyInvoices reads an account's numbers by its invoices.
        number.HasIndex(n => n.InvoiceId);
    }
}

internal sealed class InvoiceLineConfiguration : IEntityTypeConfiguration<InvoiceLine>
{
    public void Configure(EntityTypeBuilder<InvoiceLine> line)
    {
        line.ToTable("invoice_lines");
        line.HasKey(l => new { l.InvoiceId, l.SourceId });
        line.HasIndex(l => new { l.BillingAccountId, l.SourceId });
    }
}

internal sealed class InvoiceEventConfiguration : IEntityTypeConfiguration<InvoiceEvent>
{
    public void Configure(EntityTypeBuilder<InvoiceEvent> change)
    {
        change.ToTable("invoice_events");
        change.HasKey(e => new { e.InvoiceId, e.RequestId });
    }
}

internal sealed class InvoiceDocumentConfiguration : IEntityTypeConfiguration<InvoiceDocument>
{
    public void Configure(EntityTypeBuilder<InvoiceDocument> document)
    {
        document.ToTable("invoice_documents");
        document.HasKey(d => d.InvoiceId);
    }
}
