using Google.Protobuf.WellKnownTypes;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.V1;

namespace Guance.Billing.IntegrationTests.Webhooks;

/// <summary>Bad input names exactly the bad fields and changes nothing.</summary>
public sealed class WebhookValidationTests(BillingHost host) : IClassFixture<BillingHost>
{
    [Theory]
    [InlineData("ftp://hooks.example.com/x")]
    [InlineData("http://hooks.example.com/x")]
    [InlineData("http://10.0.0.1/x")]
    [InlineData("http://localhost.example.com/x")]
    [InlineData("not a url")]
    [InlineData("/relative/path")]
    [InlineData("https://user:secret@hooks.example.com/x")]
    [InlineData("")]
    // Internal addresses: the cloud's metadata service, private, shared, unique-local and unspecified ones.
    [InlineData("https://169.254.169.254/latest/meta-data")]
    [InlineData("https://10.0.0.1/x")]
    [InlineData("https://192.168.1.20/x")]
    [InlineData("https://172.20.0.5/x")]
    [InlineData("https://100.64.0.1/x")]
    [InlineData("https://[fd00::1]/x")]
    [InlineData("https://[::ffff:10.0.0.1]/x")]
    [InlineData("https://0.0.0.0/x")]
    public async Task A_bad_url_is_a_field_violation_and_creates_nothing(string url)
    {
        var account = await host.RegisterBillingAccountAsync("badurl");
        await RpcAssert.InvalidFields(() => account.Api.Webhooks.CreateWebhookEndpointAsync(new CreateWebhookEndpointRequest
        {
            BillingAccountId = account.Id, WebhookEndpoint = new WebhookEndpoint { Url = url },
        }), "webhook_endpoint.url");
        Assert.Empty(await account.EndpointsAsync());
    }

    [Theory]
    [InlineData("https://hooks.example.com/x?a=1")]
    [InlineData("http://127.0.0.1:9000/x")]
    [InlineData("http://localhost:9000/x")]
    [InlineData("http://[::1]:9000/x")]
    public async Task Https_anywhere_and_http_to_loopback_are_accepted(string url)
    {
        var account = await host.RegisterBillingAccountAsync("goodurl");
        Assert.Equal(url, (await account.CreateEndpointAsync(url)).WebhookEndpoint.Url);
    }

    [Fact]
    public async Task A_url_of_up_to_2000_characters_is_accepted_and_a_longer_one_named()
    {
        var account = await host.RegisterBillingAccountAsync("longurl");
        const string start = "https://hooks.example.com/";
        var longest = start + new string('p', 2000 - start.Length);
        Assert.Equal(longest, (await account.CreateEndpointAsync(longest)).WebhookEndpoint.Url);

        var refused = await RpcAssert.InvalidFields(() => account.Api.Webhooks.CreateWebhookEndpointAsync(new CreateWebhookEndpointRequest
        {
            BillingAccountId = account.Id, WebhookEndpoint = new WebhookEndpoint { Url = longest + "p" },
        }), "webhook_endpoint.url");
        Assert.Contains("2000", refused.FieldViolations[0].Description, StringComparison.Ordinal);
        Assert.Single(await account.EndpointsAsync());
    }

    [Fact]
    public async Task Every_bad_field_is_named_at_once()
    {
        var account = await host.RegisterBillingAccountAsync("badfields");
        var api = account.Api.Webhooks;
        var endpoint = new WebhookEndpoint { Url = "ftp://x", Description = new string('d', 201) };
        endpoint.Kinds.Add((NotificationKind)999);
        await RpcAssert.InvalidFields(() => api.CreateWebhookEndpointAsync(new CreateWebhookEndpointRequest { BillingAccountId = "nope", WebhookEndpoint = endpoint }),
            "billing_account_id", "webhook_endpoint.url", "webhook_endpoint.kinds", "webhook_endpoint.description");
        var unspecified = new WebhookEndpoint { Url = "https://hooks.example.com/x" };
        unspecified.Kinds.Add(NotificationKind.Unspecified);
        await RpcAssert.InvalidFields(() => api.CreateWebhookEndpointAsync(new CreateWebhookEndpointRequest { BillingAccountId = account.Id, WebhookEndpoint = unspecified }),
            "webhook_endpoint.kinds");
        Assert.Empty(await account.EndpointsAsync());

        var created = (await account.CreateEndpointAsync()).WebhookEndpoint;
        await RpcAssert.InvalidFields(() => api.UpdateWebhookEndpointAsync(new UpdateWebhookEndpointRequest
        {
            WebhookEndpoint = new WebhookEndpoint { WebhookEndpointId = created.WebhookEndpointId, Url = "http://example.com/" },
            UpdateMask = new FieldMask { Paths = { "url" } },
        }), "webhook_endpoint.url");
        await RpcAssert.InvalidFields(() => api.UpdateWebhookEndpointAsync(new UpdateWebhookEndpointRequest
        {
            WebhookEndpoint = new WebhookEndpoint { WebhookEndpointId = "bad" },
            UpdateMask = new FieldMask { Paths = { "secret" } },
        }), "webhook_endpoint.webhook_endpoint_id", "update_mask");
        await RpcAssert.InvalidFields(() => api.UpdateWebhookEndpointAsync(new UpdateWebhookEndpointRequest
        {
            WebhookEndpoint = new WebhookEndpoint { WebhookEndpointId = created.WebhookEndpointId },
        }), "update_mask");
        await RpcAssert.InvalidFields(() => api.DeleteWebhookEndpointAsync(new DeleteWebhookEndpointRequest()), "webhook_endpoint_id");
        await RpcAssert.InvalidFields(() => api.RotateWebhookEndpointSecretAsync(new RotateWebhookEndpointSecretRequest { WebhookEndpointId = "whe_x" }), "webhook_endpoint_id");
        Assert.Equal(created, Assert.Single(await account.EndpointsAsync()));

        await RpcAssert.InvalidFields(() => api.ListWebhookDeliveriesAsync(new ListWebhookDeliveriesRequest { WebhookEndpointId = "x", PageSize = -1, PageToken = "garbage" }),
            "webhook_endpoint_id", "page_size", "page_token");
        await RpcAssert.InvalidFields(() => api.RetryWebhookDeliveryAsync(new RetryWebhookDeliveryRequest { DeliveryId = "whe_1" }), "delivery_id");
        await RpcAssert.Fails(Grpc.Core.StatusCode.NotFound, () => api.RetryWebhookDeliveryAsync(new RetryWebhookDeliveryRequest
        {
            DeliveryId = "ndl_" + created.WebhookEndpointId["whe_".Length..],
        }), "WEBHOOK_DELIVERY_NOT_FOUND");
    }
}
