using Grpc.Core;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.V1;
using static Guance.Billing.IntegrationTests.Infrastructure.BillingCenterScenario;

namespace Guance.Billing.IntegrationTests.BillingCenter;

public sealed class ChargeTests : IClassFixture<BillingHost>
{
    private readonly BillingHost host;

    public ChargeTests(BillingHost host)
    {
        this.host = host;
        host.Settings["Guance:Wallet:ExpiryJobEnabled"] = "false";
        // Tests here move the clock by days; sessions outlive that.
        host.Settings["Guance:BillingCenter:SessionLifetime"] = "365.00:00:00";
    }

    private BillingAccountService.BillingAccountServiceClient Operator => host.Operator.BillingAccounts;

    private static (FundingSource Source, string LotId, string Item, Money Amount) Row(ChargeAllocation a) => (a.Source, a.LotId, a.ItemCode, a.Amount);

    [Fact]
    public async Task A_charge_is_paid_by_ordinary_vouchers_then_full_reduction_vouchers_then_cards_then_cash_then_arrears()
    {
        var account = await host.RegisterBillingAccountAsync("order");
        var card = await host.IssueCardAsync(account.Id, 100m);
        var fullReduction = await host.GrantVoucherAsync(account.Id, 20m, VoucherKind.FullReduction);
        var ordinary = await host.GrantVoucherAsync(account.Id, 10m);
        await host.RechargeAsync(account.Id, 50m);

        var charged = await Operator.ChargeAsync(Charge(account.Id, ("logs", 200m)));
        Assert.False(charged.Replayed);
        Assert.Equal(new[]
        {
            (FundingSource.OrdinaryVoucher, ordinary.VoucherId, "logs", Yuan(10m)),
            (FundingSource.FullReductionVoucher, fullReduction.VoucherId, "logs", Yuan(20m)),
            (FundingSource.PrepaidCard, card.PrepaidCardId, "logs", Yuan(100m)),
            (FundingSource.Cash, "", "logs", Yuan(50m)),
            (FundingSource.Arrears, "", "logs", Yuan(20m)),
        }, charged.Result.Allocations.Select(Row));
        Assert.Equal(Yuan(200m), charged.Result.Total);
        Assert.Equal(Yuan(20m), charged.Result.AddedArrears);
        Assert.Equal(Zero, charged.Result.CloudAmount);

        var wallet = charged.Wallet;
        Assert.Equal(Zero, wallet.Cash);
        Assert.Equal(Zero, wallet.OrdinaryVouchers);
        Assert.Equal(Zero, wallet.FullReductionVouchers);
        Assert.Equal(Zero, wallet.PrepaidCards);
        Assert.Equal(Yuan(20m), wallet.Arrears);
        Assert.Equal(host.Clock.GetUtcNow(), wallet.ArrearsSince.ToDateTimeOffset());
        Assert.Equal(wallet, await host.WalletAsync(account.Id));
        await host.AssertLedgerCleanAsync(account.Id);
    }

    [Fact]
    public async Task Within_a_kind_the_lot_that_expires_first_pays_first_then_the_oldest()
    {
        var account = await host.RegisterBillingAccountAsync("expiry-first");
        var oldLate = await host.GrantVoucherAsync(account.Id, 10m, validFor: TimeSpan.FromDays(60));
        var soon = await host.GrantVoucherAsync(account.Id, 10m, validFor: TimeSpan.FromDays(7));
        var oldSameDay = await host.GrantVoucherAsync(account.Id, 10m, validFor: TimeSpan.FromDays(30));
        host.Clock.Advance(TimeSpan.FromSeconds(1));
        var youngSameDay = await host.GrantVoucherAsync(account.Id, 10m, validFor: TimeSpan.FromDays(30) - TimeSpan.FromSeconds(1));
        var cardLate = await host.IssueCardAsync(account.Id, 100m, TimeSpan.FromDays(300));
        var cardSoon = await host.IssueCardAsync(account.Id, 100m, TimeSpan.FromDays(100));

        var charged = await Operator.ChargeAsync(Charge(account.Id, ("logs", 145m)));
        Assert.Equal(new[]
        {
            (FundingSource.OrdinaryVoucher, soon.VoucherId, "logs", Yuan(10m)),
            (FundingSource.OrdinaryVoucher, oldSameDay.VoucherId, "logs", Yuan(10m)),
            (FundingSource.OrdinaryVoucher, youngSameDay.VoucherId, "logs", Yuan(10m)),
            (FundingSource.OrdinaryVoucher, oldLate.VoucherId, "logs", Yuan(10m)),
            (FundingSource.PrepaidCard, cardSoon.PrepaidCardId, "logs", Yuan(100m)),
            (FundingSource.PrepaidCard, cardLate.PrepaidCardId, "logs", Yuan(5m)),
        }, charged.Result.Allocations.Select(Row));
        Assert.Equal(Yuan(95m), charged.Wallet.PrepaidCards);
    }

    [Fact]
    public async Task SMS_and_synthetic_tests_are_never_paid_by_vouchers()
    {
        var account = await host.RegisterBillingAccountAsync("sms");
        var voucher = await host.GrantVoucherAsync(account.Id, 100m);
        var card = await host.IssueCardAsync(account.Id, 100m);

        var charged = await Operator.ChargeAsync(Charge(account.Id, ("sms", 30m), ("synthetic_tests", 40m), ("logs", 20m)));
        Assert.Equal(new[]
        {
            (FundingSource.OrdinaryVoucher, voucher.VoucherId, "logs", Yuan(20m)),
            (FundingSource.PrepaidCard, card.PrepaidCardId, "sms", Yuan(30m)),
            (FundingSource.PrepaidCard, card.PrepaidCardId, "synthetic_tests", Yuan(40m)),
        }, charged.Result.Allocations.Select(Row));
        Assert.Equal(Yuan(80m), charged.Wallet.OrdinaryVouchers);
        Assert.Equal(Yuan(30m), charged.Wallet.PrepaidCards);

        // With no card or cash left, SMS goes to arrears although vouchers remain.
        var more = await Operator.ChargeAsync(Charge(account.Id, ("sms", 50m)));
        Assert.Equal(new[]
        {
            (FundingSource.PrepaidCard, card.PrepaidCardId, "sms", Yuan(30m)),
            (FundingSource.Arrears, "", "sms", Yuan(20m)),
        }, more.Result.Allocations.Select(Row));
        Assert.Equal(Yuan(80m), more.Wallet.OrdinaryVouchers);
        Assert.Equal(Yuan(20m), more.Wallet.Arrears);
        await host.AssertLedgerCleanAsync(account.Id);
    }

    [Fact]
    public async Task A_charge_is_idempotent_by_its_reference()
    {
        var account = await host.RegisterBillingAccountAsync("idempotent");
        await host.RechargeAsync(account.Id, 100m);
        var request = Charge(account.Id, ("logs", 12.34m), ("time_series", 0.66m));
        var first = await Operator.ChargeAsync(request);
        var retry = await Operator.ChargeAsync(request);
        Assert.False(first.Replayed);
        Assert.True(retry.Replayed);
        Assert.Equal(first.Result, retry.Result);
        Assert.Equal(Yuan(87m), (await host.WalletAsync(account.Id)).Cash);

        // The same reference with other lines, or for another account, is refused and changes nothing.
        var changed = request.Clone();
        changed.Lines[0].Amount = Yuan(1m);
        await RpcAssert.Precondition(() => Operator.ChargeAsync(changed), "REFERENCE_REUSED");
        var other = await host.RegisterBillingAccountAsync("idempotent-other");
        var elsewhere = request.Clone();
        elsewhere.BillingAccountId = other.Id;
        await RpcAssert.Precondition(() => Operator.ChargeAsync(elsewhere), "REFERENCE_REUSED");
        Assert.Equal(Zero, (await host.WalletAsync(other.Id)).Arrears);
        Assert.Equal(Yuan(87m), (await host.WalletAsync(account.Id)).Cash);
        await host.AssertLedgerCleanAsync();
    }

    [Fact]
    public async Task In_cloud_mode_vouchers_and_cards_pay_first_and_the_rest_goes_to_the_cloud_account()
    {
        var account = await host.RegisterBillingAccountAsync("cloud-charge");
        var voucher = await host.GrantVoucherAsync(account.Id, 10m);
        await host.RechargeAsync(account.Id, 500m);
        var request = Charge(account.Id, ("logs", 30m), ("sms", 5m));
        request.Mode = ChargeMode.Cloud;

        var charged = await Operator.ChargeAsync(request);
        Assert.Equal(new[]
        {
            (FundingSource.OrdinaryVoucher, voucher.VoucherId, "logs", Yuan(10m)),
            (FundingSource.CloudAccount, "", "logs", Yuan(20m)),
            (FundingSource.CloudAccount, "", "sms", Yuan(5m)),
        }, charged.Result.Allocations.Select(Row));
        Assert.Equal(Yuan(25m), charged.Result.CloudAmount);
        Assert.Equal(Yuan(500m), charged.Wallet.Cash);
        Assert.Equal(Zero, charged.Wallet.Arrears);
        await host.AssertLedgerCleanAsync(account.Id);
    }

    [Fact]
    public async Task Arrears_start_and_end_with_a_notification_each()
    {
        var account = await host.RegisterBillingAccountAsync("arrears-notice");
        var charged = await Operator.ChargeAsync(Charge(account.Id, ("logs", 10m)));
        Assert.Equal(host.Clock.GetUtcNow(), charged.Wallet.ArrearsSince.ToDateTimeOffset());
        host.Clock.Advance(TimeSpan.FromDays(1));
        // More arrears do not restart the settlement period.
        var more = await Operator.ChargeAsync(Charge(account.Id, ("logs", 5m)));
        Assert.Equal(charged.Wallet.ArrearsSince, more.Wallet.ArrearsSince);
        var paid = await host.RechargeAsync(account.Id, 15m);
        Assert.Null(paid.Wallet.ArrearsSince);

        var notices = (await Operator.ListNotificationsAsync(new ListNotificationsRequest { BillingAccountId = account.Id })).Notifications;
        Assert.Equal(new[] { NotificationKind.ArrearsPaid, NotificationKind.ArrearsStarted }, notices.Select(n => n.Kind));
        Assert.Equal(charged.Result.TransactionId, notices[1].Reference);
        Assert.Equal(paid.Transaction.TransactionId, notices[0].Reference);
        Assert.Equal(account.Account.Email, notices[0].Recipient);
        Assert.Contains("10.00 CNY", notices[1].Body);
    }

    [Fact]
    public async Task Charge_names_every_invalid_field()
    {
        var account = await host.RegisterBillingAccountAsync("charge-bad");
        await RpcAssert.InvalidFields(() => Operator.ChargeAsync(new ChargeRequest { BillingAccountId = account.Id }), "reference", "lines");
        var request = new ChargeRequest { BillingAccountId = account.Id, Reference = "db_1", Mode = (ChargeMode)7 };
        request.Lines.Add(new ChargeLine { ItemCode = "Logs", Amount = Yuan(1m) });
        request.Lines.Add(new ChargeLine { ItemCode = "sms", Amount = Yuan(0m) });
        request.Lines.Add(new ChargeLine { ItemCode = "sms", Amount = Yuan(1.234m) });
        request.Lines.Add(new ChargeLine { ItemCode = "apm_trace", Amount = new Money { CurrencyCode = "USD", Units = 1 } });
        request.Lines.Add(new ChargeLine { ItemCode = "rum_pv" });
        // Well formed, but no billing item: a typo is refused, not charged (and paid by a voucher).
        request.Lines.Add(new ChargeLine { ItemCode = "sms_messages", Amount = Yuan(1m) });
        await RpcAssert.InvalidFields(() => Operator.ChargeAsync(request),
            "mode", "lines[0].item_code", "lines[1].amount", "lines[2].item_code", "lines[2].amount.nanos", "lines[3].amount.currency_code", "lines[4].amount",
            "lines[5].item_code");
        Assert.Equal(Zero, (await host.WalletAsync(account.Id)).Arrears);
        await RpcAssert.Fails(StatusCode.NotFound, () => Operator.ChargeAsync(Charge(UnknownAccountId, ("logs", 1m))), "BILLING_ACCOUNT_NOT_FOUND");
    }

    [Fact]
    public async Task Charge_is_for_the_operator_only()
    {
        var account = await host.RegisterBillingAccountAsync("charge-perm");
        await host.AssertCallersAsync(account, BillingAccess.OperatorOnly, (client, id) => client.ChargeAsync(Charge(id, ("logs", 1m))));
    }
}
