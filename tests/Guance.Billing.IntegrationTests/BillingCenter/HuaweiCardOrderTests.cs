using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.IntegrationTests.Invoices;
using Guance.Billing.IntegrationTests.Settlement;
using Guance.Billing.V1;
using static Guance.Billing.IntegrationTests.Infrastructure.BillingCenterScenario;

namespace Guance.Billing.IntegrationTests.BillingCenter;

/// <summary>
/// Huawei Cloud stored-value cards (docs/domain.md §8): an account submits its Huawei account id and an
/// order number, the marketplace integration confirms the order with its units, and the order becomes a
/// prepaid card of units × 100 CNY exactly once, which pays arrears first (§6).
/// </summary>
public sealed class HuaweiCardOrderTests : IClassFixture<BillingHost>
{
    private readonly BillingHost host;

    public HuaweiCardOrderTests(BillingHost host)
    {
        this.host = host;
        host.Settings["Guance:Wallet:ExpiryJobEnabled"] = "false";
    }

    private CloudMarketplaceService.CloudMarketplaceServiceClient Marketplace => host.Operator.CloudMarketplace;

    private static string NewOrderNumber() => "CS" + Guid.NewGuid().ToString("N")[..16].ToUpperInvariant();

    private static Task<SubmitHuaweiCardOrderResponse> SubmitAsync(TestBillingAccount account, string orderNumber) =>
        account.Client.SubmitHuaweiCardOrderAsync(new SubmitHuaweiCardOrderRequest
        {
            BillingAccountId = account.Id, HuaweiAccountId = "hw_buyer-01", OrderNumber = orderNumber,
        }).ResponseAsync;

    private Task<ConfirmHuaweiCardOrderResponse> ConfirmAsync(string orderNumber, int units) =>
        Marketplace.ConfirmHuaweiCardOrderAsync(new ConfirmHuaweiCardOrderRequest { OrderNumber = orderNumber, Units = units }).ResponseAsync;

    [Fact]
    public async Task A_confirmed_order_becomes_a_prepaid_card_of_Huawei_origin_valid_one_year()
    {
        var account = await host.RegisterBillingAccountAsync("hw");
        var orderNumber = NewOrderNumber();
        var submitted = (await SubmitAsync(account, orderNumber)).Order;
        Assert.Equal((HuaweiCardOrderState.Submitted, "hw_buyer-01", 0, ""), (submitted.State, submitted.HuaweiAccountId, submitted.Units, submitted.PrepaidCardId));
        Assert.StartsWith("hco_", submitted.HuaweiCardOrderId);

        var now = host.Clock.GetUtcNow();
        var confirmed = await ConfirmAsync(orderNumber, 3);

        Assert.Equal((HuaweiCardOrderState.Confirmed, 3, 30_000L), (confirmed.Order.State, confirmed.Order.Units, confirmed.Order.FaceValue.Cents()));
        var card = confirmed.PrepaidCard;
        Assert.Equal((PrepaidCardOrigin.HuaweiCloud, 30_000L, 30_000L, LotState.Active), (card.Origin, card.FaceValue.Cents(), card.Balance.Cents(), card.State));
        Assert.Equal(now.AddYears(1), card.ExpireTime.ToDateTimeOffset());
        Assert.Equal(card.PrepaidCardId, confirmed.Order.PrepaidCardId);
        Assert.Equal(0, confirmed.ArrearsPaid.Cents());

        var listed = (await account.Client.ListPrepaidCardsAsync(new ListPrepaidCardsRequest { BillingAccountId = account.Id })).PrepaidCards;
        Assert.Equal([(card.PrepaidCardId, PrepaidCardOrigin.HuaweiCloud)], listed.Select(c => (c.PrepaidCardId, c.Origin)));
        var orders = (await account.Client.ListHuaweiCardOrdersAsync(new ListHuaweiCardOrdersRequest { BillingAccountId = account.Id })).Orders;
        Assert.Equal([confirmed.Order], orders);
        Assert.Equal(30_000, (await host.WalletAsync(account.Id)).PrepaidCards.Cents());
        var purchases = await account.Client.ListTransactionsAsync(new ListTransactionsRequest
        {
            BillingAccountId = account.Id, Kinds = { TransactionKind.PrepaidCardPurchase },
        });
        Assert.Contains(purchases.Transactions, t => t.Reference == card.PrepaidCardId && t.Amount.Cents() == 30_000);
        var notices = await host.Operator.BillingAccounts.ListNotificationsAsync(new ListNotificationsRequest
        {
            BillingAccountId = account.Id, Kinds = { NotificationKind.HuaweiCardOrderConfirmed },
        });
        Assert.Single(notices.Notifications);
        await host.AssertLedgerCleanAsync(account.Id);
    }

    [Fact]
    public async Task A_card_bought_in_the_billing_center_has_that_origin()
    {
        var account = await host.RegisterBillingAccountAsync("bc");
        var card = await host.IssueCardAsync(account.Id, 100m);
        Assert.Equal(PrepaidCardOrigin.BillingCenter, card.Origin);
    }

    [Fact]
    public async Task A_card_of_Huawei_origin_is_not_invoiced_here_one_bought_in_the_billing_center_is()
    {
        var account = await host.RegisterBillingAccountAsync("hwinv");
        await host.CertifyAsync(account);
        var orderNumber = NewOrderNumber();
        await SubmitAsync(account, orderNumber);
        var huawei = (await ConfirmAsync(orderNumber, 3)).PrepaidCard;
        var bought = await host.IssueCardAsync(account.Id, 100m);

        // Huawei Cloud sold the first card, and invoices it itself (docs/domain.md §8).
        var sources = await account.Api.Invoices.ListInvoiceableSourcesAsync(new ListInvoiceableSourcesRequest { BillingAccountId = account.Id });
        Assert.Equal([bought.PrepaidCardId], sources.Sources.Select(s => s.SourceId));
        var request = new RequestInvoiceRequest
        {
            BillingAccountId = account.Id, RequestId = "hw-card", InvoiceInfoId = (await account.CreateInfoAsync()).InvoiceInfoId, Email = "finance@example.com",
            Sources = { new InvoiceSourceSelection { SourceId = huawei.PrepaidCardId } },
        };
        await RpcAssert.Fails(StatusCode.NotFound, () => account.Api.Invoices.RequestInvoiceAsync(request).ResponseAsync, "INVOICE_SOURCE_NOT_FOUND");
    }

    [Fact]
    public async Task The_card_pays_arrears_first()
    {
        var account = await host.RegisterBillingAccountAsync("debtor");
        await host.Operator.BillingAccounts.ChargeAsync(Charge(account.Id, ("logs", 250m)));
        Assert.Equal(25_000, (await host.WalletAsync(account.Id)).Arrears.Cents());
        var orderNumber = NewOrderNumber();
        await SubmitAsync(account, orderNumber);

        var confirmed = await ConfirmAsync(orderNumber, 3);

        // 300.00 CNY card: 250.00 pays the arrears, 50.00 stays on the card.
        Assert.Equal((25_000L, 5_000L), (confirmed.ArrearsPaid.Cents(), confirmed.PrepaidCard.Balance.Cents()));
        var wallet = await host.WalletAsync(account.Id);
        Assert.Equal((0L, 5_000L), (wallet.Arrears.Cents(), wallet.PrepaidCards.Cents()));
        await host.AssertLedgerCleanAsync(account.Id);
    }

    [Fact]
    public async Task An_order_number_is_submitted_once_by_any_account()
    {
        var account = await host.RegisterBillingAccountAsync("first");
        var other = await host.RegisterBillingAccountAsync("second");
        var orderNumber = NewOrderNumber();
        await SubmitAsync(account, orderNumber);

        await RpcAssert.Fails(StatusCode.AlreadyExists, () => SubmitAsync(account, orderNumber), "HUAWEI_ORDER_TAKEN");
        await RpcAssert.Fails(StatusCode.AlreadyExists, () => SubmitAsync(other, orderNumber), "HUAWEI_ORDER_TAKEN");
        Assert.Empty((await other.Client.ListHuaweiCardOrdersAsync(new ListHuaweiCardOrdersRequest { BillingAccountId = other.Id })).Orders);
    }

    [Fact]
    public async Task A_second_confirmation_returns_the_same_card_and_other_units_are_refused()
    {
        var account = await host.RegisterBillingAccountAsync("twice");
        var orderNumber = NewOrderNumber();
        await SubmitAsync(account, orderNumber);
        var first = await ConfirmAsync(orderNumber, 2);

        var again = await ConfirmAsync(orderNumber, 2);
        Assert.Equal(first.PrepaidCard.PrepaidCardId, again.PrepaidCard.PrepaidCardId);
        Assert.Equal(first.Order, again.Order);
        await RpcAssert.Precondition(() => Marketplace.ConfirmHuaweiCardOrderAsync(new ConfirmHuaweiCardOrderRequest { OrderNumber = orderNumber, Units = 5 }),
            "HUAWEI_CARD_ORDER_DECIDED");
        await RpcAssert.Precondition(() => Marketplace.RejectHuaweiCardOrderAsync(new RejectHuaweiCardOrderRequest { OrderNumber = orderNumber, Reason = "unknown" }),
            "HUAWEI_CARD_ORDER_DECIDED");

        Assert.Single((await account.Client.ListPrepaidCardsAsync(new ListPrepaidCardsRequest { BillingAccountId = account.Id })).PrepaidCards);
        Assert.Equal(20_000, (await host.WalletAsync(account.Id)).PrepaidCards.Cents());
        await host.AssertLedgerCleanAsync(account.Id);
    }

    [Fact]
    public async Task Concurrent_confirmations_make_one_card()
    {
        var account = await host.RegisterBillingAccountAsync("race");
        var orderNumber = NewOrderNumber();
        await SubmitAsync(account, orderNumber);

        var confirmations = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => ConfirmAsync(orderNumber, 1)));

        Assert.Single(confirmations.Select(c => c.PrepaidCard.PrepaidCardId).Distinct());
        Assert.Single((await account.Client.ListPrepaidCardsAsync(new ListPrepaidCardsRequest { BillingAccountId = account.Id })).PrepaidCards);
        Assert.Equal(10_000, (await host.WalletAsync(account.Id)).PrepaidCards.Cents());
        await host.AssertLedgerCleanAsync(account.Id);
    }

    [Fact]
    public async Task A_rejected_order_tells_the_account_and_cannot_be_confirmed()
    {
        var account = await host.RegisterBillingAccountAsync("rejected");
        var orderNumber = NewOrderNumber();
        await SubmitAsync(account, orderNumber);

        var rejected = (await Marketplace.RejectHuaweiCardOrderAsync(new RejectHuaweiCardOrderRequest { OrderNumber = orderNumber, Reason = " no such order " })).Order;
        Assert.Equal((HuaweiCardOrderState.Rejected, "no such order"), (rejected.State, rejected.RejectReason));
        Assert.Equal(rejected, (await Marketplace.RejectHuaweiCardOrderAsync(new RejectHuaweiCardOrderRequest { OrderNumber = orderNumber, Reason = "again" })).Order);
        await RpcAssert.Precondition(() => Marketplace.ConfirmHuaweiCardOrderAsync(new ConfirmHuaweiCardOrderRequest { OrderNumber = orderNumber, Units = 1 }),
            "HUAWEI_CARD_ORDER_DECIDED");

        Assert.Empty((await account.Client.ListPrepaidCardsAsync(new ListPrepaidCardsRequest { BillingAccountId = account.Id })).PrepaidCards);
        var notices = await host.Operator.BillingAccounts.ListNotificationsAsync(new ListNotificationsRequest
        {
            BillingAccountId = account.Id, Kinds = { NotificationKind.HuaweiCardOrderRejected },
        });
        Assert.Contains("no such order", Assert.Single(notices.Notifications).Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_order_is_not_found()
    {
        await RpcAssert.Fails(StatusCode.NotFound, () => ConfirmAsync(NewOrderNumber(), 1), "HUAWEI_CARD_ORDER_NOT_FOUND");
        await RpcAssert.Fails(StatusCode.NotFound,
            () => Marketplace.RejectHuaweiCardOrderAsync(new RejectHuaweiCardOrderRequest { OrderNumber = NewOrderNumber(), Reason = "unknown" }),
            "HUAWEI_CARD_ORDER_NOT_FOUND");
    }

    [Fact]
    public async Task Bad_input_names_the_fields()
    {
        var account = await host.RegisterBillingAccountAsync("bad");
        await RpcAssert.InvalidFields(() => account.Client.SubmitHuaweiCardOrderAsync(new SubmitHuaweiCardOrderRequest { BillingAccountId = account.Id }),
            "huawei_account_id", "order_number");
        await RpcAssert.InvalidFields(() => account.Client.SubmitHuaweiCardOrderAsync(new SubmitHuaweiCardOrderRequest
        {
            BillingAccountId = account.Id, HuaweiAccountId = new string('a', 65), OrderNumber = "CS 123",
        }), "huawei_account_id", "order_number");
        await RpcAssert.InvalidFields(() => Marketplace.ConfirmHuaweiCardOrderAsync(new ConfirmHuaweiCardOrderRequest
        {
            OrderNumber = "CS/1", Units = 0, ExpireTime = Timestamp.FromDateTimeOffset(host.Clock.GetUtcNow().AddDays(-1)),
        }), "order_number", "units", "expire_time");
        await RpcAssert.InvalidFields(() => Marketplace.ConfirmHuaweiCardOrderAsync(new ConfirmHuaweiCardOrderRequest { OrderNumber = "CS1", Units = 10_001 }), "units");
        await RpcAssert.InvalidFields(() => Marketplace.RejectHuaweiCardOrderAsync(new RejectHuaweiCardOrderRequest { OrderNumber = "CS1" }), "reason");
        await RpcAssert.InvalidFields(() => account.Client.ListHuaweiCardOrdersAsync(new ListHuaweiCardOrdersRequest { BillingAccountId = account.Id, PageSize = -1 }),
            "page_size");
        Assert.Empty((await account.Client.ListHuaweiCardOrdersAsync(new ListHuaweiCardOrdersRequest { BillingAccountId = account.Id })).Orders);
    }

    [Fact]
    public async Task Who_may_submit_list_confirm_and_reject()
    {
        var account = await host.RegisterBillingAccountAsync("perm");
        await host.AssertCallersAsync(account, BillingAccess.AccountOnly, (client, id) => client.SubmitHuaweiCardOrderAsync(new SubmitHuaweiCardOrderRequest
        {
            BillingAccountId = id, HuaweiAccountId = "hw-1", OrderNumber = NewOrderNumber(),
        }));
        await host.AssertCallersAsync(account, BillingAccess.AccountOrOperator,
            (client, id) => client.ListHuaweiCardOrdersAsync(new ListHuaweiCardOrdersRequest { BillingAccountId = id }));

        // Every account's orders: the operator only.
        var all = await host.Operator.BillingAccounts.ListHuaweiCardOrdersAsync(new ListHuaweiCardOrdersRequest { PageSize = 1000 });
        Assert.Contains(all.Orders, o => o.BillingAccountId == account.Id);
        await RpcAssert.InvalidFields(() => account.Client.ListHuaweiCardOrdersAsync(new ListHuaweiCardOrdersRequest()), "billing_account_id");

        var orderNumber = NewOrderNumber();
        await SubmitAsync(account, orderNumber);
        var (console, collector) = await host.ConsoleAndCollectorAsync();
        foreach (var caller in new[] { account.Api, console, collector })
        {
            await RpcAssert.Fails(StatusCode.PermissionDenied, () => caller.CloudMarketplace.ConfirmHuaweiCardOrderAsync(
                new ConfirmHuaweiCardOrderRequest { OrderNumber = orderNumber, Units = 1 }), "OPERATOR_REQUIRED");
            await RpcAssert.Fails(StatusCode.PermissionDenied, () => caller.CloudMarketplace.RejectHuaweiCardOrderAsync(
                new RejectHuaweiCardOrderRequest { OrderNumber = orderNumber, Reason = "no" }), "OPERATOR_REQUIRED");
        }
        await RpcAssert.Fails(StatusCode.Unauthenticated, () => host.Api().CloudMarketplace.ConfirmHuaweiCardOrderAsync(
            new ConfirmHuaweiCardOrderRequest { OrderNumber = orderNumber, Units = 1 }), "TOKEN_MISSING");
        Assert.Equal(HuaweiCardOrderState.Submitted,
            (await account.Client.ListHuaweiCardOrdersAsync(new ListHuaweiCardOrdersRequest { BillingAccountId = account.Id })).Orders.Single(o => o.OrderNumber == orderNumber).State);
    }
}
