using Bunit;
using Google.Protobuf.WellKnownTypes;
using Guance.Billing.Client;
using Guance.Billing.Console.Pages.BillingCenter;
using Guance.Billing.V1;

namespace Guance.Billing.BrowserTests.Components;

/// <summary>Income and expenditure (docs/domain.md §6, §8): what each movement did to cash, vouchers, cards and arrears; range, paging, CSV.</summary>
public sealed class TransactionsPageTests : ConsoleContext
{
    private static readonly DateTimeOffset At = new(2026, 11, 2, 1, 30, 0, TimeSpan.Zero);

    public TransactionsPageTests() => SignInBillingCenterAsync().GetAwaiter().GetResult();

    [Fact]
    public void Each_movement_shows_its_exact_changes_with_the_currency_and_the_csv_has_the_listed_entries()
    {
        Transactions(_ => new ListTransactionsResponse { Transactions = { Recharge(), Charge() } });
        var downloads = Downloads();

        var page = Render<TransactionsPage>();

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=transactions] tbody tr").Count));
        var recharge = page.FindAll("[data-testid=transactions] tbody tr")[0].TextContent;
        Assert.Contains("2026-11-02 09:30", recharge);
        Assert.Contains("Recharge", recharge);
        Assert.Contains("CNY +80.00", recharge);
        Assert.Contains("CNY -20.00", recharge);
        var charge = page.FindAll("[data-testid=transactions] tbody tr")[1].TextContent;
        Assert.Contains("CNY -12.34", charge);
        Assert.Contains("CNY +0.01", charge);

        page.Find("[data-testid=export-csv]").Click();
        page.WaitForAssertion(() => Assert.Single(downloads.Invocations["saveFile"]));
        var (fileName, contentType, csv) = SavedFile(downloads);
        Assert.Equal(("income-and-expenditure.csv", "text/csv;charset=utf-8"), (fileName, contentType));
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("time,kind,amount,currency,cash,vouchers,prepaid_cards,arrears,reference,description,transaction_id", lines[0]);
        Assert.Equal("2026-11-02 09:30,Recharge,100.00,CNY,80.00,0.00,0.00,-20.00,pay-1,\"Bank transfer, ref 7\",txn_1", lines[1]);
        Assert.Equal("2026-11-02 09:30,Charge,12.35,CNY,0.00,-12.34,0.00,0.01,db_1,,txn_2", lines[2]);
    }

    [Fact]
    public void The_range_is_sent_as_china_days_and_the_pages_follow_the_hosts_tokens()
    {
        Transactions(r => r.PageToken == ""
            ? new ListTransactionsResponse { Transactions = { Recharge() }, NextPageToken = "p2" }
            : new ListTransactionsResponse { Transactions = { Charge() } });
        var page = Render<TransactionsPage>();
        page.WaitForElement("[data-testid=transactions] tbody tr");

        page.Find("[data-testid=next]").Click();

        page.WaitForAssertion(() => Assert.Contains("Charge", page.Find("[data-testid=transactions] tbody").TextContent));
        Assert.Equal(["", "p2"], Host.CallsOf<ListTransactionsRequest>("BillingAccountService/ListTransactions").Select(r => r.PageToken));
        Assert.All(Host.CallsOf<ListTransactionsRequest>("BillingAccountService/ListTransactions"), r => Assert.Equal(BillingAccountId, r.BillingAccountId));
        Assert.Contains("Page 2", page.Find("[data-testid=page]").TextContent);
        page.Find("[data-testid=previous]").Click();
        page.WaitForAssertion(() => Assert.Contains("Recharge", page.Find("[data-testid=transactions] tbody").TextContent));
    }

    [Fact]
    public void A_refused_range_is_explained_next_to_its_field()
    {
        Transactions(_ => throw FakeHost.BadRequest(("end_time", "The end of the range must be after its start.")));

        var page = Render<TransactionsPage>();

        page.WaitForAssertion(() => Assert.Contains("The end of the range must be after its start.", page.Find(".mud-input-error").TextContent));
        Assert.DoesNotContain("INVALID_FIELD", page.Markup);
    }

    private void Transactions(Func<ListTransactionsRequest, ListTransactionsResponse> answer) =>
        Host.On("BillingAccountService/ListTransactions", answer);

    private static WalletTransaction Recharge() => new()
    {
        TransactionId = "txn_1", Kind = TransactionKind.Recharge, Reference = "pay-1", Description = "Bank transfer, ref 7",
        Amount = MoneyAmounts.FromDecimal(100m), CreateTime = Timestamp.FromDateTimeOffset(At),
        Postings =
        {
            Posting(LedgerAccountKind.PaymentsReceived, -100m),
            Posting(LedgerAccountKind.Arrears, 20m),
            Posting(LedgerAccountKind.Cash, 80m),
        },
    };

    private static WalletTransaction Charge() => new()
    {
        TransactionId = "txn_2", Kind = TransactionKind.Charge, Reference = "db_1",
        Amount = MoneyAmounts.FromDecimal(12.35m), CreateTime = Timestamp.FromDateTimeOffset(At),
        Postings =
        {
            Posting(LedgerAccountKind.OrdinaryVoucher, -10m),
            Posting(LedgerAccountKind.FullReductionVoucher, -2.34m),
            Posting(LedgerAccountKind.Arrears, -0.01m),
            Posting(LedgerAccountKind.Revenue, 12.35m),
        },
    };

    private static LedgerPosting Posting(LedgerAccountKind kind, decimal amount) => new() { AccountKind = kind, Amount = MoneyAmounts.FromDecimal(amount) };
}
