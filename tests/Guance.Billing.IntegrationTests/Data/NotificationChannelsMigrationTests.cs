using Guance.Billing.Data;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.Notifications;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;

namespace Guance.Billing.IntegrationTests.Data;

/// <summary>
/// Migration NotificationChannels moves the outbox's delivery state into one e-mail delivery per notice:
/// a delivered notice stays sent, one waiting keeps its attempts, back-off and last error.
/// </summary>
public sealed class NotificationChannelsMigrationTests
{
    [Fact]
    public async Task Notices_written_before_the_migration_keep_their_delivery_state_as_e_mail_deliveries()
    {
        using var database = TestDatabase.Create();
        const long Created = 1_793_000_000_000_000L;
        await using (var services = database.Services())
        {
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<BillingDbContext>();
            await db.GetService<IMigrator>().MigrateAsync("20261205000008_CollectorSequenceResets");
            await db.Database.ExecuteSqlRawAsync($"""
                INSERT INTO notifications (id, kind, billing_account_id, recipient, subject, body, reference, dedupe_key, created_at,
                    delivered_at, next_attempt_at, attempts, claimed_by, last_error) VALUES
                ('ntf_sent', 4, 'ba_1', 'a@example.com', 's', 'b', 'tx_1', 'k1', {Created}, {Created + 5}, {Created + 5}, 1, 'h', NULL),
                ('ntf_wait', 5, 'ba_1', 'b@example.com', 's', 'b', 'tx_2', 'k2', {Created}, NULL, {Created + 60_000_000}, 2, 'h', 'mail server down')
                """);
            await DatabaseSetup.MigrateAsync(services, CancellationToken.None);
        }

        await using var migrated = database.NewContext();
        var deliveries = await migrated.NoticeDeliveries.AsNoTracking().OrderBy(d => d.Id).ToListAsync();
        Assert.Equal(["ndl_sent", "ndl_wait"], deliveries.Select(d => d.Id));
        Assert.All(deliveries, d => Assert.Equal(NotificationChannel.Email, d.Channel));
        Assert.Equal(("ntf_sent", "a@example.com", DeliveryState.Sent, 1), (deliveries[0].NotificationId, deliveries[0].Recipient, deliveries[0].State, deliveries[0].Attempts));
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(Created / 1000).AddTicks(50), deliveries[0].CompletedAt);
        Assert.Equal(("ntf_wait", "b@example.com", DeliveryState.Pending, 2, "mail server down"),
            (deliveries[1].NotificationId, deliveries[1].Recipient, deliveries[1].State, deliveries[1].Attempts, deliveries[1].LastError));
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(Created / 1000).AddMinutes(1), deliveries[1].NextAttemptAt);
        Assert.All(deliveries, d => Assert.Null(d.LeaseUntil));
        Assert.Equal(2, await migrated.Notifications.CountAsync());
        await SchemaTests.AssertMatchesModelAsync(database);
    }
}
