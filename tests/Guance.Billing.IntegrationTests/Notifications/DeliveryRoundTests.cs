using System.Collections.Concurrent;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.IntegrationTests.Webhooks;
using Guance.Billing.Notifications;
using Guance.Billing.V1;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NotificationChannel = Guance.Billing.Notifications.NotificationChannel;

namespace Guance.Billing.IntegrationTests.Notifications;

/// <summary>
/// One round of delivery: its sends run side by side, each claimed just before it is sent, and one recipient takes
/// at most <see cref="NotificationDelivery.PerRecipientPerRound"/> of it whatever its backlog, so that a receiver that
/// answers slowly does not hold up other accounts' notices; one delivery's trouble ends neither the round nor the
/// others' sends.
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
        var round = Delivery(scope, sender).DeliverDueAsync(host.Clock.GetUtcNow(), CancellationToken.None);

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
            await Delivery(scope, sender).DeliverDueAsync(host.Clock.GetUtcNow(), CancellationToken.None);
            return sender.CountTo(busy.Account.Email);
        }

        Assert.Equal(NotificationDelivery.PerRecipientPerRound, await SentToBusyAfterARoundAsync());
        Assert.Equal(6, await SentToBusyAfterARoundAsync());
    }

    [Fact]
    public async Task A_recipients_backlog_of_any_size_leaves_room_in_the_round_for_the_others()
    {
        var backlog = await host.RegisterBillingAccountAsync("backlog");
        await host.WriteBillReadyAsync(backlog, count: 40);
        host.Clock.Advance(TimeSpan.FromSeconds(1));
        var other = await host.RegisterBillingAccountAsync("behind-backlog");
        await host.WriteBillReadyAsync(other);
        var sender = new HoldingSender(heldRecipient: null);

        // A round of 8: the backlog's oldest 4, then the other account's, though 36 of the backlog are due before it.
        await using var scope = host.Services.CreateAsyncScope();
        await Delivery(scope, sender, new NotificationOptions { BatchSize = 8 }).DeliverDueAsync(host.Clock.GetUtcNow(), CancellationToken.None);
        Assert.Equal((NotificationDelivery.PerRecipientPerRound, 1), (sender.CountTo(backlog.Account.Email), sender.CountTo(other.Account.Email)));
    }

    [Fact]
    public async Task A_shutdown_leaves_the_deliveries_not_yet_started_unclaimed()
    {
        var first = await host.RegisterBillingAccountAsync("in-flight");
        await host.WriteBillReadyAsync(first);
        host.Clock.Advance(TimeSpan.FromSeconds(1));
        var second = await host.RegisterBillingAccountAsync("not-started");
        await host.WriteBillReadyAsync(second);
        var sender = new HoldingSender(first.Account.Email);
        using var shutdown = new CancellationTokenSource();

        await using var scope = host.Services.CreateAsyncScope();
        var round = Delivery(scope, sender, new NotificationOptions { DeliveryConcurrency = 1 }).DeliverDueAsync(host.Clock.GetUtcNow(), shutdown.Token);
        await sender.Started(first.Account.Email).WaitAsync(TimeSpan.FromMinutes(2));
        await shutdown.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => round);

        // The one being sent keeps its claim (another host takes it after the lease); the next was never claimed, so it
        // is due now for any host, with no attempt counted.
        Assert.Equal(1, (await NoticeAsync(first)).Attempts);
        var untouched = await NoticeAsync(second);
        Assert.Equal((0, false), (untouched.Attempts, untouched.DeliverTime is not null));
    }

    [Fact]
    public async Task A_failure_after_a_delivery_is_recorded_ends_neither_the_round_nor_the_other_sends()
    {
        var failing = await host.RegisterBillingAccountAsync("gives-up");
        await host.WriteBillReadyAsync(failing);
        // Past the retry window: its next failure is for good, and the sender's GaveUpAsync then throws.
        host.Clock.Advance(TimeSpan.FromDays(2));
        var other = await host.RegisterBillingAccountAsync("beside-gives-up");
        await host.WriteBillReadyAsync(other);
        var sender = new HoldingSender(heldRecipient: null, failingRecipient: failing.Account.Email);

        await using var scope = host.Services.CreateAsyncScope();
        var round = await Delivery(scope, sender).DeliverDueAsync(host.Clock.GetUtcNow(), CancellationToken.None);

        Assert.Equal(1, sender.GaveUp);
        Assert.Equal(1, sender.CountTo(other.Account.Email));
        Assert.NotNull((await NoticeAsync(other)).DeliverTime);
        Assert.True(round.Sent >= 1);
    }

    private static NotificationDelivery Delivery(AsyncServiceScope scope, INotificationSender sender, NotificationOptions? settings = null)
    {
        var configured = scope.ServiceProvider.GetRequiredService<IOptions<NotificationOptions>>().Value;
        settings ??= new NotificationOptions();
        settings.ClaimLease = configured.ClaimLease;
        return ActivatorUtilities.CreateInstance<NotificationDelivery>(scope.ServiceProvider, new[] { sender }, new NotificationDeliveryInstance(), Options.Create(settings));
    }

    private async Task<V1.Notification> NoticeAsync(TestBillingAccount account) =>
        Assert.Single((await host.Operator.BillingAccounts.ListNotificationsAsync(new ListNotificationsRequest { BillingAccountId = account.Id })).Notifications);

    /// <summary>
    /// Sends at once, except to <paramref name="heldRecipient"/>, whose sends wait for <see cref="Release"/> (or the
    /// shutdown), and to <paramref name="failingRecipient"/>, whose sends fail and whose give-up throws.
    /// </summary>
    private sealed class HoldingSender(string? heldRecipient, string? failingRecipient = null) : INotificationSender
    {
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly ConcurrentDictionary<string, TaskCompletionSource> _sent = new();
        private readonly ConcurrentDictionary<string, TaskCompletionSource> _started = new();
        private readonly ConcurrentDictionary<string, int> _counts = new();
        private int _gaveUp;

        public NotificationChannel Channel => NotificationChannel.Email;

        public int GaveUp => Volatile.Read(ref _gaveUp);

        public Task Sent(string recipient) => Signal(_sent, recipient).Task;

        public Task Started(string recipient) => Signal(_started, recipient).Task;

        public int CountTo(string recipient) => _counts.GetValueOrDefault(recipient);

        public void Release() => _release.TrySetResult();

        public async Task SendAsync(Billing.Notifications.Notification notification, NoticeDelivery delivery, CancellationToken cancellationToken)
        {
            Signal(_started, delivery.Recipient).TrySetResult();
            if (delivery.Recipient == failingRecipient)
            {
                throw new InvalidOperationException("mailbox gone");
            }
            if (delivery.Recipient == heldRecipient)
            {
                await _release.Task.WaitAsync(cancellationToken);
            }
            _counts.AddOrUpdate(delivery.Recipient, 1, (_, count) => count + 1);
            Signal(_sent, delivery.Recipient).TrySetResult();
        }

        public Task GaveUpAsync(NoticeDelivery delivery, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _gaveUp);
            throw new InvalidOperationException("the give-up's own storage failed");
        }

        private static TaskCompletionSource Signal(ConcurrentDictionary<string, TaskCompletionSource> signals, string recipient) =>
            signals.GetOrAdd(recipient, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
    }
}
