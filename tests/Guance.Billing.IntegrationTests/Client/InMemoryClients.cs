using Guance.Billing.Client;
using Guance.Billing.IntegrationTests.Infrastructure;

namespace Guance.Billing.IntegrationTests.Client;

/// <summary>A <see cref="GuanceBillingClient"/> on the in-memory host, through a <see cref="RecordingHandler"/>.</summary>
public static class InMemoryClients
{
    public static (GuanceBillingClient Client, RecordingHandler Wire) BillingClient(this BillingHost host, string? token = null,
        Action<GuanceBillingClientOptions>? configure = null)
    {
        var wire = new RecordingHandler(host.Server.CreateHandler());
        var options = new GuanceBillingClientOptions { Address = host.Server.BaseAddress, Token = token, HttpHandler = wire };
        configure?.Invoke(options);
        return (new GuanceBillingClient(options), wire);
    }
}
