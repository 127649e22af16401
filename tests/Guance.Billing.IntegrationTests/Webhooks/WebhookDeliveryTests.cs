using System.Security.Cryptography;
using System.Text;
using Google.Protobuf;
using Guance.Billing.Data;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.V1;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using StandardWebhooks;
using static Guance.Billing.IntegrationTests.Infrastructure.BillingCenterScenario;

namespace Guance.Billing.IntegrationTests.Webhooks;

/// <summary>
/// The webhook channel against a real HTTP receiver on loopback: signed per Standard Webhooks (checked
/// with the StandardWebhooks package and by hand), retried by the one retry policy on the simulated
/// clock, every attempt recorded.
/// </summary>
public sealed class WebhookDeliveryTests(WebhookHostFixture fixture) : IClassFixture<WebhookHostFixture>
{
    private readonly BillingHost host = fixture.Host;
    private readonly WebhookReceiver receiver = fixture.Receiver;

    /// <summary>An account with an endpoint at <paramref name="path"/>, then a charge that leaves arrears: one ARREARS_STARTED notice.</summary>
    private async Task<(TestBillingAccount Account, string Secret, V1.Notification Notice)> NoticeToAsync(string path, params int[] answers)
    {
        var account = await host.RegisterBillingAccountAsync(path);
        var secret = (await account.CreateEndpointAsync(receiver.Url(path, answers))).Secret;
        await host.Operator.BillingAccounts.ChargeAsync(Charge(account.Id, ("logs", 12.34m)));
        var notice = (await host.Operator.BillingAccounts.ListNotificationsAsync(new ListNotificationsRequest
        {
            BillingAccountId = account.Id, Kinds = { NotificationKind.ArrearsStarted },
        })).Notifications.Single();
        return (account, secret, notice);
    }

    private async Task<NotificationChannelDeliveries> WebhookChannelAsync(string noticeId, string billingAccountId) =>
        Assert.Single((await host.Operator.BillingAccounts.ListNotificationsAsync(new ListNotificationsRequest { BillingAccountId = billingAccountId }))
            .Notifications.Single(n => n.NotificationId == noticeId).Channels, c => c.Channel == NotificationChannel.Webhook);

    private static string Signature(string secret, ReceivedWebhook received) =>
        new StandardWebhook(secret).Sign(received.Id, DateTimeOffset.FromUnixTimeSeconds(long.Parse(received.Timestamp, System.Globalization.CultureInfo.InvariantCulture)), received.Body);

    private static string ByHand(string secret, ReceivedWebhook received)
    {
        var key = Convert.FromBase64String(secret["whsec_".Length..]);
        return "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{received.Id}.{received.Timestamp}.{received.Body}")));
    }

    private async Task<List<Billing.Notifications.Webhooks.WebhookAttempt>> AttemptsAsync(string noticeId)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BillingDbContext>();
        var deliveryIds = await db.NoticeDeliveries.Where(d => d.NotificationId == noticeId && d.Channel == Billing.Notifications.NotificationChannel.Webhook)
            .Select(d => d.Id).ToListAsync();
        return (await db.WebhookAttempts.Where(a => deliveryIds.Contains(a.DeliveryId)).ToListAsync()).OrderBy(a => a.Number).ToList();
    }

    [Fact]
    public async Task A_notice_arrives_signed_as_a_webhook_event_with_the_notice_id()
    {
        var (account, secret, notice) = await NoticeToAsync("signed");
        Assert.Equal(1, (await WebhookChannelAsync(notice.NotificationId, account.Id)).Pending);

        await fixture.DeliverAsync();

        var received = Assert.Single(receiver.At("signed"));
        Assert.Equal(notice.NotificationId, received.Id);
        Assert.Equal(host.Clock.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), received.Timestamp);
        Assert.Equal(Signature(secret, received), received.Signature);
        Assert.Equal(ByHand(secret, received), received.Signature);
        var webhookEvent = JsonParser.Default.Parse<WebhookEvent>(received.Body);
        Assert.Equal("NOTIFICATION_KIND_ARREARS_STARTED", webhookEvent.Type);
        Assert.Equal(notice.NotificationId, webhookEvent.NoticeId);
        Assert.Equal(account.Id, webhookEvent.BillingAccountId);
        Assert.Equal(notice.Subject, webhookEvent.Subject);
        Assert.Contains("12.34", webhookEvent.Body, StringComparison.Ordinal);
        Assert.Equal(notice.CreateTime, webhookEvent.OccurredAt);

        var channel = await WebhookChannelAsync(notice.NotificationId, account.Id);
        Assert.Equal((1, 0, 0, 1), (channel.Sent, channel.Pending, channel.Failed, channel.Attempts));
        Assert.Equal(200, Assert.Single(await AttemptsAsync(notice.NotificationId)).StatusCode);
        await fixture.DeliverAsync();
        Assert.Single(receiver.At("signed")); // sent is sent
    }

    [Fact]
    public async Task A_receiver_answering_500_twice_is_retried_on_the_clock_and_gets_the_notice_once()
    {
        var (account, _, notice) = await NoticeToAsync("flaky", 500, 500);
        await fixture.DeliverAsync();
        var channel = await WebhookChannelAsync(notice.NotificationId, account.Id);
        Assert.Equal((0, 1, 1), (channel.Sent, channel.Pending, channel.Attempts));
        Assert.StartsWith("HTTP 500: receiver says no", channel.LastError, StringComparison.Ordinal);
        await fixture.DeliverAsync(); // backing off: not tried before its time
        Assert.Single(receiver.At("flaky"));

        host.MoveClockTo(channel.NextAttemptTime.ToDateTimeOffset());
        await fixture.DeliverAsync();
        channel = await WebhookChannelAsync(notice.NotificationId, account.Id);
        host.MoveClockTo(channel.NextAttemptTime.ToDateTimeOffset());
        await fixture.DeliverAsync();

        channel = await WebhookChannelAsync(notice.NotificationId, account.Id);
        Assert.Equal((1, 0, 3), (channel.Sent, channel.Pending, channel.Attempts));
        Assert.Equal(3, receiver.At("flaky").Count);
        Assert.All(receiver.At("flaky"), r => Assert.Equal(notice.NotificationId, r.Id));
        Assert.Equal(new int?[] { 500, 500, 200 }, (await AttemptsAsync(notice.NotificationId)).Select(a => a.StatusCode));
        Assert.Equal(new[] { 1, 2, 3 }, (await AttemptsAsync(notice.NotificationId)).Select(a => a.Number));
    }

    [Fact]
    public async Task An_endpoint_that_never_answers_is_a_failed_attempt_then_retried()
    {
        var (account, _, notice) = await NoticeToAsync("hangs", WebhookReceiver.Hang);
        await fixture.DeliverAsync();
        var channel = await WebhookChannelAsync(notice.NotificationId, account.Id);
        Assert.Equal((0, 1, 1), (channel.Sent, channel.Pending, channel.Attempts));
        Assert.StartsWith("No answer within 10 s", channel.LastError, StringComparison.Ordinal);
        var attempt = Assert.Single(await AttemptsAsync(notice.NotificationId));
        Assert.Null(attempt.StatusCode);
        // Real elapsed time, not the simulated clock (which stands still during the attempt): the timeout passed.
        Assert.True(attempt.DurationMilliseconds > 0, $"duration {attempt.DurationMilliseconds} ms");

        host.MoveClockTo(channel.NextAttemptTime.ToDateTimeOffset());
        await fixture.DeliverAsync();
        channel = await WebhookChannelAsync(notice.NotificationId, account.Id);
        Assert.Equal((1, 0, 2), (channel.Sent, channel.Pending, channel.Attempts));
    }

    [Fact]
    public async Task After_a_rotation_both_secrets_sign_for_24_hours_then_only_the_new_one()
    {
        var account = await host.RegisterBillingAccountAsync("rotate");
        var created = await account.CreateEndpointAsync(receiver.Url("rotate"));
        var rotated = await account.Api.Webhooks.RotateWebhookEndpointSecretAsync(new RotateWebhookEndpointSecretRequest
        {
            WebhookEndpointId = created.WebhookEndpoint.WebhookEndpointId,
        });
        await host.Operator.BillingAccounts.ChargeAsync(Charge(account.Id, ("logs", 1m)));
        await fixture.DeliverAsync();
        var during = Assert.Single(receiver.At("rotate"));
        Assert.Equal($"{Signature(rotated.Secret, during)} {Signature(created.Secret, during)}", during.Signature);

        host.MoveClockTo(rotated.WebhookEndpoint.PreviousSecretExpireTime.ToDateTimeOffset());
        await host.RechargeAsync(account.Id, 100m); // pays the arrears: ARREARS_PAID
        await fixture.DeliverAsync();
        var after = receiver.At("rotate").Single(r => r.Id != during.Id);
        Assert.Equal(Signature(rotated.Secret, after), after.Signature);
        Assert.NotEqual(Signature(created.Secret, after), after.Signature);
    }

    [Fact]
    public async Task Only_enabled_endpoints_that_want_the_kind_get_a_delivery()
    {
        var account = await host.RegisterBillingAccountAsync("kinds");
        await account.CreateEndpointAsync(receiver.Url("kinds-paid"), NotificationKind.ArrearsPaid);
        var off = (await account.CreateEndpointAsync(receiver.Url("kinds-off"))).WebhookEndpoint;
        await account.Api.Webhooks.UpdateWebhookEndpointAsync(new UpdateWebhookEndpointRequest
        {
            WebhookEndpoint = new WebhookEndpoint { WebhookEndpointId = off.WebhookEndpointId, Enabled = false },
            UpdateMask = new Google.Protobuf.WellKnownTypes.FieldMask { Paths = { "enabled" } },
        });
        await account.CreateEndpointAsync(receiver.Url("kinds-all"));
        await host.Operator.BillingAccounts.ChargeAsync(Charge(account.Id, ("logs", 1m)));
        await fixture.DeliverAsync();
        Assert.Single(receiver.At("kinds-all"));
        Assert.Empty(receiver.At("kinds-paid"));
        Assert.Empty(receiver.At("kinds-off"));
    }

    [Fact]
    public async Task Deliveries_are_listed_newest_first_with_their_attempts_and_a_replay_arrives_with_the_same_webhook_id()
    {
        var (account, secret, notice) = await NoticeToAsync("replay", 503);
        await fixture.DeliverAsync();
        var pending = await WebhookChannelAsync(notice.NotificationId, account.Id);
        host.MoveClockTo(pending.NextAttemptTime.ToDateTimeOffset());
        await fixture.DeliverAsync();
        var endpointId = Assert.Single(await account.EndpointsAsync()).WebhookEndpointId;

        var listed = Assert.Single((await account.Api.Webhooks.ListWebhookDeliveriesAsync(new ListWebhookDeliveriesRequest { WebhookEndpointId = endpointId })).Deliveries);
        Assert.Equal(notice.NotificationId, listed.NoticeId);
        Assert.Equal(NotificationKind.ArrearsStarted, listed.Kind);
        Assert.Equal(WebhookDeliveryState.Sent, listed.State);
        Assert.Equal(new[] { 503, 200 }, listed.Attempts.Select(a => a.StatusCode));
        Assert.StartsWith("HTTP 503", listed.Attempts[0].Error, StringComparison.Ordinal);
        Assert.All(listed.Attempts, a => Assert.True(a.DurationMs >= 0));
        Assert.Null(listed.NextAttemptTime);

        var replayed = (await account.Api.Webhooks.RetryWebhookDeliveryAsync(new RetryWebhookDeliveryRequest { DeliveryId = listed.DeliveryId })).Delivery;
        Assert.Equal(WebhookDeliveryState.Pending, replayed.State);
        Assert.Equal(host.Clock.GetUtcNow(), replayed.NextAttemptTime.ToDateTimeOffset());
        await fixture.DeliverAsync();
        var received = receiver.At("replay");
        Assert.Equal(3, received.Count);
        Assert.All(received, r => Assert.Equal(notice.NotificationId, r.Id));
        Assert.Equal(Signature(secret, received[2]), received[2].Signature);
        var after = Assert.Single((await host.Operator.Webhooks.ListWebhookDeliveriesAsync(new ListWebhookDeliveriesRequest { WebhookEndpointId = endpointId })).Deliveries);
        Assert.Equal((WebhookDeliveryState.Sent, 3), (after.State, after.Attempts.Count));

        // A second notice: newest first, one per page.
        await host.RechargeAsync(account.Id, 100m);
        var first = await account.Api.Webhooks.ListWebhookDeliveriesAsync(new ListWebhookDeliveriesRequest { WebhookEndpointId = endpointId, PageSize = 1 });
        Assert.Equal(NotificationKind.ArrearsPaid, Assert.Single(first.Deliveries).Kind);
        var second = await account.Api.Webhooks.ListWebhookDeliveriesAsync(new ListWebhookDeliveriesRequest
        {
            WebhookEndpointId = endpointId, PageSize = 1, PageToken = first.NextPageToken,
        });
        Assert.Equal(listed.DeliveryId, Assert.Single(second.Deliveries).DeliveryId);
        Assert.Empty(second.NextPageToken);
    }
}
