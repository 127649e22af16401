using Guance.Billing.Notifications;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Guance.Billing.Data.Configurations;

internal sealed class NotificationConfiguration : IEntityTypeConfiguration<Notification>
{
    public void Configure(EntityTypeBuilder<Notification> notification)
    {
        notification.ToTable("notifications");
        notification.HasKey(n => n.Id);
        notification.HasIndex(n => n.DedupeKey).IsUnique();
        notification.HasIndex(n => n.BillingAccountId);
        // Notices written before templates have neither.
        notification.Property(n => n.HtmlBody).HasDefaultValue("");
        notification.Property(n => n.Language).HasDefaultValue("");
    }
}

internal sealed class NoticeDeliveryConfiguration : IEntityTypeConfiguration<NoticeDelivery>
{
    public void Configure(EntityTypeBuilder<NoticeDelivery> delivery)
    {
        delivery.ToTable("notice_deliveries");
        delivery.HasKey(d => d.Id);
        delivery.HasOne<Notification>().WithMany().HasForeignKey(d => d.NotificationId).OnDelete(DeleteBehavior.Cascade);
        delivery.HasIndex(d => new { d.NotificationId, d.Channel, d.Recipient }).IsUnique();
        delivery.HasIndex(d => d.NextAttemptAt, "ix_notice_deliveries_due").HasFilter("state = 1");
    }
}

internal sealed class WebhookEndpointConfiguration : IEntityTypeConfiguration<Notifications.Webhooks.WebhookEndpoint>
{
    public void Configure(EntityTypeBuilder<Notifications.Webhooks.WebhookEndpoint> endpoint)
    {
        endpoint.ToTable("webhook_endpoints");
        endpoint.HasKey(e => e.Id);
        endpoint.HasIndex(e => e.BillingAccountId);
    }
}

internal sealed class WebhookAttemptConfiguration : IEntityTypeConfiguration<Notifications.Webhooks.WebhookAttempt>
{
    public void Configure(EntityTypeBuilder<Notifications.Webhooks.WebhookAttempt> attempt)
    {
        attempt.ToTable("webhook_attempts");
        attempt.HasKey(a => a.Id);
        attempt.HasOne<NoticeDelivery>().WithMany().HasForeignKey(a => a.DeliveryId).OnDelete(DeleteBehavior.Cascade);
        attempt.HasIndex(a => a.DeliveryId);
    }
}
