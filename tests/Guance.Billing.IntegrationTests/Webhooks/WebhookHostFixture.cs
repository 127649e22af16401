using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.Jobs;
using Microsoft.Extensions.DependencyInjection;

namespace Guance.Billing.IntegrationTests.Webhooks;

/// <summary>A host in memory whose webhooks go to a real HTTP receiver on loopback; the test runs the delivery job.</summary>
public sealed class WebhookHostFixture : IAsyncLifetime
{
    public WebhookReceiver Receiver { get; private set; } = null!;

    public BillingHost Host { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Receiver = await WebhookReceiver.StartAsync();
        Host = new BillingHost();
        Host.Settings["Guance:Wallet:ExpiryJobEnabled"] = "false";
        Host.Settings["Guance:BillingCenter:SessionLifetime"] = "365.00:00:00";
        // Long enough for a busy machine's loopback (1 s once lost a delivery while other test projects ran);
        // the endpoint that never answers waits it out.
        Host.Settings["Guance:Notifications:WebhookTimeout"] = "00:00:10";
    }

    /// <summary>One run of the delivery job at the host's time now, as the scheduler would make it.</summary>
    public async Task DeliverAsync() =>
        await Host.Services.GetRequiredService<JobRunner>().RunAsync("notification-delivery", Host.Clock.GetUtcNow(), CancellationToken.None);

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await Receiver.DisposeAsync();
    }
}
