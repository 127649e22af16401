using Guance.Billing.Data;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.V1;
using Microsoft.Extensions.DependencyInjection;

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

    /// <summary>Writes <paramref name="count"/> bill-ready notices of the account to the outbox, as a rule of the domain would; the delivery job has not run.</summary>
    public static async Task WriteBillReadyAsync(this BillingHost host, TestBillingAccount account, int count = 1)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var outbox = scope.ServiceProvider.GetRequiredService<Billing.Notifications.NotificationOutbox>();
        for (var i = 0; i < count; i++)
        {
            outbox.Add(new Billing.Notifications.NotificationDraft(Billing.Notifications.NotificationKind.BillReady, account.Id, account.Account.Email,
                new Billing.Notifications.NoticeValues().Text("account", account.Username).Text("month", "2026-11").Money("amount", 100), "mb_x",
                $"test:{Guid.NewGuid():N}"));
        }
        await scope.ServiceProvider.GetRequiredService<BillingDbContext>().SaveChangesAsync();
    }
}
