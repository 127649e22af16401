using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.Notifications.Webhooks;
using Guance.Billing.V1;
using Microsoft.Extensions.DependencyInjection;

namespace Guance.Billing.IntegrationTests.Webhooks;

/// <summary>An endpoint whose deliveries fail for good 20 times in a row is disabled, and the account is told by e-mail.</summary>
public sealed class WebhookDisableTests(WebhookHostFixture fixture) : IClassFixture<WebhookHostFixture>
{
    private readonly BillingHost host = fixture.Host;

    /// <summary>Writes <paramref name="count"/> notices of the account, as a rule of the domain would, and lets each fail for good: a first attempt, then the last a day later.</summary>
    private async Task FailForGoodAsync(TestBillingAccount account, int count)
    {
        await host.WriteBillReadyAsync(account, count);
        await fixture.DeliverAsync();
        host.Clock.Advance(TimeSpan.FromHours(25));
        await fixture.DeliverAsync();
    }

    [Fact]
    public async Task Twenty_deliveries_failed_for_good_in_a_row_disable_the_endpoint_and_mail_the_account()
    {
        var account = await host.RegisterBillingAccountAsync("disable");
        var endpoint = (await account.CreateEndpointAsync(fixture.Receiver.Url("down", Enumerable.Repeat(500, 100).ToArray()))).WebhookEndpoint;

        await FailForGoodAsync(account, WebhookHealth.MaxConsecutiveFailures - 1);
        var failing = Assert.Single(await account.EndpointsAsync());
        Assert.Equal((true, 19), (failing.Enabled, failing.ConsecutiveFailures));
        var failed = (await account.Api.Webhooks.ListWebhookDeliveriesAsync(new ListWebhookDeliveriesRequest { WebhookEndpointId = endpoint.WebhookEndpointId })).Deliveries;
        Assert.Equal(19, failed.Count);
        Assert.All(failed, d => Assert.Equal((WebhookDeliveryState.Failed, 2), (d.State, d.Attempts.Count)));

        // The twentieth fails for good while another notice waits for the endpoint: that one is cancelled.
        await host.WriteBillReadyAsync(account);
        await fixture.DeliverAsync();
        host.Clock.Advance(TimeSpan.FromHours(25));
        await host.WriteBillReadyAsync(account);
        await fixture.DeliverAsync();
        // The endpoint says why it is off: 20 failures in a row, the host's bound.
        var off = Assert.Single(await account.EndpointsAsync());
        Assert.Equal((false, 20), (off.Enabled, off.ConsecutiveFailures));
        // A delivery that was under way to it and is sent after all leaves the count that tells why it is off.
        using (var scope = host.Services.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<WebhookHealth>().SentAsync(endpoint.WebhookEndpointId, CancellationToken.None);
        }
        Assert.Equal(20, Assert.Single(await account.EndpointsAsync()).ConsecutiveFailures);
        var deliveries = (await account.Api.Webhooks.ListWebhookDeliveriesAsync(new ListWebhookDeliveriesRequest { WebhookEndpointId = endpoint.WebhookEndpointId })).Deliveries;
        Assert.Equal(21, deliveries.Count);
        Assert.All(deliveries, d => Assert.Equal(WebhookDeliveryState.Failed, d.State));
        Assert.Single(deliveries, d => d.LastError == WebhookDeliveryCancellation.DisabledAfterFailures);
        var notice = (await host.Operator.BillingAccounts.ListNotificationsAsync(new ListNotificationsRequest
        {
            BillingAccountId = account.Id, Kinds = { V1.NotificationKind.WebhookEndpointDisabled },
        })).Notifications.Single();
        Assert.Equal(account.Account.Email, notice.Recipient);
        Assert.Contains(endpoint.Url, notice.Body, StringComparison.Ordinal);
        Assert.Equal(V1.NotificationChannel.Email, Assert.Single(notice.Channels).Channel); // the disabled endpoint gets no delivery of it
    }

    [Fact]
    public async Task Turning_a_disabled_endpoint_on_starts_its_count_afresh()
    {
        var account = await host.RegisterBillingAccountAsync("again");
        var endpoint = (await account.CreateEndpointAsync(fixture.Receiver.Url("again", Enumerable.Repeat(500, 100).ToArray()))).WebhookEndpoint;
        await FailForGoodAsync(account, WebhookHealth.MaxConsecutiveFailures);
        Assert.False(Assert.Single(await account.EndpointsAsync()).Enabled);

        var on = (await account.Api.Webhooks.UpdateWebhookEndpointAsync(new UpdateWebhookEndpointRequest
        {
            WebhookEndpoint = new V1.WebhookEndpoint { WebhookEndpointId = endpoint.WebhookEndpointId, Enabled = true },
            UpdateMask = new Google.Protobuf.WellKnownTypes.FieldMask { Paths = { "enabled" } },
        })).WebhookEndpoint;
        Assert.Equal((true, 0), (on.Enabled, on.ConsecutiveFailures));

        // One more failure for good counts one, and does not turn it off again at once.
        await FailForGoodAsync(account, 1);
        var after = Assert.Single(await account.EndpointsAsync());
        Assert.Equal((true, 1), (after.Enabled, after.ConsecutiveFailures));
    }

    [Fact]
    public async Task A_delivery_sent_resets_the_count()
    {
        var account = await host.RegisterBillingAccountAsync("reset");
        var answers = Enumerable.Repeat(500, 2 * 19).Append(200).Concat(Enumerable.Repeat(500, 2)).ToArray();
        await account.CreateEndpointAsync(fixture.Receiver.Url("reset", answers));
        await FailForGoodAsync(account, 19);
        await FailForGoodAsync(account, 1); // answered 200
        await FailForGoodAsync(account, 1); // fails for good: one in a row
        var endpoint = Assert.Single(await account.EndpointsAsync());
        Assert.Equal((true, 1), (endpoint.Enabled, endpoint.ConsecutiveFailures));
    }
}
