using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.IntegrationTests.Notifications;
using Guance.Billing.V1;
using static Guance.Billing.IntegrationTests.Infrastructure.BillingCenterScenario;

namespace Guance.Billing.IntegrationTests.MultiHost;

/// <summary>Two host processes on one PostgreSQL database, both delivering notices at once to one SMTP server (docs/domain.md §9).</summary>
public sealed class MultiHostNotificationTests
{
    [PostgresFact]
    public async Task Every_notice_is_mailed_exactly_once_while_both_hosts_deliver_at_once()
    {
        await using var smtp = await SmtpTestServer.StartAsync();
        var settings = new Dictionary<string, string>(smtp.HostSettings)
        {
            // Both schedulers look every 100 ms, so they meet on the same deliveries.
            ["Guance:Jobs:Interval"] = "00:00:00.1",
            ["Guance:Wallet:ExpiryJobEnabled"] = "false",
        };
        await using var cluster = await HostCluster.StartAsync(2, settings);

        var accounts = new List<(string Id, string Email)>();
        for (var i = 0; i < 12; i++)
        {
            var username = $"mail-{i}-{Guid.NewGuid():N}"[..24];
            var account = (await cluster.Api(i % 2).BillingAccounts.RegisterBillingAccountAsync(new RegisterBillingAccountRequest
            {
                Username = username, Password = Password, Email = $"{username}@example.com",
            })).BillingAccount;
            accounts.Add((account.BillingAccountId, account.Email));
        }
        // Arrears and their payment: two notices per account, written through both hosts at once.
        await cluster.OnEveryHostAtOnceAsync(async host =>
        {
            var index = cluster.Hosts.ToList().IndexOf(host);
            foreach (var (id, _) in accounts.Where((_, i) => i % 2 == index))
            {
                await cluster.Operator(index).BillingAccounts.ChargeAsync(Charge(id, ("logs", 3m)));
                await cluster.Operator(1 - index).BillingAccounts.RechargeAsync(new RechargeRequest
                {
                    BillingAccountId = id, Amount = Yuan(3m), RequestId = Guid.NewGuid().ToString("N"), PaymentMethod = PaymentMethod.BankTransfer,
                });
            }
            return 0;
        });

        var notices = new List<V1.Notification>();
        using (var limit = new CancellationTokenSource(TimeSpan.FromSeconds(90)))
        {
            foreach (var (id, _) in accounts)
            {
                IReadOnlyList<V1.Notification> mine;
                while ((mine = (await cluster.Operator(0).BillingAccounts.ListNotificationsAsync(new ListNotificationsRequest { BillingAccountId = id })).Notifications)
                       .Count < 2 || mine.Any(n => n.DeliverTime is null))
                {
                    await Task.Delay(100, limit.Token);
                }
                notices.AddRange(mine);
            }
        }

        Assert.Equal(accounts.Count * 2, notices.Count);
        var mailed = smtp.Messages.GroupBy(m => m.MessageId ?? "").ToDictionary(g => g.Key, g => g.Count());
        Assert.All(notices, n =>
        {
            Assert.Equal(1, mailed.GetValueOrDefault($"{n.NotificationId}@guance.test"));
            Assert.Equal(1, n.Attempts);
        });
        Assert.Equal(notices.Count, smtp.Messages.Count(m => accounts.Any(a => m.To.Mailboxes.Any(b => b.Address == a.Email))));
        cluster.AssertNoErrorsLogged();
    }
}
