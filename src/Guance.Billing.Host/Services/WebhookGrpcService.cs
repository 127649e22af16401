using Grpc.Core;
using Guance.Billing.Host.Infrastructure;
using Guance.Billing.Host.Mapping;
using Guance.Billing.Notifications.Webhooks;
using Guance.Billing.V1;

namespace Guance.Billing.Host.Services;

/// <summary>WebhookService: a billing account's webhook endpoints and their deliveries.</summary>
public sealed class WebhookGrpcService(WebhookEndpoints endpoints, WebhookDeliveries deliveries) : WebhookService.WebhookServiceBase
{
    public override async Task<CreateWebhookEndpointResponse> CreateWebhookEndpoint(CreateWebhookEndpointRequest request, ServerCallContext context)
    {
        var created = await endpoints.CreateAsync(context.GetCaller(), request.BillingAccountId, request.WebhookEndpoint.ToInput(), context.CancellationToken);
        return new CreateWebhookEndpointResponse { WebhookEndpoint = created.Endpoint.ToMessage(), Secret = created.Secret };
    }

    public override async Task<ListWebhookEndpointsResponse> ListWebhookEndpoints(ListWebhookEndpointsRequest request, ServerCallContext context)
    {
        var response = new ListWebhookEndpointsResponse();
        response.WebhookEndpoints.Add((await endpoints.ListAsync(context.GetCaller(), request.BillingAccountId, context.CancellationToken)).Select(e => e.ToMessage()));
        return response;
    }

    public override async Task<UpdateWebhookEndpointResponse> UpdateWebhookEndpoint(UpdateWebhookEndpointRequest request, ServerCallContext context) =>
        new()
        {
            WebhookEndpoint = (await endpoints.UpdateAsync(context.GetCaller(), request.WebhookEndpoint?.WebhookEndpointId ?? "", request.WebhookEndpoint.ToInput(),
                request.UpdateMask?.Paths.ToList() ?? [], context.CancellationToken)).ToMessage(),
        };

    public override async Task<DeleteWebhookEndpointResponse> DeleteWebhookEndpoint(DeleteWebhookEndpointRequest request, ServerCallContext context)
    {
        await endpoints.DeleteAsync(context.GetCaller(), request.WebhookEndpointId, context.CancellationToken);
        return new DeleteWebhookEndpointResponse();
    }

    public override async Task<RotateWebhookEndpointSecretResponse> RotateWebhookEndpointSecret(RotateWebhookEndpointSecretRequest request, ServerCallContext context)
    {
        var rotated = await endpoints.RotateSecretAsync(context.GetCaller(), request.WebhookEndpointId, context.CancellationToken);
        return new RotateWebhookEndpointSecretResponse { WebhookEndpoint = rotated.Endpoint.ToMessage(), Secret = rotated.Secret };
    }

    public override async Task<ListWebhookDeliveriesResponse> ListWebhookDeliveries(ListWebhookDeliveriesRequest request, ServerCallContext context)
    {
        var (list, next) = await deliveries.ListAsync(context.GetCaller(), request.WebhookEndpointId, request.PageSize, request.PageToken, context.CancellationToken);
        var response = new ListWebhookDeliveriesResponse { NextPageToken = next };
        response.Deliveries.Add(list.Select(d => d.ToMessage()));
        return response;
    }

    public override async Task<RetryWebhookDeliveryResponse> RetryWebhookDelivery(RetryWebhookDeliveryRequest request, ServerCallContext context) =>
        new() { Delivery = (await deliveries.RetryAsync(context.GetCaller(), request.DeliveryId, context.CancellationToken)).ToMessage() };
}
