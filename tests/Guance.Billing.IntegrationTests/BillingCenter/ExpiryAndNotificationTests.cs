using Grpc.Core;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.Notifications;
using Guance.Billing.V1;
using Microsoft.Extensions.DependencyInjection;
using static Guance.Billing.IntegrationTests.Infrastructure.BillingCenterScenario;
using NotificationKind = Guance.Billing.V1.NotificationKind;

namespace Guance.Billing.IntegrationTests.BillingCenter;

public sealed class ExpiryAndNotificationTests : IClassFixture<BillingHost>
{
    private readonly BillingHost host;

    public ExpiryAndNotificationTests(BillingHost host)
    {
        this.host = host;
        host.Settings["Guance:Wallet:ExpiryJobEnabled"] = "false";
        // Tests here move the clock by days; sessions outlive that.
        host.Settings["Guance:BillingCenter:SessionLifetime"] = "365.00:00:00";
        host.Settings["Guance:Notifications:DeliveryEnabled"] = "false";
    }

    private BillingAccountService.BillingAccountServiceClient Operator => host.Operator.BillingAccounts;

    private async Task<IReadOnlyList<V1.Notification>> NoticesAsync(string billingAccountId, NotificationKind kind) =>
        (await Operator.ListNotificationsAsync(new ListNotificationsRequest { BillingAccountId = billingAccountId, Kinds = { kind } })).Notifications;

    [Fact]
    public async Task A_card_holder_is_told_once_three_days_before_expiry_and_the_rest_is_cleared_at_expiry()
    {
        var account = await host.RegisterBillingAccountAsync("card-expiry");
        var card = await host.IssueCardAsync(account.Id, 300m, TimeSpan.FromDays(10));
        await Operator.ChargeAsync(Charge(account.Id, ("logs", 120.5m)));

        host.Clock.Advance(TimeSpan.FromDays(7) - TimeSpan.FromMinutes(1));
        await Operator.RunExpiryAsync(new RunExpiryRequest());
        Assert.Empty(await NoticesAsync(account.Id, NotificationKind.CardExpiringSoon));

        host.Clock.Advance(TimeSpan.FromMinutes(1));
        var run = await Operator.RunExpiryAsync(new RunExpiryRequest());
        Assert.True(run.CardNotices >= 1);
        var notice = Assert.Single(await NoticesAsync(account.Id, NotificationKind.CardExpiringSoon));
        Assert.Equal(card.PrepaidCardId, notice.Reference);
        Assert.Contains("179.50 CNY", notice.Body);
        Assert.Equal(account.Account.Email, notice.Recipient);
        var listed = (await account.Client.ListPrepaidCardsAsync(new ListPrepaidCardsRequest { BillingAccountId = account.Id })).PrepaidCards.Single();
        Assert.Equal(host.Clock.GetUtcNow(), listed.ExpiryNoticeTime.ToDateTimeOffset());

        // Running again, later, does not tell twice.
        host.Clock.Advance(TimeSpan.FromDays(1));
        await Operator.RunExpiryAsync(new RunExpiryRequest());
        Assert.Single(await NoticesAsync(account.Id, NotificationKind.CardExpiringSoon));
        Assert.Equal(Yuan(179.5m), (await host.WalletAsync(account.Id)).PrepaidCards);

        // At expiry the card no longer pays, even before the job clears it.
        host.Clock.Advance(TimeSpan.FromDays(2));
        Assert.Equal(Zero, (await host.WalletAsync(account.Id)).PrepaidCards);
        var expired = await Operator.RunExpiryAsync(new RunExpiryRequest());
        Assert.True(expired.CardsExpired >= 1);
        var cleared = Assert.Single(await NoticesAsync(account.Id, NotificationKind.CardExpired));
        Assert.Contains("179.50 CNY", cleared.Body);
        var expiry = (await Operator.ListTransactionsAsync(new ListTransactionsRequest { BillingAccountId = account.Id, Kinds = { TransactionKind.Expiry } })).Transactions.Single();
        Assert.Equal(Yuan(179.5m), expiry.Amount);
        Assert.Equal(card.PrepaidCardId, expiry.Reference);
        Assert.Equal(new[] { LedgerAccountKind.PrepaidCard, LedgerAccountKind.ExpiredValue }, expiry.Postings.Select(p => p.AccountKind));
        Assert.Equal(Zero, expiry.Postings[0].BalanceAfter);
        listed = (await account.Client.ListPrepaidCardsAsync(new ListPrepaidCardsRequest { BillingAccountId = account.Id })).PrepaidCards.Single();
        Assert.Equal(LotState.Expired, listed.State);
        Assert.Equal(Zero, listed.Balance);

        // Idempotent: nothing more happens on another run.
        var again = await Operator.RunExpiryAsync(new RunExpiryRequest());
        Assert.Equal(0, again.CardsExpired);
        Assert.Single(await NoticesAsync(account.Id, NotificationKind.CardExpired));
        await host.AssertLedgerCleanAsync(account.Id);
    }

    [Fact]
    public async Task A_voucher_past_its_validity_is_cleared_and_its_holder_told()
    {
        var account = await host.RegisterBillingAccountAsync("voucher-expiry");
        var voucher = await host.GrantVoucherAsync(account.Id, 40m, validFor: TimeSpan.FromDays(3));
        await Operator.ChargeAsync(Charge(account.Id, ("logs", 15m)));
        var spent = await host.GrantVoucherAsync(account.Id, 5m, validFor: TimeSpan.FromDays(3));
        await Operator.ChargeAsync(Charge(account.Id, ("logs", 25m), ("rum_pv", 5m)));

        host.Clock.Advance(TimeSpan.FromDays(3));
        // The charge after expiry no longer uses it.
        var after = await Operator.ChargeAsync(Charge(account.Id, ("logs", 1m)));
        Assert.Equal(FundingSource.Arrears, Assert.Single(after.Result.Allocations).Source);

        var run = await Operator.RunExpiryAsync(new RunExpiryRequest());
        Assert.Equal(Yuan(0m), run.Cleared);
        Assert.True(run.VouchersExpired >= 2);
        Assert.Empty(await NoticesAsync(account.Id, NotificationKind.VoucherExpired));
        Assert.All((await account.Client.ListVouchersAsync(new ListVouchersRequest { BillingAccountId = account.Id })).Vouchers,
            v => Assert.Equal(LotState.Expired, v.State));
        Assert.Contains(spent.VoucherId, (await account.Client.ListVouchersAsync(new ListVouchersRequest { BillingAccountId = account.Id })).Vouchers.Select(v => v.VoucherId));

        var other = await host.RegisterBillingAccountAsync("voucher-expiry-2");
        var left = await host.GrantVoucherAsync(other.Id, 40m, validFor: TimeSpan.FromDays(1));
        await Operator.ChargeAsync(Charge(other.Id, ("logs", 15.25m)));
        host.Clock.Advance(TimeSpan.FromDays(1));
        var cleared = await Operator.RunExpiryAsync(new RunExpiryRequest());
        Assert.Equal(Yuan(24.75m), cleared.Cleared);
        var notice = Assert.Single(await NoticesAsync(other.Id, NotificationKind.VoucherExpired));
        Assert.Equal(left.VoucherId, notice.Reference);
        Assert.Contains("24.75 CNY", notice.Body);
        Assert.Equal(voucher.VoucherId.Length, left.VoucherId.Length);
        await host.AssertLedgerCleanAsync();
    }

    [Fact]
    public async Task RunExpiry_and_ListNotifications_are_for_the_operator_only()
    {
        var account = await host.RegisterBillingAccountAsync("expiry-perm");
        await RpcAssert.Fails(StatusCode.PermissionDenied, () => account.Client.RunExpiryAsync(new RunExpiryRequest()), "OPERATOR_REQUIRED");
        await RpcAssert.Fails(StatusCode.Unauthenticated, () => host.Api().BillingAccounts.RunExpiryAsync(new RunExpiryRequest()), "TOKEN_MISSING");
        var (console, collector) = await host.ConsoleAndCollectorAsync();
        await RpcAssert.Fails(StatusCode.PermissionDenied, () => console.BillingAccounts.RunExpiryAsync(new RunExpiryRequest()), "OPERATOR_REQUIRED");
        await RpcAssert.Fails(StatusCode.PermissionDenied, () => collector.BillingAccounts.RunExpiryAsync(new RunExpiryRequest()), "OPERATOR_REQUIRED");
        await Operator.RunExpiryAsync(new RunExpiryRequest());
        await host.AssertCallersAsync(account, BillingAccess.OperatorOnly,
            (client, id) => client.ListNotificationsAsync(new ListNotificationsRequest { BillingAccountId = id }));
        await RpcAssert.InvalidFields(() => Operator.ListNotificationsAsync(new ListNotificationsRequest
        {
            BillingAccountId = "nope", Kinds = { (NotificationKind)42 }, PageSize = 5000,
        }), "billing_account_id", "kinds", "page_size");
    }

    [Fact]
    public async Task Notifications_are_delivered_once_even_by_two_delivery_loops_at_once()
    {
        var account = await host.RegisterBillingAccountAsync("deliver");
        await Operator.ChargeAsync(Charge(account.Id, ("logs", 1m)));
        await host.RechargeAsync(account.Id, 1m);

        var sent = new System.Collections.Concurrent.ConcurrentBag<string>();
        async Task<int> DeliverAsync()
        {
            await using var scope = host.Services.CreateAsyncScope();
            var delivery = ActivatorUtilities.CreateInstance<NotificationDelivery>(scope.ServiceProvider, Senders(new RecordingSender(sent)), new NotificationDeliveryInstance());
            return (await delivery.DeliverDueAsync(host.Clock.GetUtcNow(), CancellationToken.None)).Sent;
        }
        var delivered = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(DeliverAsync)));

        var notices = (await Operator.ListNotificationsAsync(new ListNotificationsRequest { BillingAccountId = account.Id })).Notifications;
        Assert.Equal(2, notices.Count);
        Assert.All(notices, n => Assert.Equal(host.Clock.GetUtcNow(), n.DeliverTime.ToDateTimeOffset()));
        Assert.All(notices, n => Assert.Equal(1, n.Attempts));
        // Each notification was sent exactly once over all loops (other tests' notifications may be among them).
        Assert.Equal(sent.Count, sent.Distinct().Count());
        Assert.Equal(sent.Count, delivered.Sum());
        Assert.All(notices, n => Assert.Contains(n.NotificationId, sent));
    }

    [Fact]
    public async Task A_failed_delivery_is_recorded_and_retried_later()
    {
        var account = await host.RegisterBillingAccountAsync("deliver-fail");
        await Operator.ChargeAsync(Charge(account.Id, ("logs", 1m)));
        var sent = new System.Collections.Concurrent.ConcurrentBag<string>();
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var failing = ActivatorUtilities.CreateInstance<NotificationDelivery>(scope.ServiceProvider, Senders(new FailingSender()), new NotificationDeliveryInstance());
            await failing.DeliverDueAsync(host.Clock.GetUtcNow(), CancellationToken.None);
        }
        var notice = (await NoticesAsync(account.Id, NotificationKind.ArrearsStarted)).Single();
        Assert.Null(notice.DeliverTime);
        Assert.Equal("mail server down", notice.LastError);

        await using (var scope = host.Services.CreateAsyncScope())
        {
            var delivery = ActivatorUtilities.CreateInstance<NotificationDelivery>(scope.ServiceProvider, Senders(new RecordingSender(sent)), new NotificationDeliveryInstance());
            await delivery.DeliverDueAsync(host.Clock.GetUtcNow(), CancellationToken.None);
            Assert.DoesNotContain(notice.NotificationId, sent); // backing off
            host.Clock.Advance(TimeSpan.FromMinutes(1));
            await delivery.DeliverDueAsync(host.Clock.GetUtcNow(), CancellationToken.None);
        }
        Assert.Contains(notice.NotificationId, sent);
        notice = (await NoticesAsync(account.Id, NotificationKind.ArrearsStarted)).Single();
        Assert.NotNull(notice.DeliverTime);
        Assert.Equal(2, notice.Attempts);
    }

    private static IEnumerable<INotificationSender> Senders(INotificationSender sender) => [sender];

    private sealed class RecordingSender(System.Collections.Concurrent.ConcurrentBag<string> sent) : INotificationSender
    {
        public Billing.Notifications.NotificationChannel Channel => Billing.Notifications.NotificationChannel.Email;

        public async Task SendAsync(Billing.Notifications.Notification notification, NoticeDelivery delivery, CancellationToken cancellationToken)
        {
            await Task.Yield();
            sent.Add(notification.Id);
        }
    }

    private sealed class FailingSender : INotificationSender
    {
        public Billing.Notifications.NotificationChannel Channel => Billing.Notifications.NotificationChannel.Email;

        public Task SendAsync(Billing.Notifications.Notification notification, NoticeDelivery delivery, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("mail server down");
    }
}
