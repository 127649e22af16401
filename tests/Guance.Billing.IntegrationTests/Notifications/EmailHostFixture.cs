using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.Jobs;
using Guance.Billing.V1;
using Microsoft.Extensions.DependencyInjection;

namespace Guance.Billing.IntegrationTests.Notifications;

/// <summary>A host in memory whose e-mails go to a real SMTP server on loopback; the test runs the delivery job.</summary>
public sealed class EmailHostFixture : IAsyncLifetime
{
    public SmtpTestServer Smtp { get; private set; } = null!;

    public BillingHost Host { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Smtp = await SmtpTestServer.StartAsync();
        Host = new BillingHost();
        foreach (var (key, value) in Smtp.HostSettings)
        {
            Host.Settings[key] = value;
        }
        Host.Settings["Guance:Wallet:ExpiryJobEnabled"] = "false";
        Host.Settings["Guance:BillingCenter:SessionLifetime"] = "365.00:00:00";
    }

    /// <summary>One run of the delivery job at the host's time now, as the scheduler would make it.</summary>
    public async Task DeliverAsync() =>
        await Host.Services.GetRequiredService<JobRunner>().RunAsync("notification-delivery", Host.Clock.GetUtcNow(), CancellationToken.None);

    /// <summary>The billing account's notices of one kind, with their deliveries.</summary>
    public async Task<V1.Notification> NoticeAsync(string billingAccountId, NotificationKind kind) =>
        (await Host.Operator.BillingAccounts.ListNotificationsAsync(new ListNotificationsRequest { BillingAccountId = billingAccountId, Kinds = { kind } }))
        .Notifications.Single();

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await Smtp.DisposeAsync();
    }
}
