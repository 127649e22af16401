using Bunit;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Guance.Billing.Client;
using Guance.Billing.Console.Pages.BillingCenter;
using Guance.Billing.V1;
using Microsoft.Extensions.DependencyInjection;

namespace Guance.Billing.BrowserTests.Components;

/// <summary>
/// Prepaid cards: a usable card with a balance that expires within 30 days is highlighted (docs/domain.md §6); a card is
/// named by its face value, its id beside it; Huawei Cloud stored-value card orders are submitted and listed (§8).
/// </summary>
public sealed class PrepaidCardsPageTests : ConsoleContext
{
    private static readonly DateTimeOffset Now = new(2026, 11, 2, 1, 30, 0, TimeSpan.Zero);

    public PrepaidCardsPageTests()
    {
        Services.AddSingleton<TimeProvider>(new FixedTime(Now));
        SignInBillingCenterAsync().GetAwaiter().GetResult();
        Cards();
        Orders(_ => new ListHuaweiCardOrdersResponse());
    }

    [Fact]
    public void Only_usable_cards_with_a_balance_expiring_within_30_days_are_highlighted()
    {
        Cards(
            Card("card_soon", Now.AddDays(30), LotState.Active, 60m),
            Card("card_later", Now.AddDays(30).AddMinutes(1), LotState.Active, 60m),
            Card("card_empty", Now.AddDays(3), LotState.Exhausted, 0m),
            Card("card_gone", Now.AddDays(-1), LotState.Expired, 0m));

        var page = Render<PrepaidCardsPage>();

        page.WaitForAssertion(() => Assert.Equal(4, page.FindAll("[data-testid=prepaid-cards] tbody tr").Count));
        var highlighted = page.FindAll("tr.card-expiring").Select(r => r.TextContent).ToList();
        var soon = Assert.Single(highlighted);
        Assert.Contains("card_soon", soon);
        Assert.Contains("expires soon", soon);
        Assert.Contains("CNY\u00A060.00", soon);
        Assert.Contains("2026-12-02 09:30 UTC+8", soon);
        Assert.Single(page.FindAll("[data-testid=expires-soon]"));
    }

    [Fact]
    public void A_card_is_named_by_its_face_value_with_its_id_beside_it_small()
    {
        Cards(Card("card_01kbx", Now.AddDays(90), LotState.Active, 60m, faceValue: 1000m));

        var page = Render<PrepaidCardsPage>();

        var name = page.WaitForElement("[data-testid=card-name]");
        Assert.Equal("Prepaid card of CNY\u00A01,000.00", name.TextContent.Trim());
        Assert.Equal("card_01kbx", page.Find("[data-testid=prepaid-cards] [data-testid=secondary-id]").TextContent.Trim());
        Assert.Contains("secondary-id", page.Find("[data-testid=prepaid-cards] [data-testid=secondary-id]").ClassName);
        Assert.Contains("2026-10-02 09:30 UTC+8", page.Find("[data-testid=prepaid-cards] tbody tr").TextContent);
    }

    [Fact]
    public void A_card_reads_the_same_here_and_on_income_and_expenditure()
    {
        Cards(Card("card_01kbx", Now.AddDays(90), LotState.Active, 60m, faceValue: 1000m));
        Host.On("BillingAccountService/ListTransactions", (ListTransactionsRequest _) => new ListTransactionsResponse
        {
            Transactions =
            {
                new WalletTransaction
                {
                    TransactionId = "txn_1", Kind = TransactionKind.Expiry, Reference = "card_01kbx", Description = "Prepaid card expired",
                    Amount = MoneyAmounts.FromDecimal(60m), CreateTime = Timestamp.FromDateTimeOffset(Now),
                },
            },
        });
        Host.On<ListVouchersRequest, ListVouchersResponse>("BillingAccountService/ListVouchers", _ => new ListVouchersResponse());

        var cards = Render<PrepaidCardsPage>();
        var transactions = Render<TransactionsPage>();

        var name = cards.WaitForElement("[data-testid=card-name]").TextContent.Trim();
        var subject = transactions.WaitForElement("[data-testid=subject]").TextContent.Trim();
        Assert.Equal("Prepaid card of CNY\u00A01,000.00", name);
        Assert.StartsWith(name + ", bought ", subject, StringComparison.Ordinal);
    }

    [Fact]
    public void An_order_is_submitted_with_the_fields_typed_and_listed_as_waiting_for_huawei_cloud()
    {
        var submitted = false;
        Orders(_ => submitted ? new ListHuaweiCardOrdersResponse { Orders = { Order("hco_1", HuaweiCardOrderState.Submitted) } } : new ListHuaweiCardOrdersResponse());
        Host.On<SubmitHuaweiCardOrderRequest, SubmitHuaweiCardOrderResponse>("BillingAccountService/SubmitHuaweiCardOrder", r =>
        {
            submitted = true;
            return new SubmitHuaweiCardOrderResponse { Order = Order("hco_1", HuaweiCardOrderState.Submitted) };
        });
        var page = Render<PrepaidCardsPage>();
        page.WaitForAssertion(() => Assert.Contains("No Huawei Cloud order submitted yet.", page.Find("[data-testid=huawei-orders]").TextContent));

        Field(page, "huawei-account-id").Change(" hw-acme ");
        Field(page, "order-number").Change(" CS2611020001 ");
        page.Find("[data-testid=submit-huawei-order]").Closest("form")!.Submit();

        page.WaitForAssertion(() => Assert.Contains("Order CS2611020001 submitted", page.Find("[data-testid=huawei-order-submitted]").TextContent));
        var request = Assert.Single(Host.CallsOf<SubmitHuaweiCardOrderRequest>("BillingAccountService/SubmitHuaweiCardOrder"));
        Assert.Equal((BillingAccountId, "hw-acme", "CS2611020001"), (request.BillingAccountId, request.HuaweiAccountId, request.OrderNumber));
        page.WaitForAssertion(() => Assert.Equal("Waiting for Huawei Cloud to confirm", page.Find("[data-testid=huawei-order-state]").TextContent.Trim()));
        Assert.Contains("CS2611020001", page.Find("[data-testid=huawei-orders] tbody tr").TextContent);
        Assert.Equal("", Field(page, "order-number").GetAttribute("value") ?? "");
    }

    [Fact]
    public void A_refused_field_is_explained_next_to_it()
    {
        Host.On<SubmitHuaweiCardOrderRequest, SubmitHuaweiCardOrderResponse>("BillingAccountService/SubmitHuaweiCardOrder",
            _ => throw FakeHost.BadRequest(("huawei_account_id", "must be 1 to 64 characters of A-Z, a-z, 0-9, '-' and '_'")));
        var page = Render<PrepaidCardsPage>();

        Field(page, "huawei-account-id").Change("hw acme");
        Field(page, "order-number").Change("CS1");
        page.Find("[data-testid=submit-huawei-order]").Closest("form")!.Submit();

        page.WaitForAssertion(() => Assert.Contains("must be 1 to 64 characters", ErrorNextTo(page, "huawei-account-id")));
        Assert.Null(ErrorNextTo(page, "order-number"));
        Assert.Contains("see the messages next to them", page.Find("[data-testid=error]").TextContent);
        Assert.Empty(page.FindAll("[data-testid=huawei-order-submitted]"));
    }

    [Fact]
    public void An_order_number_redeemed_already_is_explained_in_plain_words_next_to_it()
    {
        Host.On<SubmitHuaweiCardOrderRequest, SubmitHuaweiCardOrderResponse>("BillingAccountService/SubmitHuaweiCardOrder",
            _ => throw FakeHost.Failure(StatusCode.AlreadyExists, "HUAWEI_ORDER_TAKEN", "A Huawei Cloud card order with this order number was submitted already; an order is redeemed once."));
        var page = Render<PrepaidCardsPage>();

        Field(page, "huawei-account-id").Change("hw-acme");
        Field(page, "order-number").Change("CS2611020001");
        page.Find("[data-testid=submit-huawei-order]").Closest("form")!.Submit();

        page.WaitForAssertion(() => Assert.NotNull(ErrorNextTo(page, "order-number")));
        var said = ErrorNextTo(page, "order-number");
        Assert.Contains("This order number was submitted already, by this account or another one: an order becomes a card only once.", said);
        Assert.Empty(page.FindAll("[data-testid=error]"));
        Assert.DoesNotContain("HUAWEI_ORDER_TAKEN", page.Markup);
    }

    [Fact]
    public void A_second_submit_while_the_first_is_under_way_is_ignored()
    {
        var answer = new TaskCompletionSource<SubmitHuaweiCardOrderResponse>();
        Host.OnAsync<SubmitHuaweiCardOrderRequest, SubmitHuaweiCardOrderResponse>("BillingAccountService/SubmitHuaweiCardOrder", _ => answer.Task);
        var page = Render<PrepaidCardsPage>();
        Field(page, "huawei-account-id").Change("hw-acme");
        Field(page, "order-number").Change("CS2611020001");

        page.Find("[data-testid=submit-huawei-order]").Closest("form")!.Submit();
        // A double click: the second submit comes before the first call has answered.
        page.Find("[data-testid=submit-huawei-order]").Closest("form")!.Submit();
        answer.SetResult(new SubmitHuaweiCardOrderResponse { Order = Order("hco_1", HuaweiCardOrderState.Submitted) });

        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=huawei-order-submitted]")));
        Assert.Single(Host.CallsOf<SubmitHuaweiCardOrderRequest>("BillingAccountService/SubmitHuaweiCardOrder"));
        Assert.False(page.Find("[data-testid=submit-huawei-order]").HasAttribute("disabled"));
    }

    [Fact]
    public void Orders_are_listed_with_their_states_and_the_card_a_confirmed_one_became_and_read_page_by_page()
    {
        Cards(Card("card_hw", Now.AddDays(365), LotState.Active, 500m, faceValue: 500m, origin: PrepaidCardOrigin.HuaweiCloud));
        var confirmed = Order("hco_2", HuaweiCardOrderState.Confirmed);
        confirmed.PrepaidCardId = "card_hw";
        confirmed.FaceValue = MoneyAmounts.FromDecimal(500m);
        confirmed.Units = 5;
        confirmed.DecideTime = Timestamp.FromDateTimeOffset(Now.AddHours(1));
        var rejected = Order("hco_1", HuaweiCardOrderState.Rejected);
        rejected.RejectReason = "Huawei Cloud has no such order for this account.";
        rejected.DecideTime = Timestamp.FromDateTimeOffset(Now.AddHours(2));
        Orders(r => r.PageToken == ""
            ? new ListHuaweiCardOrdersResponse { Orders = { Order("hco_3", HuaweiCardOrderState.Submitted), confirmed }, NextPageToken = "p2" }
            : new ListHuaweiCardOrdersResponse { Orders = { rejected } });
        var page = Render<PrepaidCardsPage>();

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=huawei-order-state]").Count));
        page.Find("[data-testid=more-huawei-orders]").Click();

        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll("[data-testid=huawei-order-state]").Count));
        var states = page.FindAll("[data-testid=huawei-order-state]").Select(s => s.TextContent.Trim()).ToList();
        Assert.Equal("Waiting for Huawei Cloud to confirm", states[0]);
        Assert.StartsWith("Confirmed 2026-11-02 10:30 UTC+8: Prepaid card of CNY\u00A0500.00, bought 2026-10-02", states[1]);
        Assert.EndsWith("card_hw", states[1]);
        Assert.Equal("Rejected by Huawei Cloud 2026-11-02 11:30 UTC+8: Huawei Cloud has no such order for this account.", states[2]);
        Assert.Equal(["", "p2"], Host.CallsOf<ListHuaweiCardOrdersRequest>("BillingAccountService/ListHuaweiCardOrders").Select(r => r.PageToken));
        Assert.All(Host.CallsOf<ListHuaweiCardOrdersRequest>("BillingAccountService/ListHuaweiCardOrders"), r => Assert.Equal(BillingAccountId, r.BillingAccountId));
        Assert.Empty(page.FindAll("[data-testid=more-huawei-orders]"));
    }

    private static AngleSharp.Dom.IElement Field(IRenderedComponent<PrepaidCardsPage> page, string testId) =>
        page.Find($"input[data-testid={testId}], [data-testid={testId}] input");

    /// <summary>The message MudBlazor shows under the field, or null.</summary>
    private static string? ErrorNextTo(IRenderedComponent<PrepaidCardsPage> page, string testId) =>
        Field(page, testId).Closest(".mud-input-control")?.QuerySelector(".mud-input-helper-text.mud-input-error")?.TextContent;

    private void Cards(params PrepaidCard[] cards) =>
        Host.On<ListPrepaidCardsRequest, ListPrepaidCardsResponse>("BillingAccountService/ListPrepaidCards", _ => new ListPrepaidCardsResponse { PrepaidCards = { cards } });

    private void Orders(Func<ListHuaweiCardOrdersRequest, ListHuaweiCardOrdersResponse> answer) =>
        Host.On("BillingAccountService/ListHuaweiCardOrders", answer);

    private static HuaweiCardOrder Order(string id, HuaweiCardOrderState state) => new()
    {
        HuaweiCardOrderId = id, BillingAccountId = BillingAccountId, HuaweiAccountId = "hw-acme", OrderNumber = "CS2611020001", State = state,
        SubmitTime = Timestamp.FromDateTimeOffset(Now),
    };

    private static PrepaidCard Card(string id, DateTimeOffset expiry, LotState state, decimal balance, decimal faceValue = 100m, PrepaidCardOrigin origin = PrepaidCardOrigin.BillingCenter) => new()
    {
        PrepaidCardId = id, FaceValue = MoneyAmounts.FromDecimal(faceValue), Balance = MoneyAmounts.FromDecimal(balance), State = state,
        ExpireTime = Timestamp.FromDateTimeOffset(expiry), IssueTime = Timestamp.FromDateTimeOffset(Now.AddMonths(-1)), Origin = origin,
    };
}
