using System.Collections.Concurrent;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.IntegrationTests.Webhooks;
using Guance.Billing.Notifications;
using Guance.Billing.V1;
using Microsoft.Extensions.DependencyInjection;
using NotificationChannel = Guance.Billing.Notifications.NotificationChannel;

namespace Guance.Billing.IntegrationTests.Notifications;

/// <summary>
/// One round of delivery: its sends run side by side, and one recipient takes at most
/// <see cref="NotificationDelivery.PerRecipientPerRound"/> of it, so that a receiver that answers slowly
/// does not hold up other accounts' notices.
/// </summary>
public sealed class DeliveryRoundTests : IClassFixture<BillingHost>
{
    private readonly BillingHost host;

    public DeliveryRoundTests(BillingHost host)
    {
        this.host = host;
        host.Settings["Guance:Notifications:DeliveryEnabled"] = "false";
    }

    [Fact]
    public async Task A_receiver_that_answers_slowly_does_not_hold_up_another_accounts_notice()
    {
        var slow = await host.RegisterBillingAccountAsync("slow-receiver");
        await host.WriteBillReadyAsync(slow);
        host.Clock.Advance(TimeSpan.FromSeconds(1));
        var other = await host.RegisterBillingAccountAsync("quick-receiver");
        await host.WriteBillReadyAsync(other);
        var sender = new HoldingSender(slow.Account.Email);

        await using var scope = host.Services.CreateAsyncScope();
        var delivery = ActivatorUtilities.CreateInstance<NotificationDelivery>(scope.ServiceProvider, new[] { (INotificationSender)sender }, new NotificationDeliveryInstance());
        var round = delivery.DeliverDueAsync(host.Clock.GetUtcNow(), CancellationToken.None);

        // The slow receiver's notice is due first and still being sent when the other one goes out. (One after the
        // other, the other would wait for it: this wait would end in a timeout.)
        await sender.Sent(other.Account.Email).WaitAsync(TimeSpan.FromMinutes(2));
        Assert.False(round.IsCompleted);
        sender.Release();
        await round;

        foreach (var account in new[] { slow, other })
        {
            var notice = Assert.Single((await host.Operator.BillingAccounts.ListNotificationsAsync(new ListNotificationsRequest { BillingAccountId = account.Id })).Notifications);
            Assert.NotNull(notice.DeliverTime);
            Assert.Equal(1, notice.Attempts);
        }
    }

    [Fact]
    public async Task A_round_sends_at_most_four_deliveries_of_one_recipient_and_the_next_round_the_rest()
    {
        var busy = await host.RegisterBillingAccountAsync("busy-recipient");
        await host.WriteBillReadyAsync(busy, count: 6);
        var sender = new HoldingSender(heldRecipient: null);

        async Task<int> SentToBusyAfterARoundAsync()
        {
            await using var scope = host.Services.CreateAsyncScope();
            var delivery = ActivatorUtilities.CreateInstance<NotificationDelivery>(scope.ServiceProvider, new[] { (INotificationSender)sender }, new NotificationDeliveryInstance());
            await delivery.DeliverDueAsync(host.Clock.GetUtcNow(), CancellationToken.None);
            return sender.CountTo(busy.Account.Email);
        }

        Assert.Equal(NotificationDelivery.PerRecipientPerRound, await SentToBusyAfterARoundAsync());
        Assert.Equal(6, await SentToBusyAfterARoundAsync());
    }

    /// <summary>Sends at once, except to <paramref name="heldRecipient"/>, whose sends wait for <see cref="Release"/>.</summary>
    private sealed class HoldingSender(string? heldRecipient) : INotificationSender
    {
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly ConcurrentDictionary<string, TaskCompletionSource> _sent = new();
        private readonly ConcurrentDictionary<string, int> _counts = new();

        public NotificationChannel Channel => NotificationChannel.Email;

        public Task Sent(string recipient) => Signal(recipient).Task;

        public int CountTo(string recipient) => _counts.GetValueOrDefault(recipient);

        public void Release() => _release.TrySetResult();

        public async Task SendAsync(Billing.Notifications.Notification notification, NoticeDelivery delivery, CancellationToken cancellationToken)
        {
            if (delivery.Recipient == heldRecipient)
            {
                await _release.Task.WaitAsync(cancellationToken);
            }
            _counts.AddOrUpdate(delivery.Recipient, 1, (_, count) => count + 1);
            Signal(delivery.Recipient).TrySetResult();
        }

        private TaskCompletionSource Signal(string recipient) =>
            _sent.GetOrAdd(recipient, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
    }
}
