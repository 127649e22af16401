using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.V1;

namespace Guance.Billing.IntegrationTests.Webhooks;

/// <summary>Webhook endpoints: created with a secret shown once, listed, updated by mask, rotated, deleted; at most 10 per account.</summary>
public sealed class WebhookEndpointTests(BillingHost host) : IClassFixture<BillingHost>
{
    [Fact]
    public async Task An_endpoint_is_created_with_a_secret_shown_once_then_updated_rotated_and_deleted()
    {
        var account = await host.RegisterBillingAccountAsync("hooks");
        var created = await account.CreateEndpointAsync("https://hooks.example.com/guance", NotificationKind.ArrearsStarted, NotificationKind.CardExpired);
        var endpoint = created.WebhookEndpoint;
        Assert.StartsWith("whe_", endpoint.WebhookEndpointId, StringComparison.Ordinal);
        Assert.Equal(account.Id, endpoint.BillingAccountId);
        Assert.True(endpoint.Enabled);
        Assert.Equal(new[] { NotificationKind.CardExpired, NotificationKind.ArrearsStarted }, endpoint.Kinds);
        Assert.Equal("finance system", endpoint.Description);
        Assert.Null(endpoint.PreviousSecretExpireTime);
        Assert.StartsWith("whsec_", created.Secret, StringComparison.Ordinal);
        Assert.Equal(24, Convert.FromBase64String(created.Secret["whsec_".Length..]).Length);

        var listed = Assert.Single(await account.EndpointsAsync());
        Assert.Equal(endpoint, listed);
        Assert.Equal(listed, Assert.Single((await host.Operator.Webhooks.ListWebhookEndpointsAsync(new ListWebhookEndpointsRequest { BillingAccountId = account.Id })).WebhookEndpoints));

        var change = new WebhookEndpoint { WebhookEndpointId = endpoint.WebhookEndpointId, Url = "http://127.0.0.1:8080/hook", Description = "ignored", Enabled = false };
        var updated = (await account.Api.Webhooks.UpdateWebhookEndpointAsync(new UpdateWebhookEndpointRequest
        {
            WebhookEndpoint = change, UpdateMask = new FieldMask { Paths = { "url", "enabled", "kinds" } },
        })).WebhookEndpoint;
        Assert.Equal("http://127.0.0.1:8080/hook", updated.Url);
        Assert.False(updated.Enabled);
        Assert.Empty(updated.Kinds);
        Assert.Equal("finance system", updated.Description);

        var rotated = await account.Api.Webhooks.RotateWebhookEndpointSecretAsync(new RotateWebhookEndpointSecretRequest { WebhookEndpointId = endpoint.WebhookEndpointId });
        Assert.StartsWith("whsec_", rotated.Secret, StringComparison.Ordinal);
        Assert.NotEqual(created.Secret, rotated.Secret);
        Assert.Equal(host.Clock.GetUtcNow().AddHours(24), rotated.WebhookEndpoint.PreviousSecretExpireTime.ToDateTimeOffset());

        await account.Api.Webhooks.DeleteWebhookEndpointAsync(new DeleteWebhookEndpointRequest { WebhookEndpointId = endpoint.WebhookEndpointId });
        Assert.Empty(await account.EndpointsAsync());
        await RpcAssert.Fails(StatusCode.NotFound, () => account.Api.Webhooks.DeleteWebhookEndpointAsync(new DeleteWebhookEndpointRequest
        {
            WebhookEndpointId = endpoint.WebhookEndpointId,
        }), "WEBHOOK_ENDPOINT_NOT_FOUND");
    }

    [Fact]
    public async Task An_account_keeps_at_most_ten_endpoints()
    {
        var account = await host.RegisterBillingAccountAsync("ten");
        for (var i = 0; i < 10; i++)
        {
            await account.CreateEndpointAsync($"https://hooks.example.com/{i}");
        }
        await RpcAssert.Precondition(() => account.Api.Webhooks.CreateWebhookEndpointAsync(new CreateWebhookEndpointRequest
        {
            BillingAccountId = account.Id, WebhookEndpoint = new WebhookEndpoint { Url = "https://hooks.example.com/11" },
        }), "TOO_MANY_WEBHOOK_ENDPOINTS");
        Assert.Equal(10, (await account.EndpointsAsync()).Count);
    }

    [Fact]
    public async Task Concurrent_creates_never_pass_the_cap()
    {
        var account = await host.RegisterBillingAccountAsync("webhook-race");
        var creates = Enumerable.Range(0, 14).Select(async i =>
        {
            try
            {
                await account.Api.Webhooks.CreateWebhookEndpointAsync(new CreateWebhookEndpointRequest
                {
                    BillingAccountId = account.Id, WebhookEndpoint = new WebhookEndpoint { Url = $"https://hooks.example.com/race/{i}" },
                });
                return StatusCode.OK;
            }
            catch (RpcException error)
            {
                return error.StatusCode;
            }
        }).ToList();

        var outcomes = await Task.WhenAll(creates);

        Assert.Equal(10, outcomes.Count(s => s == StatusCode.OK));
        Assert.Equal(4, outcomes.Count(s => s == StatusCode.FailedPrecondition));
        Assert.Equal(10, (await account.EndpointsAsync()).Count);
    }
}
