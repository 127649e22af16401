using Guance.Billing.Tickets;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Guance.Billing.Data.Configurations;

internal sealed class TicketConfiguration : IEntityTypeConfiguration<Ticket>
{
    public void Configure(EntityTypeBuilder<Ticket> ticket)
    {
        ticket.ToTable("tickets");
        ticket.HasKey(t => t.Id);
        // A create request's id is used once per submitter.
        ticket.HasIndex(t => new { t.SubmittedBy, t.RequestId }).IsUnique();
        ticket.HasIndex(t => new { t.BillingAccountId, t.Id });
        ticket.HasIndex(t => new { t.WorkspaceId, t.Id });
        // The automatic close looks for FEEDBACK_PROVIDED tickets by the time of their feedback.
        ticket.HasIndex(t => new { t.State, t.FeedbackAt });
    }
}

internal sealed class TicketMessageConfiguration : IEntityTypeConfiguration<TicketMessage>
{
    public void Configure(EntityTypeBuilder<TicketMessage> message)
    {
        message.ToTable("ticket_messages");
        message.HasKey(m => m.Id);
        // A reply's request id is used once per ticket.
        message.HasIndex(m => new { m.TicketId, m.RequestId }).IsUnique();
        // One message per place in the thread.
        message.HasIndex(m => new { m.TicketId, m.Sequence }).IsUnique();
    }
}

internal sealed class TicketAttachmentConfiguration : IEntityTypeConfiguration<TicketAttachment>
{
    public void Configure(EntityTypeBuilder<TicketAttachment> attachment)
    {
        attachment.ToTable("ticket_attachments");
        attachment.HasKey(a => a.Id);
        attachment.HasIndex(a => new { a.TicketId, a.MessageId, a.Position }).IsUnique();
    }
}

internal sealed class TicketAttachmentContentConfiguration : IEntityTypeConfiguration<TicketAttachmentContent>
{
    public void Configure(EntityTypeBuilder<TicketAttachmentContent> content)
    {
        content.ToTable("ticket_attachment_contents");
        content.HasKey(c => c.AttachmentId);
    }
}
