using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.V1;

namespace Guance.Billing.IntegrationTests.Webhooks;

/// <summary>Webhook endpoints through the API.</summary>
public static class WebhookKit
{
    public static async Task<CreateWebhookEndpointResponse> CreateEndpointAsync(
        this TestBillingAccount account, string url = "https://hooks.example.com/guance", params NotificationKind[] kinds)
    {
        var endpoint = new WebhookEndpoint { Url = url, Description = "finance system" };
        endpoint.Kinds.Add(kinds);
        return await account.Api.Webhooks.CreateWebhookEndpointAsync(new CreateWebhookEndpointRequest { BillingAccountId = account.Id, WebhookEndpoint = endpoint });
    }

    public static async Task<IReadOnlyList<WebhookEndpoint>> EndpointsAsync(this TestBillingAccount account) =>
        (await account.Api.Webhooks.ListWebhookEndpointsAsync(new ListWebhookEndpointsRequest { BillingAccountId = account.Id })).WebhookEndpoints;
}
