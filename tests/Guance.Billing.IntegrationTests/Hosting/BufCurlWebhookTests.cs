using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.IntegrationTests.Webhooks;
using Guance.Billing.V1;
using static Guance.Billing.IntegrationTests.Infrastructure.BillingCenterScenario;

namespace Guance.Billing.IntegrationTests.Hosting;

/// <summary>The README's webhook example through <c>buf curl</c> and server reflection, against a host process POSTing to a real receiver.</summary>
public sealed class BufCurlWebhookTests
{
    [Fact]
    public async Task The_readme_webhook_example_creates_an_endpoint_and_lists_its_delivery()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var options = new HostProcessOptions();
        options.Settings["Guance:Security:PasswordHashIterations"] = "1000";
        options.Settings["Guance:Clock:Mode"] = "Simulated";
        options.Settings["Guance:Clock:Start"] = "2026-11-02T01:30:00Z";
        await using var host = await HostProcess.StartAsync(options);
        var registered = await host.Api().BillingAccounts.RegisterBillingAccountAsync(new RegisterBillingAccountRequest
        {
            Username = "acme-hooks", Password = Password, Email = "finance@acme.example",
        });
        var ba = registered.BillingAccount.BillingAccountId;

        var created = (await BufCurl.CallAsync(host.Address, "guance.billing.v1.WebhookService/CreateWebhookEndpoint",
            $$$"""{"billing_account_id":"{{{ba}}}","webhook_endpoint":{"url":"{{{receiver.Url("hooks")}}}"}}""", registered.Token)).Json();
        Assert.StartsWith("whsec_", created.GetProperty("secret").GetString(), StringComparison.Ordinal);
        var whe = created.GetProperty("webhookEndpoint").GetProperty("webhookEndpointId").GetString();

        await host.Operator.BillingAccounts.ChargeAsync(Charge(ba, ("logs", 7.5m)));
        await host.Operator.Settlement.AdvanceClockAsync(new AdvanceClockRequest { Duration = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(TimeSpan.FromMinutes(1)) });

        var listed = (await BufCurl.CallAsync(host.Address, "guance.billing.v1.WebhookService/ListWebhookDeliveries",
            $$"""{"webhook_endpoint_id":"{{whe}}"}""", registered.Token)).Json();
        var delivery = Assert.Single(listed.GetProperty("deliveries").EnumerateArray());
        Assert.Equal("WEBHOOK_DELIVERY_STATE_SENT", delivery.GetProperty("state").GetString());
        Assert.Equal(200, Assert.Single(delivery.GetProperty("attempts").EnumerateArray()).GetProperty("statusCode").GetInt32());
        Assert.Equal(delivery.GetProperty("noticeId").GetString(), Assert.Single(receiver.At("hooks")).Id);
    }
}
