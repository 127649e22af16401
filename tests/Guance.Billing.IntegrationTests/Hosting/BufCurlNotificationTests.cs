using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.IntegrationTests.Notifications;
using Guance.Billing.V1;
using static Guance.Billing.IntegrationTests.Infrastructure.BillingCenterScenario;

namespace Guance.Billing.IntegrationTests.Hosting;

/// <summary>The README's "Notifications" example through <c>buf curl</c> and server reflection, against a host process mailing to a real SMTP server.</summary>
public sealed class BufCurlNotificationTests
{
    [Fact]
    public async Task The_readme_notifications_example_shows_each_channel_of_a_mailed_notice()
    {
        await using var smtp = await SmtpTestServer.StartAsync();
        var options = new HostProcessOptions();
        foreach (var (key, value) in smtp.HostSettings)
        {
            options.Settings[key] = value;
        }
        options.Settings["Guance:Security:PasswordHashIterations"] = "1000";
        options.Settings["Guance:Clock:Mode"] = "Simulated";
        options.Settings["Guance:Clock:Start"] = "2026-11-02T01:30:00Z";
        await using var host = await HostProcess.StartAsync(options);
        var account = (await host.Api().BillingAccounts.RegisterBillingAccountAsync(new RegisterBillingAccountRequest
        {
            Username = "acme-finance", Password = Password, Email = "finance@acme.example",
        })).BillingAccount;
        await host.Operator.BillingAccounts.ChargeAsync(Charge(account.BillingAccountId, ("logs", 7.5m)));
        await host.Operator.Settlement.AdvanceClockAsync(new AdvanceClockRequest { Duration = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(TimeSpan.FromMinutes(1)) });

        var listed = (await BufCurl.CallAsync(host.Address, "guance.billing.v1.BillingAccountService/ListNotifications",
            $$"""{"billing_account_id":"{{account.BillingAccountId}}","kinds":["NOTIFICATION_KIND_ARREARS_STARTED"]}""", host.OperatorToken)).Json();
        var notice = Assert.Single(listed.GetProperty("notifications").EnumerateArray());
        var email = Assert.Single(notice.GetProperty("channels").EnumerateArray());
        Assert.Equal("NOTIFICATION_CHANNEL_EMAIL", email.GetProperty("channel").GetString());
        Assert.Equal((1, 1), (email.GetProperty("sent").GetInt32(), email.GetProperty("attempts").GetInt32()));
        var message = Assert.Single(smtp.To("finance@acme.example"));
        Assert.Equal(notice.GetProperty("notificationId").GetString() + "@guance.test", message.MessageId);
    }
}
