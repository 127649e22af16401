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
        notification.HasIndex(n => n.NextAttemptAt, "ix_notifications_due").HasFilter("delivered_at IS NULL");
    }
}
