using FieldMask = Google.Protobuf.WellKnownTypes.FieldMask;
using Grpc.Core;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.V1;

namespace Guance.Billing.IntegrationTests.Webhooks;

/// <summary>
/// Who may call each RPC of WebhookService: the account's own session writes, the operator may also
/// read; another account's endpoints are NOT_FOUND; console users and collector tokens are refused.
/// </summary>
public sealed class WebhookPermissionTests(BillingHost host) : IClassFixture<BillingHost>
{
    private const string AccountNotFound = "BILLING_ACCOUNT_NOT_FOUND";
    private const string EndpointNotFound = "WEBHOOK_ENDPOINT_NOT_FOUND";

    [Fact]
    public async Task Every_rpc_admits_exactly_its_callers()
    {
        var account = await host.RegisterBillingAccountAsync("perm");
        var endpoint = (await account.CreateEndpointAsync()).WebhookEndpoint;
        await host.Operator.BillingAccounts.ChargeAsync(BillingCenterScenario.Charge(account.Id, ("logs", 1m)));
        var delivery = Assert.Single((await account.Api.Webhooks.ListWebhookDeliveriesAsync(new ListWebhookDeliveriesRequest
        {
            WebhookEndpointId = endpoint.WebhookEndpointId,
        })).Deliveries);
        Task<string>? made = null;
        Task<string> ToDelete() => made ??= Task.Run(async () => (await account.CreateEndpointAsync()).WebhookEndpoint.WebhookEndpointId);

        var rows = new List<(string Rpc, BillingAccess Access, string NotFound, Func<Api, Task> Call)>
        {
            ("CreateWebhookEndpoint", BillingAccess.AccountOnly, AccountNotFound, async api => await api.Webhooks.CreateWebhookEndpointAsync(new CreateWebhookEndpointRequest
            {
                BillingAccountId = account.Id, WebhookEndpoint = new WebhookEndpoint { Url = "https://hooks.example.com/p" },
            })),
            ("ListWebhookEndpoints", BillingAccess.AccountOrOperator, AccountNotFound, async api => await api.Webhooks.ListWebhookEndpointsAsync(new ListWebhookEndpointsRequest
            {
                BillingAccountId = account.Id,
            })),
            ("UpdateWebhookEndpoint", BillingAccess.AccountOnly, EndpointNotFound, async api => await api.Webhooks.UpdateWebhookEndpointAsync(new UpdateWebhookEndpointRequest
            {
                WebhookEndpoint = new WebhookEndpoint { WebhookEndpointId = endpoint.WebhookEndpointId, Description = "changed" },
                UpdateMask = new FieldMask { Paths = { "description" } },
            })),
            ("DeleteWebhookEndpoint", BillingAccess.AccountOnly, EndpointNotFound, async api => await api.Webhooks.DeleteWebhookEndpointAsync(new DeleteWebhookEndpointRequest
            {
                WebhookEndpointId = await ToDelete(),
            })),
            ("RotateWebhookEndpointSecret", BillingAccess.AccountOnly, EndpointNotFound, async api => await api.Webhooks.RotateWebhookEndpointSecretAsync(new RotateWebhookEndpointSecretRequest
            {
                WebhookEndpointId = endpoint.WebhookEndpointId,
            })),
            ("ListWebhookDeliveries", BillingAccess.AccountOrOperator, EndpointNotFound, async api => await api.Webhooks.ListWebhookDeliveriesAsync(new ListWebhookDeliveriesRequest
            {
                WebhookEndpointId = endpoint.WebhookEndpointId,
            })),
            ("RetryWebhookDelivery", BillingAccess.AccountOnly, "WEBHOOK_DELIVERY_NOT_FOUND", async api => await api.Webhooks.RetryWebhookDeliveryAsync(new RetryWebhookDeliveryRequest
            {
                DeliveryId = delivery.DeliveryId,
            })),
        };
        var names = typeof(WebhookService.WebhookServiceBase).GetMethods().Where(m => m.DeclaringType == typeof(WebhookService.WebhookServiceBase)).Select(m => m.Name);
        Assert.Equal(names.Order(), rows.Select(r => r.Rpc).Order());

        var other = await host.RegisterBillingAccountAsync("other");
        var (console, collector) = await host.ConsoleAndCollectorAsync();
        foreach (var (rpc, access, notFound, call) in rows)
        {
            // Each refusal happens before anything changes, so each row's allowed callers run last.
            await Refused(rpc, StatusCode.PermissionDenied, () => call(console), "BILLING_CENTER_ONLY");
            await Refused(rpc, StatusCode.PermissionDenied, () => call(collector), "BILLING_CENTER_ONLY");
            await Refused(rpc, StatusCode.Unauthenticated, () => call(host.Api()), "TOKEN_MISSING");
            await Refused(rpc, StatusCode.NotFound, () => call(other.Api), notFound);
            if (access == BillingAccess.AccountOnly)
            {
                await Refused(rpc, StatusCode.PermissionDenied, () => call(host.Operator), "BILLING_SESSION_REQUIRED");
            }
            else
            {
                await call(host.Operator);
            }
            await call(account.Api);
        }
        Assert.Equal("changed", (await account.EndpointsAsync()).Single(e => e.WebhookEndpointId == endpoint.WebhookEndpointId).Description);
        Assert.Equal(2, (await account.EndpointsAsync()).Count);
    }

    private static async Task Refused(string rpc, StatusCode code, Func<Task> call, string reason)
    {
        var error = await Assert.ThrowsAsync<RpcException>(call);
        Assert.True(code == error.StatusCode, $"{rpc}: expected {code} {reason} but got {error.StatusCode}: {error.Status.Detail}");
        await RpcAssert.Fails(code, () => Task.FromException(error), reason);
    }
}
