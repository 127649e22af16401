using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Guance.Billing.Data;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.Notifications;
using Guance.Billing.V1;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Guance.Billing.IntegrationTests.Webhooks;

/// <summary>Disabling or deleting an endpoint cancels its pending deliveries in the same transaction: the delivery job sends none of them.</summary>
public sealed class WebhookCancellationTests(WebhookHostFixture fixture) : IClassFixture<WebhookHostFixture>
{
    private readonly BillingHost host = fixture.Host;

    [Fact]
    public async Task A_delivery_pending_when_the_endpoint_is_disabled_is_never_sent()
    {
        var account = await host.RegisterBillingAccountAsync("cancel-off");
        var endpoint = (await account.CreateEndpointAsync(fixture.Receiver.Url("cancel-off"))).WebhookEndpoint;
        await host.WriteBillReadyAsync(account);

        await account.Api.Webhooks.UpdateWebhookEndpointAsync(new UpdateWebhookEndpointRequest
        {
            WebhookEndpoint = new WebhookEndpoint { WebhookEndpointId = endpoint.WebhookEndpointId, Enabled = false },
            UpdateMask = new FieldMask { Paths = { "enabled" } },
        });
        await fixture.DeliverAsync();

        Assert.Empty(fixture.Receiver.At("cancel-off"));
        var delivery = Assert.Single((await account.Api.Webhooks.ListWebhookDeliveriesAsync(
            new ListWebhookDeliveriesRequest { WebhookEndpointId = endpoint.WebhookEndpointId })).Deliveries);
        Assert.Equal(WebhookDeliveryState.Failed, delivery.State);
        Assert.Equal("Cancelled: the webhook endpoint was disabled.", delivery.LastError);
        Assert.Empty(delivery.Attempts);
        Assert.NotNull(delivery.CompleteTime);

        // Retrying it while the endpoint is off is refused and changes nothing.
        await RpcAssert.Fails(StatusCode.FailedPrecondition,
            () => account.Api.Webhooks.RetryWebhookDeliveryAsync(new RetryWebhookDeliveryRequest { DeliveryId = delivery.DeliveryId }), "WEBHOOK_ENDPOINT_DISABLED");
        await fixture.DeliverAsync();
        Assert.Empty(fixture.Receiver.At("cancel-off"));
        Assert.Equal(delivery, Assert.Single((await account.Api.Webhooks.ListWebhookDeliveriesAsync(
            new ListWebhookDeliveriesRequest { WebhookEndpointId = endpoint.WebhookEndpointId })).Deliveries));
    }

    [Fact]
    public async Task A_delivery_pending_when_the_endpoint_is_deleted_is_never_sent()
    {
        var account = await host.RegisterBillingAccountAsync("cancel-del");
        var endpoint = (await account.CreateEndpointAsync(fixture.Receiver.Url("cancel-del"))).WebhookEndpoint;
        await host.WriteBillReadyAsync(account);

        await account.Api.Webhooks.DeleteWebhookEndpointAsync(new DeleteWebhookEndpointRequest { WebhookEndpointId = endpoint.WebhookEndpointId });
        await fixture.DeliverAsync();

        Assert.Empty(fixture.Receiver.At("cancel-del"));
        await using var scope = host.Services.CreateAsyncScope();
        var delivery = await scope.ServiceProvider.GetRequiredService<BillingDbContext>().NoticeDeliveries.AsNoTracking()
            .SingleAsync(d => d.Channel == Billing.Notifications.NotificationChannel.Webhook && d.Recipient == endpoint.WebhookEndpointId);
        Assert.Equal((DeliveryState.Failed, 0, "Cancelled: the webhook endpoint was deleted."), (delivery.State, delivery.Attempts, delivery.LastError));
    }
}
