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
        var recharge = page.FindAll("[data-testid=transactions] tbody tr")[0];
        Assert.Contains("2026-11-02 09:30", recharge.TextContent);
        Assert.Contains("Recharge", recharge.TextContent);
        // One column names the balances that changed, and only those.
        Assert.Equal(["Time", "Kind", "What", "Amount", "Balances changed"], page.FindAll("[data-testid=transactions] thead th").Select(th => th.TextContent.Trim()));
        Assert.Equal(["Cash CNY\u00A0+80.00", "Arrears CNY\u00A0-20.00"], recharge.QuerySelectorAll("[data-testid=change]").Select(c => c.TextContent.Trim()));
        var charge = page.FindAll("[data-testid=transactions] tbody tr")[1];
        Assert.Equal(["Vouchers CNY\u00A0-12.34", "Arrears CNY\u00A0+0.01"], charge.QuerySelectorAll("[data-testid=change]").Select(c => c.TextContent.Trim()));

        page.Find("[data-testid=export-csv]").Click();
        page.WaitForAssertion(() => Assert.Single(downloads.Invocations["saveFile"]));
        var (fileName, contentType, csv) = SavedFile(downloads);
        Assert.Equal(("income-and-expenditure-all-page-1.csv", "text/csv;charset=utf-8"), (fileName, contentType));
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("time (UTC+8),kind,what,amount,currency,cash,vouchers,prepaid_cards,arrears,reference,description,transaction_id", lines[0]);
        Assert.Equal("2026-11-02 09:30,Recharge,\"Bank transfer, ref 7\",100.00,CNY,80.00,0.00,0.00,-20.00,pay-1,\"Bank transfer, ref 7\",txn_1", lines[1]);
        Assert.Equal("2026-11-02 09:30,Charge,,12.35,CNY,0.00,-12.34,0.00,0.01,db_1,,txn_2", lines[2]);
        // The screen's no-break space between currency and figure stays on the screen: a spreadsheet reads plain text.
        Assert.DoesNotContain('\u00A0', csv);
    }

    [Fact]
    public void The_whole_range_exports_every_page_of_the_range_as_one_csv()
    {
        Transactions(r => r.PageToken == ""
            ? new ListTransactionsResponse { Transactions = { Recharge() }, NextPageToken = "p2" }
            : new ListTransactionsResponse { Transactions = { Charge() } });
        var downloads = Downloads();
        var page = Render<TransactionsPage>();
        page.WaitForElement("[data-testid=transactions] tbody tr");

        page.Find("[data-testid=export-range-csv]").Click();

        page.WaitForAssertion(() => Assert.Single(downloads.Invocations["saveFile"]));
        var lines = SavedFile(downloads).Text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["txn_1", "txn_2"], lines.Skip(1).Select(l => l.Split(',')[^1]));
        // The screen's page (50) and then the export's two pages of the host's largest size.
        Assert.Equal([(50, ""), (1000, ""), (1000, "p2")],
            Host.CallsOf<ListTransactionsRequest>("BillingAccountService/ListTransactions").Select(r => (r.PageSize, r.PageToken)));
        // The screen stays on its first page.
        Assert.Contains("Page 1", page.Find("[data-testid=page]").TextContent);
    }

    [Fact]
    public void The_export_follows_the_range_on_screen_not_dates_picked_and_not_searched()
    {
        Transactions(_ => new ListTransactionsResponse { Transactions = { Recharge() } });
        var downloads = Downloads();
        var page = Render<TransactionsPage>();
        page.WaitForElement("[data-testid=transactions] tbody tr");
        var from = page.FindComponents<MudBlazor.MudDatePicker>()[0];
        from.InvokeAsync(() => from.Instance.DateChanged.InvokeAsync(new DateTime(2026, 11, 1)));

        page.Find("[data-testid=export-range-csv]").Click();
        page.WaitForAssertion(() => Assert.Single(downloads.Invocations["saveFile"]));
        Assert.Null(Host.CallsOf<ListTransactionsRequest>("BillingAccountService/ListTransactions").Last().StartTime);

        page.Find("[data-testid=search]").Click();
        page.WaitForAssertion(() => Assert.NotNull(Host.CallsOf<ListTransactionsRequest>("BillingAccountService/ListTransactions").Last().StartTime));
        // 2026-11-01 00:00 in China.
        Assert.Equal(new DateTimeOffset(2026, 10, 31, 16, 0, 0, TimeSpan.Zero),
            Host.CallsOf<ListTransactionsRequest>("BillingAccountService/ListTransactions").Last().StartTime.ToDateTimeOffset());
        // Each export's file is named by its range, so that two exports do not take each other's name.
        page.Find("[data-testid=export-range-csv]").Click();
        page.WaitForAssertion(() => Assert.Equal(2, downloads.Invocations["saveFile"].Count));
        Assert.Equal(["income-and-expenditure-all.csv", "income-and-expenditure-2026-11-01-to-now.csv"],
            downloads.Invocations["saveFile"].Select(call => (string)call.Arguments[0]!));
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

    [Fact]
    public void A_charge_names_its_daily_bill_by_its_sites_day_and_the_workspaces_name_with_the_bill_id_beside_it()
    {
        // Made at 00:30 China time on December 1: the bill is of November 30, found in the month before.
        var charge = Charge();
        charge.CreateTime = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 12, 1, 0, 30, 0, TimeSpan.FromHours(8)));
        charge.Reference = "db_01kbill";
        charge.Description = "Daily bill 2026-11-30 of workspace ws_01kprod";
        Transactions(_ => new ListTransactionsResponse { Transactions = { charge } });
        Host.On<ListDailyBillsRequest, ListDailyBillsResponse>("SettlementService/ListDailyBills", r => r.Month == 11
            ? new ListDailyBillsResponse
            {
                DailyBills = { new DailyBill { DailyBillId = "db_01kbill", WorkspaceId = "ws_01kprod", WorkspaceName = "Production", SiteCode = "cn1", Day = new BillingDay { Year = 2026, Month = 11, Day = 30 } } },
            }
            : new ListDailyBillsResponse());

        var page = Render<TransactionsPage>();

        page.WaitForAssertion(() => Assert.Equal("Daily bill of 2026-11-30 (UTC+8) of workspace Production", page.Find("[data-testid=subject]").TextContent.Trim()));
        Assert.Equal("db_01kbill", page.Find("[data-testid=transactions] [data-testid=secondary-id]").TextContent.Trim());
        Assert.DoesNotContain("ws_01kprod", page.Find("[data-testid=transactions] tbody").TextContent);
        // The CSV says it as the screen does, beside the host's description.
        var downloads = Downloads();
        page.Find("[data-testid=export-range-csv]").Click();
        page.WaitForAssertion(() => Assert.Single(downloads.Invocations["saveFile"]));
        Assert.Equal("Daily bill of 2026-11-30 (UTC+8) of workspace Production", SavedFile(downloads).Text.Split("\r\n")[1].Split(',')[2]);
        Assert.Equal([(2026, 12), (2026, 11)], Host.CallsOf<ListDailyBillsRequest>("SettlementService/ListDailyBills").Select(r => (r.Year, r.Month)));
        Assert.All(Host.CallsOf<ListDailyBillsRequest>("SettlementService/ListDailyBills"), r => Assert.Equal(BillingAccountId, r.BillingAccountId));
    }

    [Fact]
    public void A_voucher_given_with_a_card_and_an_expiry_name_the_voucher_and_the_card_by_face_value()
    {
        var grant = new WalletTransaction
        {
            TransactionId = "txn_3", Kind = TransactionKind.VoucherGrant, Reference = "vch_01kfr", Description = "Full-reduction voucher with prepaid card card_01kcard",
            Amount = MoneyAmounts.FromDecimal(100m), CreateTime = Timestamp.FromDateTimeOffset(At),
        };
        var expiry = new WalletTransaction
        {
            TransactionId = "txn_4", Kind = TransactionKind.Expiry, Reference = "card_01kcard", Description = "Prepaid card expired",
            Amount = MoneyAmounts.FromDecimal(12m), CreateTime = Timestamp.FromDateTimeOffset(At),
        };
        Transactions(_ => new ListTransactionsResponse { Transactions = { expiry, grant } });
        Host.On<ListVouchersRequest, ListVouchersResponse>("BillingAccountService/ListVouchers", _ => new ListVouchersResponse
        {
            Vouchers = { new Voucher { VoucherId = "vch_01kfr", Kind = VoucherKind.FullReduction, FaceValue = MoneyAmounts.FromDecimal(100m), IssueTime = Timestamp.FromDateTimeOffset(At), PrepaidCardId = "card_01kcard" } },
        });
        Host.On<ListPrepaidCardsRequest, ListPrepaidCardsResponse>("BillingAccountService/ListPrepaidCards", _ => new ListPrepaidCardsResponse
        {
            PrepaidCards = { new PrepaidCard { PrepaidCardId = "card_01kcard", FaceValue = MoneyAmounts.FromDecimal(1000m), IssueTime = Timestamp.FromDateTimeOffset(At) } },
        });

        var page = Render<TransactionsPage>();

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=subject]").Count));
        var subjects = page.FindAll("[data-testid=subject]").Select(s => s.TextContent.Trim()).ToList();
        Assert.Equal("Prepaid card of CNY\u00A01,000.00, bought 2026-11-02: expired", subjects[0]);
        Assert.Equal("Full reduction voucher of CNY\u00A0100.00, from 2026-11-02, with the card of CNY\u00A01,000.00", subjects[1]);
        Assert.Equal(["card_01kcard", "vch_01kfr"], page.FindAll("[data-testid=transactions] [data-testid=secondary-id]").Select(s => s.TextContent.Trim()));
        // The CSV of the page names them as well, with plain spaces.
        var downloads = Downloads();
        page.Find("[data-testid=export-csv]").Click();
        page.WaitForAssertion(() => Assert.Single(downloads.Invocations["saveFile"]));
        Assert.Contains(",\"Prepaid card of CNY 1,000.00, bought 2026-11-02: expired\",", SavedFile(downloads).Text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_movement_whose_subject_cannot_be_found_keeps_the_hosts_description()
    {
        var charge = Charge();
        charge.Description = "Manual charge by support";
        Transactions(_ => new ListTransactionsResponse { Transactions = { Recharge(), charge } });
        Host.On<ListDailyBillsRequest, ListDailyBillsResponse>("SettlementService/ListDailyBills", _ => new ListDailyBillsResponse());

        var page = Render<TransactionsPage>();

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=subject]").Count));
        Assert.Equal(["Bank transfer, ref 7", "Manual charge by support"], page.FindAll("[data-testid=subject]").Select(s => s.TextContent.Trim()));
        // A recharge's reference is the operator's request id: nothing for the holder to quote.
        Assert.Equal(["db_1"], page.FindAll("[data-testid=transactions] [data-testid=secondary-id]").Select(s => s.TextContent.Trim()));
    }

    [Fact]
    public void Times_and_the_range_say_their_zone()
    {
        Transactions(_ => new ListTransactionsResponse { Transactions = { Recharge() } });

        var page = Render<TransactionsPage>();

        page.WaitForAssertion(() => Assert.Contains("2026-11-02 09:30 UTC+8", page.Find("[data-testid=transactions] tbody tr").TextContent));
        Assert.Contains("From (UTC+8)", page.Markup);
        Assert.Contains("To, inclusive (UTC+8)", page.Markup);
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
