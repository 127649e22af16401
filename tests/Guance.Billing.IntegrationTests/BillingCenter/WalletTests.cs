using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.V1;
using static Guance.Billing.IntegrationTests.Infrastructure.BillingCenterScenario;

namespace Guance.Billing.IntegrationTests.BillingCenter;

public sealed class WalletTests : IClassFixture<BillingHost>
{
    private readonly BillingHost host;

    public WalletTests(BillingHost host)
    {
        this.host = host;
        host.Settings["Guance:Wallet:ExpiryJobEnabled"] = "false";
        // Tests here move the clock by days; sessions outlive that.
        host.Settings["Guance:BillingCenter:SessionLifetime"] = "365.00:00:00";
    }

    private Timestamp In(TimeSpan span) => Timestamp.FromDateTimeOffset(host.Clock.GetUtcNow() + span);

    [Fact]
    public async Task GetWallet_is_for_the_account_and_the_operator()
    {
        var account = await host.RegisterBillingAccountAsync("wallet");
        await host.AssertCallersAsync(account, BillingAccess.AccountOrOperator, (client, id) => client.GetWalletAsync(new GetWalletRequest { BillingAccountId = id }));
        await RpcAssert.InvalidFields(() => account.Client.GetWalletAsync(new GetWalletRequest { BillingAccountId = "nope" }), "billing_account_id");
    }

    [Fact]
    public async Task Recharge_adds_cash_and_a_retry_with_the_same_request_id_changes_nothing()
    {
        var account = await host.RegisterBillingAccountAsync("recharge");
        var request = new RechargeRequest
        {
            BillingAccountId = account.Id, Amount = Yuan(1234.56m), RequestId = "transfer-" + Guid.NewGuid().ToString("N"),
            PaymentMethod = PaymentMethod.BankTransfer, PaymentReference = "ICBC 0042",
        };
        var first = await host.Operator.BillingAccounts.RechargeAsync(request);
        Assert.False(first.Replayed);
        Assert.Equal(Yuan(1234.56m), first.CashAdded);
        Assert.Equal(Zero, first.ArrearsPaid);
        Assert.Equal(Yuan(1234.56m), first.Wallet.Cash);
        Assert.Equal(TransactionKind.Recharge, first.Transaction.Kind);
        Assert.Equal(request.RequestId, first.Transaction.Reference);
        Assert.Equal("Bank transfer ICBC 0042", first.Transaction.Description);

        var again = await host.Operator.BillingAccounts.RechargeAsync(request);
        Assert.True(again.Replayed);
        Assert.Equal(first.Transaction, again.Transaction);
        Assert.Equal(Yuan(1234.56m), (await host.WalletAsync(account.Id)).Cash);

        // The same request id with another amount is a different request: refused.
        request.Amount = Yuan(1);
        await RpcAssert.Precondition(() => host.Operator.BillingAccounts.RechargeAsync(request), "REQUEST_ID_REUSED");
        await host.AssertLedgerCleanAsync(account.Id);
    }

    [Fact]
    public async Task Recharge_pays_arrears_first()
    {
        var account = await host.RegisterBillingAccountAsync("arrears");
        await host.Operator.BillingAccounts.ChargeAsync(Charge(account.Id, ("logs", 80m)));
        Assert.Equal(Yuan(80m), (await host.WalletAsync(account.Id)).Arrears);

        var partial = await host.RechargeAsync(account.Id, 30m);
        Assert.Equal(Yuan(30m), partial.ArrearsPaid);
        Assert.Equal(Zero, partial.CashAdded);
        Assert.Equal(Yuan(50m), partial.Wallet.Arrears);
        Assert.NotNull(partial.Wallet.ArrearsSince);

        var rest = await host.RechargeAsync(account.Id, 100m);
        Assert.Equal(Yuan(50m), rest.ArrearsPaid);
        Assert.Equal(Yuan(50m), rest.CashAdded);
        Assert.Equal(Zero, rest.Wallet.Arrears);
        Assert.Null(rest.Wallet.ArrearsSince);
        Assert.Equal(Yuan(50m), rest.Wallet.Cash);
        await host.AssertLedgerCleanAsync(account.Id);
    }

    [Fact]
    public async Task Recharge_refuses_bad_amounts_with_the_exact_field()
    {
        var account = await host.RegisterBillingAccountAsync("recharge-bad");
        RechargeRequest With(Money? amount) => new()
        {
            BillingAccountId = account.Id, Amount = amount, RequestId = Guid.NewGuid().ToString("N"), PaymentMethod = PaymentMethod.Online,
        };
        await RpcAssert.InvalidFields(() => host.Operator.BillingAccounts.RechargeAsync(With(null)), "amount");
        await RpcAssert.InvalidFields(() => host.Operator.BillingAccounts.RechargeAsync(With(Yuan(0))), "amount");
        await RpcAssert.InvalidFields(() => host.Operator.BillingAccounts.RechargeAsync(With(Yuan(-5))), "amount");
        await RpcAssert.InvalidFields(() => host.Operator.BillingAccounts.RechargeAsync(With(Yuan(1.005m))), "amount.nanos");
        await RpcAssert.InvalidFields(() => host.Operator.BillingAccounts.RechargeAsync(With(new Money { CurrencyCode = "USD", Units = 10 })), "amount.currency_code");
        await RpcAssert.InvalidFields(() => host.Operator.BillingAccounts.RechargeAsync(With(new Money { Units = 10 })), "amount.currency_code");
        await RpcAssert.InvalidFields(() => host.Operator.BillingAccounts.RechargeAsync(With(new Money { CurrencyCode = "CNY", Units = 1, Nanos = -500_000_000 })), "amount");
        await RpcAssert.InvalidFields(() => host.Operator.BillingAccounts.RechargeAsync(new RechargeRequest { BillingAccountId = account.Id }),
            "amount", "request_id", "payment_method");
        await RpcAssert.InvalidFields(() => host.Operator.BillingAccounts.RechargeAsync(new RechargeRequest
        {
            BillingAccountId = account.Id, Amount = Yuan(1), RequestId = "has space", PaymentMethod = PaymentMethod.Online, PaymentReference = new string('r', 129),
        }), "request_id", "payment_reference");

        var wallet = await host.WalletAsync(account.Id);
        Assert.Equal(Zero, wallet.Cash);
        Assert.Empty((await host.Operator.BillingAccounts.ListTransactionsAsync(new ListTransactionsRequest { BillingAccountId = account.Id })).Transactions);
    }

    [Fact]
    public async Task Recharge_is_for_the_operator_only()
    {
        var account = await host.RegisterBillingAccountAsync("recharge-perm");
        await host.AssertCallersAsync(account, BillingAccess.OperatorOnly, (client, id) => client.RechargeAsync(new RechargeRequest
        {
            BillingAccountId = id, Amount = Yuan(10), RequestId = Guid.NewGuid().ToString("N"), PaymentMethod = PaymentMethod.Online,
        }));
    }

    [Fact]
    public async Task A_voucher_issued_to_an_account_is_usable_until_it_expires()
    {
        var account = await host.RegisterBillingAccountAsync("voucher");
        var request = new IssueVoucherRequest
        {
            BillingAccountId = account.Id, Kind = VoucherKind.Ordinary, Amount = Yuan(200), ExpireTime = In(TimeSpan.FromDays(30)),
            RequestId = Guid.NewGuid().ToString("N"),
        };
        var issued = await host.Operator.BillingAccounts.IssueVoucherAsync(request);
        Assert.False(issued.Replayed);
        Assert.StartsWith("vch_", issued.Voucher.VoucherId);
        Assert.Equal(LotState.Active, issued.Voucher.State);
        Assert.Equal(Yuan(200), issued.Voucher.Balance);
        Assert.Equal(Yuan(200), (await host.WalletAsync(account.Id)).OrdinaryVouchers);

        var replay = await host.Operator.BillingAccounts.IssueVoucherAsync(request);
        Assert.True(replay.Replayed);
        Assert.Equal(issued.Voucher.VoucherId, replay.Voucher.VoucherId);
        Assert.Equal(Yuan(200), (await host.WalletAsync(account.Id)).OrdinaryVouchers);
        request.Amount = Yuan(300);
        await RpcAssert.Precondition(() => host.Operator.BillingAccounts.IssueVoucherAsync(request), "REQUEST_ID_REUSED");

        var later = await host.Operator.BillingAccounts.IssueVoucherAsync(new IssueVoucherRequest
        {
            BillingAccountId = account.Id, Kind = VoucherKind.FullReduction, Amount = Yuan(50), StartTime = In(TimeSpan.FromDays(2)),
            ExpireTime = In(TimeSpan.FromDays(5)), RequestId = Guid.NewGuid().ToString("N"),
        });
        Assert.Equal(LotState.NotYetValid, later.Voucher.State);
        Assert.Equal(Zero, (await host.WalletAsync(account.Id)).FullReductionVouchers);

        host.Clock.Advance(TimeSpan.FromDays(2));
        Assert.Equal(Yuan(50), (await host.WalletAsync(account.Id)).FullReductionVouchers);
        var listed = await account.Client.ListVouchersAsync(new ListVouchersRequest { BillingAccountId = account.Id });
        Assert.Equal(new[] { later.Voucher.VoucherId, issued.Voucher.VoucherId }, listed.Vouchers.Select(v => v.VoucherId));
        Assert.All(listed.Vouchers, v => Assert.Equal(LotState.Active, v.State));
        await host.AssertLedgerCleanAsync(account.Id);
    }

    [Fact]
    public async Task A_voucher_issued_as_an_activation_code_is_redeemed_once()
    {
        var account = await host.RegisterBillingAccountAsync("redeem");
        var other = await host.RegisterBillingAccountAsync("redeem-other");
        var code = "SPRING-" + Guid.NewGuid().ToString("N")[..10].ToUpperInvariant();
        var issued = await host.Operator.BillingAccounts.IssueVoucherAsync(new IssueVoucherRequest
        {
            Kind = VoucherKind.Ordinary, Amount = Yuan(88.8m), ExpireTime = In(TimeSpan.FromDays(10)), ActivationCode = code, RequestId = Guid.NewGuid().ToString("N"),
        });
        Assert.Equal("", issued.Voucher.BillingAccountId);
        Assert.Equal(LotState.Unredeemed, issued.Voucher.State);

        await RpcAssert.Fails(StatusCode.NotFound, () => account.Client.RedeemVoucherAsync(new RedeemVoucherRequest { BillingAccountId = account.Id, ActivationCode = "WRONG-CODE-123" }),
            "ACTIVATION_CODE_NOT_FOUND");
        var redeemed = await account.Client.RedeemVoucherAsync(new RedeemVoucherRequest { BillingAccountId = account.Id, ActivationCode = code.ToLowerInvariant() });
        Assert.Equal(account.Id, redeemed.Voucher.BillingAccountId);
        Assert.Equal(LotState.Active, redeemed.Voucher.State);
        Assert.Equal(host.Clock.GetUtcNow(), redeemed.Voucher.RedeemTime.ToDateTimeOffset());
        Assert.Equal(Yuan(88.8m), (await host.WalletAsync(account.Id)).OrdinaryVouchers);

        // Redeeming again changes nothing; another account cannot have it.
        await account.Client.RedeemVoucherAsync(new RedeemVoucherRequest { BillingAccountId = account.Id, ActivationCode = code });
        Assert.Equal(Yuan(88.8m), (await host.WalletAsync(account.Id)).OrdinaryVouchers);
        await RpcAssert.Precondition(() => other.Client.RedeemVoucherAsync(new RedeemVoucherRequest { BillingAccountId = other.Id, ActivationCode = code }), "VOUCHER_ALREADY_REDEEMED");
        Assert.Equal(Zero, (await host.WalletAsync(other.Id)).OrdinaryVouchers);

        // A code past its validity cannot be redeemed.
        var expiring = "EXPIRING-" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        await host.Operator.BillingAccounts.IssueVoucherAsync(new IssueVoucherRequest
        {
            Kind = VoucherKind.Ordinary, Amount = Yuan(10), ExpireTime = In(TimeSpan.FromHours(1)), ActivationCode = expiring, RequestId = Guid.NewGuid().ToString("N"),
        });
        host.Clock.Advance(TimeSpan.FromHours(1));
        await RpcAssert.Precondition(() => other.Client.RedeemVoucherAsync(new RedeemVoucherRequest { BillingAccountId = other.Id, ActivationCode = expiring }), "VOUCHER_EXPIRED");

        await RpcAssert.InvalidFields(() => account.Client.RedeemVoucherAsync(new RedeemVoucherRequest { BillingAccountId = account.Id, ActivationCode = "short" }), "activation_code");
        // One code, one voucher: issuing another with the same code is refused.
        await RpcAssert.Fails(StatusCode.AlreadyExists, () => host.Operator.BillingAccounts.IssueVoucherAsync(new IssueVoucherRequest
        {
            Kind = VoucherKind.Ordinary, Amount = Yuan(1), ExpireTime = In(TimeSpan.FromDays(1)), ActivationCode = code.ToLowerInvariant(), RequestId = Guid.NewGuid().ToString("N"),
        }), "ACTIVATION_CODE_TAKEN");
        await host.AssertCallersAsync(account, BillingAccess.AccountOrOperator, async (client, id) =>
        {
            var fresh = "PERM-" + Guid.NewGuid().ToString("N")[..12].ToUpperInvariant();
            await host.Operator.BillingAccounts.IssueVoucherAsync(new IssueVoucherRequest
            {
                Kind = VoucherKind.Ordinary, Amount = Yuan(1), ExpireTime = In(TimeSpan.FromDays(1)), ActivationCode = fresh, RequestId = Guid.NewGuid().ToString("N"),
            });
            await client.RedeemVoucherAsync(new RedeemVoucherRequest { BillingAccountId = id, ActivationCode = fresh });
        });
        await host.AssertLedgerCleanAsync();
    }

    [Fact]
    public async Task IssueVoucher_names_every_invalid_field_and_is_for_the_operator_only()
    {
        var account = await host.RegisterBillingAccountAsync("voucher-bad");
        await RpcAssert.InvalidFields(() => host.Operator.BillingAccounts.IssueVoucherAsync(new IssueVoucherRequest()),
            "billing_account_id", "kind", "amount", "expire_time", "request_id");
        await RpcAssert.InvalidFields(() => host.Operator.BillingAccounts.IssueVoucherAsync(new IssueVoucherRequest
        {
            BillingAccountId = account.Id, Kind = VoucherKind.Ordinary, Amount = Yuan(0.001m), ExpireTime = In(TimeSpan.FromDays(-1)),
            ActivationCode = "ALSO-A-CODE", RequestId = Guid.NewGuid().ToString("N"),
        }), "amount.nanos", "expire_time", "activation_code");
        await RpcAssert.InvalidFields(() => host.Operator.BillingAccounts.IssueVoucherAsync(new IssueVoucherRequest
        {
            Kind = VoucherKind.Ordinary, Amount = Yuan(5), ExpireTime = In(TimeSpan.FromDays(1)), StartTime = In(TimeSpan.FromDays(2)),
            ActivationCode = "bad code!", RequestId = Guid.NewGuid().ToString("N"),
        }), "expire_time", "activation_code");
        await RpcAssert.Fails(StatusCode.NotFound, () => host.Operator.BillingAccounts.IssueVoucherAsync(new IssueVoucherRequest
        {
            BillingAccountId = UnknownAccountId, Kind = VoucherKind.Ordinary, Amount = Yuan(5), ExpireTime = In(TimeSpan.FromDays(1)), RequestId = Guid.NewGuid().ToString("N"),
        }), "BILLING_ACCOUNT_NOT_FOUND");
        Assert.Empty((await account.Client.ListVouchersAsync(new ListVouchersRequest { BillingAccountId = account.Id })).Vouchers);

        await host.AssertCallersAsync(account, BillingAccess.OperatorOnly, (client, id) => client.IssueVoucherAsync(new IssueVoucherRequest
        {
            BillingAccountId = id, Kind = VoucherKind.Ordinary, Amount = Yuan(5), ExpireTime = In(TimeSpan.FromDays(1)), RequestId = Guid.NewGuid().ToString("N"),
        }));
        await host.AssertCallersAsync(account, BillingAccess.AccountOrOperator, (client, id) => client.ListVouchersAsync(new ListVouchersRequest { BillingAccountId = id }));
    }

    [Fact]
    public async Task A_prepaid_card_pays_arrears_first_and_may_come_with_a_full_reduction_voucher()
    {
        var account = await host.RegisterBillingAccountAsync("card");
        await host.Operator.BillingAccounts.ChargeAsync(Charge(account.Id, ("logs", 30m)));
        var request = new IssuePrepaidCardRequest
        {
            BillingAccountId = account.Id, FaceValue = Yuan(500), ExpireTime = In(TimeSpan.FromDays(365)), RequestId = Guid.NewGuid().ToString("N"),
            FullReductionVoucher = new FullReductionVoucherGrant { Amount = Yuan(50), ExpireTime = In(TimeSpan.FromDays(90)) },
            PaymentReference = "order-7",
        };
        var issued = await host.Operator.BillingAccounts.IssuePrepaidCardAsync(request);
        Assert.False(issued.Replayed);
        Assert.Equal(Yuan(30), issued.ArrearsPaid);
        Assert.Equal(Yuan(500), issued.PrepaidCard.FaceValue);
        Assert.Equal(Yuan(470), issued.PrepaidCard.Balance);
        Assert.Equal(issued.FullReductionVoucher.VoucherId, issued.PrepaidCard.FullReductionVoucherId);
        Assert.Equal(issued.PrepaidCard.PrepaidCardId, issued.FullReductionVoucher.PrepaidCardId);
        Assert.Equal(VoucherKind.FullReduction, issued.FullReductionVoucher.Kind);

        var wallet = await host.WalletAsync(account.Id);
        Assert.Equal(Yuan(470), wallet.PrepaidCards);
        Assert.Equal(Yuan(50), wallet.FullReductionVouchers);
        Assert.Equal(Zero, wallet.Arrears);
        Assert.Null(wallet.ArrearsSince);
        Assert.Equal(Yuan(520), wallet.Available);

        var replay = await host.Operator.BillingAccounts.IssuePrepaidCardAsync(request);
        Assert.True(replay.Replayed);
        Assert.Equal(issued.PrepaidCard.PrepaidCardId, replay.PrepaidCard.PrepaidCardId);
        Assert.Equal(Yuan(30), replay.ArrearsPaid);
        Assert.Equal(Yuan(470), (await host.WalletAsync(account.Id)).PrepaidCards);

        var cards = await account.Client.ListPrepaidCardsAsync(new ListPrepaidCardsRequest { BillingAccountId = account.Id });
        Assert.Equal(issued.PrepaidCard, Assert.Single(cards.PrepaidCards));
        await host.AssertLedgerCleanAsync(account.Id);
    }

    [Fact]
    public async Task IssuePrepaidCard_needs_a_face_value_that_is_a_multiple_of_100()
    {
        var account = await host.RegisterBillingAccountAsync("card-bad");
        IssuePrepaidCardRequest With(Money faceValue) => new()
        {
            BillingAccountId = account.Id, FaceValue = faceValue, ExpireTime = In(TimeSpan.FromDays(30)), RequestId = Guid.NewGuid().ToString("N"),
        };
        foreach (var bad in new[] { 150m, 50m, 100.5m, 99.99m })
        {
            await RpcAssert.InvalidFields(() => host.Operator.BillingAccounts.IssuePrepaidCardAsync(With(Yuan(bad))), "face_value");
        }
        await RpcAssert.InvalidFields(() => host.Operator.BillingAccounts.IssuePrepaidCardAsync(With(Yuan(-100))), "face_value");
        await RpcAssert.InvalidFields(() => host.Operator.BillingAccounts.IssuePrepaidCardAsync(With(new Money { CurrencyCode = "CNH", Units = 100 })), "face_value.currency_code");
        await RpcAssert.InvalidFields(() => host.Operator.BillingAccounts.IssuePrepaidCardAsync(new IssuePrepaidCardRequest
        {
            BillingAccountId = account.Id, FullReductionVoucher = new FullReductionVoucherGrant { Amount = Yuan(0) },
        }), "face_value", "expire_time", "request_id", "full_reduction_voucher.amount", "full_reduction_voucher.expire_time");
        await host.Operator.BillingAccounts.IssuePrepaidCardAsync(With(Yuan(100)));
        await host.Operator.BillingAccounts.IssuePrepaidCardAsync(With(Yuan(1200)));
        Assert.Equal(Yuan(1300), (await host.WalletAsync(account.Id)).PrepaidCards);

        await host.AssertCallersAsync(account, BillingAccess.OperatorOnly, (client, id) => client.IssuePrepaidCardAsync(new IssuePrepaidCardRequest
        {
            BillingAccountId = id, FaceValue = Yuan(100), ExpireTime = In(TimeSpan.FromDays(30)), RequestId = Guid.NewGuid().ToString("N"),
        }));
        await host.AssertCallersAsync(account, BillingAccess.AccountOrOperator, (client, id) => client.ListPrepaidCardsAsync(new ListPrepaidCardsRequest { BillingAccountId = id }));
    }

    [Fact]
    public async Task ListTransactions_shows_every_movement_with_balances_filtered_by_time_and_kind()
    {
        var account = await host.RegisterBillingAccountAsync("history");
        var start = host.Clock.GetUtcNow();
        await host.RechargeAsync(account.Id, 100m);
        host.Clock.Advance(TimeSpan.FromHours(1));
        await host.GrantVoucherAsync(account.Id, 20m);
        host.Clock.Advance(TimeSpan.FromHours(1));
        var charge = await host.Operator.BillingAccounts.ChargeAsync(Charge(account.Id, ("logs", 25m), ("sms", 5m)));
        host.Clock.Advance(TimeSpan.FromHours(1));

        var all = (await account.Client.ListTransactionsAsync(new ListTransactionsRequest { BillingAccountId = account.Id })).Transactions;
        Assert.Equal(new[] { TransactionKind.Charge, TransactionKind.VoucherGrant, TransactionKind.Recharge }, all.Select(t => t.Kind));
        foreach (var transaction in all)
        {
            var sum = transaction.Postings.Sum(p => p.Amount.Units * 100 + p.Amount.Nanos / 10_000_000);
            Assert.Equal(0, sum);
        }
        var charged = all[0];
        Assert.Equal(charge.Result.TransactionId, charged.TransactionId);
        Assert.Equal(Yuan(30m), charged.Amount);
        var cashPostings = charged.Postings.Where(p => p.AccountKind == LedgerAccountKind.Cash).ToList();
        Assert.Equal(new[] { Yuan(-5m), Yuan(-5m) }, cashPostings.Select(p => p.Amount));
        Assert.Equal(new[] { Yuan(95m), Yuan(90m) }, cashPostings.Select(p => p.BalanceAfter));
        Assert.Equal(new[] { "logs", "sms" }, cashPostings.Select(p => p.ItemCode));

        var charges = await account.Client.ListTransactionsAsync(new ListTransactionsRequest { BillingAccountId = account.Id, Kinds = { TransactionKind.Charge } });
        Assert.Equal(charged, Assert.Single(charges.Transactions));
        var window = await account.Client.ListTransactionsAsync(new ListTransactionsRequest
        {
            BillingAccountId = account.Id, StartTime = Timestamp.FromDateTimeOffset(start.AddMinutes(30)), EndTime = Timestamp.FromDateTimeOffset(start.AddMinutes(90)),
        });
        Assert.Equal(TransactionKind.VoucherGrant, Assert.Single(window.Transactions).Kind);

        var page = await account.Client.ListTransactionsAsync(new ListTransactionsRequest { BillingAccountId = account.Id, PageSize = 2 });
        Assert.Equal(all.Take(2), page.Transactions);
        var next = await account.Client.ListTransactionsAsync(new ListTransactionsRequest { BillingAccountId = account.Id, PageSize = 2, PageToken = page.NextPageToken });
        Assert.Equal(all.Skip(2), next.Transactions);
        Assert.Equal("", next.NextPageToken);
        // A token is tied to its filters.
        await RpcAssert.InvalidFields(() => account.Client.ListTransactionsAsync(new ListTransactionsRequest
        {
            BillingAccountId = account.Id, PageToken = page.NextPageToken, Kinds = { TransactionKind.Charge },
        }), "page_token");
        await RpcAssert.InvalidFields(() => account.Client.ListTransactionsAsync(new ListTransactionsRequest
        {
            BillingAccountId = account.Id, StartTime = Timestamp.FromDateTimeOffset(start.AddHours(2)), EndTime = Timestamp.FromDateTimeOffset(start), Kinds = { (TransactionKind)99 },
        }), "end_time", "kinds");
        await host.AssertCallersAsync(account, BillingAccess.AccountOrOperator, (client, id) => client.ListTransactionsAsync(new ListTransactionsRequest { BillingAccountId = id }));
    }

    [Fact]
    public async Task Lists_and_binding_codes_validate_their_fields()
    {
        var account = await host.RegisterBillingAccountAsync("lists");
        await RpcAssert.InvalidFields(() => account.Client.ListVouchersAsync(new ListVouchersRequest { BillingAccountId = account.Id, PageSize = 1001 }), "page_size");
        await RpcAssert.InvalidFields(() => account.Client.ListPrepaidCardsAsync(new ListPrepaidCardsRequest { BillingAccountId = account.Id, PageSize = -1 }), "page_size");
        await RpcAssert.InvalidFields(() => account.Client.ListCloudAccountsAsync(new ListCloudAccountsRequest { BillingAccountId = account.Id, PageToken = "garbage" }), "page_token");
        await RpcAssert.InvalidFields(() => account.Client.ListTransactionsAsync(new ListTransactionsRequest { BillingAccountId = account.Id, PageSize = 5000 }), "page_size");
        await RpcAssert.InvalidFields(() => account.Client.CreateBindingCodeAsync(new CreateBindingCodeRequest { BillingAccountId = "ba_short" }), "billing_account_id");
        await RpcAssert.InvalidFields(() => account.Client.ListVouchersAsync(new ListVouchersRequest()), "billing_account_id");

        // Paging through vouchers and cards, newest first.
        var vouchers = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            vouchers.Insert(0, (await host.GrantVoucherAsync(account.Id, 1m + i)).VoucherId);
            await host.IssueCardAsync(account.Id, 100m * (i + 1));
        }
        var first = await account.Client.ListVouchersAsync(new ListVouchersRequest { BillingAccountId = account.Id, PageSize = 2 });
        var second = await account.Client.ListVouchersAsync(new ListVouchersRequest { BillingAccountId = account.Id, PageSize = 2, PageToken = first.NextPageToken });
        Assert.Equal(vouchers, first.Vouchers.Concat(second.Vouchers).Select(v => v.VoucherId));
        Assert.Equal("", second.NextPageToken);
        var cards = await account.Client.ListPrepaidCardsAsync(new ListPrepaidCardsRequest { BillingAccountId = account.Id, PageSize = 2 });
        var rest = await account.Client.ListPrepaidCardsAsync(new ListPrepaidCardsRequest { BillingAccountId = account.Id, PageSize = 2, PageToken = cards.NextPageToken });
        Assert.Equal(new[] { Yuan(300), Yuan(200), Yuan(100) }, cards.PrepaidCards.Concat(rest.PrepaidCards).Select(c => c.FaceValue));
    }
}
