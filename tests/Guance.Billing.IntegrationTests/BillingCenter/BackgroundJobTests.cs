using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.V1;
using static Guance.Billing.IntegrationTests.Infrastructure.BillingCenterScenario;

namespace Guance.Billing.IntegrationTests.BillingCenter;

/// <summary>The scheduler runs the expiry and delivery jobs by itself on the host's clock.</summary>
public sealed class BackgroundJobTests : IClassFixture<BillingHost>
{
    private readonly BillingHost host;

    public BackgroundJobTests(BillingHost host)
    {
        this.host = host;
        host.Settings["Guance:Jobs:Enabled"] = "true";
        host.Settings["Guance:Jobs:Interval"] = "00:00:10";
        host.Settings["Guance:BillingCenter:SessionLifetime"] = "365.00:00:00";
    }

    [Fact]
    public async Task The_jobs_expire_a_card_and_deliver_its_notices_as_the_clock_moves()
    {
        var account = await host.RegisterBillingAccountAsync("jobs");
        var card = await host.IssueCardAsync(account.Id, 100m, TimeSpan.FromDays(5));

        // Into the 3-day window, then past expiry; each move of the clock wakes both loops.
        host.Clock.Advance(TimeSpan.FromDays(2) + TimeSpan.FromMinutes(1));
        var notices = await AdvanceUntilAsync(account.Id, n => n.Any(x => x.Kind == NotificationKind.CardExpiringSoon && x.DeliverTime is not null));
        Assert.Equal(Yuan(100m), (await host.WalletAsync(account.Id)).PrepaidCards);
        host.Clock.Advance(TimeSpan.FromDays(3));
        notices = await AdvanceUntilAsync(account.Id, n => n.Count == 2 && n.All(x => x.DeliverTime is not null));

        Assert.Equal(new[] { NotificationKind.CardExpired, NotificationKind.CardExpiringSoon }, notices.Select(n => n.Kind));
        Assert.All(notices, n => Assert.NotNull(n.DeliverTime));
        var listed = Assert.Single((await account.Client.ListPrepaidCardsAsync(new ListPrepaidCardsRequest { BillingAccountId = account.Id })).PrepaidCards);
        Assert.Equal(card.PrepaidCardId, listed.PrepaidCardId);
        Assert.Equal(LotState.Expired, listed.State);
        Assert.Equal(Zero, listed.Balance);
        await host.AssertLedgerCleanAsync(account.Id);
    }

    /// <summary>Moves the clock a minute at a time (the jobs run as it moves) until the notifications satisfy <paramref name="done"/>.</summary>
    private async Task<IReadOnlyList<V1.Notification>> AdvanceUntilAsync(string billingAccountId, Func<IReadOnlyList<V1.Notification>, bool> done)
    {
        IReadOnlyList<V1.Notification> notices = [];
        for (var step = 0; step < 200; step++)
        {
            await Task.Delay(50);
            notices = (await host.Operator.BillingAccounts.ListNotificationsAsync(new ListNotificationsRequest { BillingAccountId = billingAccountId })).Notifications;
            if (done(notices))
            {
                return notices;
            }
            host.Clock.Advance(TimeSpan.FromMinutes(1));
        }
        return notices;
    }
}
