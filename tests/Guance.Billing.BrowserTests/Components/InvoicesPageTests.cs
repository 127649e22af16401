using Bunit;
using Google.Protobuf;
using Guance.Billing.Client;
using Guance.Billing.Console.Components;
using Guance.Billing.Console.Pages.BillingCenter;
using Guance.Billing.V1;

namespace Guance.Billing.BrowserTests.Components;

/// <summary>The billing center's invoices (docs/domain.md §8): information, addresses, sources, a request, its states, the PDF.</summary>
public sealed class InvoicesPageTests : ConsoleContext
{
    private readonly List<Invoice> _invoices = [];
    private readonly List<InvoiceInfo> _infos = [new InvoiceInfo { InvoiceInfoId = "ii_1", Type = InvoiceType.ElectronicOrdinary }];

    public InvoicesPageTests()
    {
        Host.On<GetBillingAccountRequest, GetBillingAccountResponse>("BillingAccountService/GetBillingAccount", _ => new GetBillingAccountResponse
        {
            BillingAccount = new BillingAccount
            {
                BillingAccountId = BillingAccountId, Username = "acme", Email = "finance@acme.example",
                Certification = new EnterpriseCertification { EnterpriseName = "Acme Ltd", TaxpayerId = "91310000775785552L", State = CertificationState.Approved },
            },
        });
        Host.On<ListInvoiceInfosRequest, ListInvoiceInfosResponse>("InvoiceService/ListInvoiceInfos", _ => new ListInvoiceInfosResponse { InvoiceInfos = { _infos } });
        Host.On<ListMailingAddressesRequest, ListMailingAddressesResponse>("InvoiceService/ListMailingAddresses", _ => new ListMailingAddressesResponse());
        Host.On<ListInvoiceableSourcesRequest, ListInvoiceableSourcesResponse>("InvoiceService/ListInvoiceableSources", _ => new ListInvoiceableSourcesResponse
        {
            Sources =
            {
                new InvoiceableSource
                {
                    SourceId = "card_1", Kind = InvoiceSourceKind.PrepaidCardPurchase, Invoiceable = MoneyAmounts.FromDecimal(500m),
                    Pending = MoneyAmounts.FromDecimal(0m), Invoiced = MoneyAmounts.FromDecimal(100m), Remaining = MoneyAmounts.FromDecimal(400m),
                },
                // A month that vouchers paid whole: nothing to invoice, nothing asked or invoiced.
                new InvoiceableSource
                {
                    SourceId = "mb_vouchers", Kind = InvoiceSourceKind.MonthlyBill, Year = 2026, Month = 10, Invoiceable = MoneyAmounts.FromDecimal(0m),
                    Pending = MoneyAmounts.FromDecimal(0m), Invoiced = MoneyAmounts.FromDecimal(0m), Remaining = MoneyAmounts.FromDecimal(0m),
                },
            },
        });
        Host.On<ListInvoicesRequest, ListInvoicesResponse>("InvoiceService/ListInvoices", _ => new ListInvoicesResponse { Invoices = { _invoices } });
    }

    [Fact]
    public async Task The_title_comes_from_the_certification_and_each_source_shows_its_balances()
    {
        await SignInBillingCenterAsync();
        var page = Render<InvoicesPage>();

        Assert.Contains("Acme Ltd", page.WaitForElement("[data-testid=invoice-title]").TextContent, StringComparison.Ordinal);
        var row = page.Find("[data-testid=invoiceable-sources] tr[data-id=card_1]");
        Assert.Contains("CNY\u00A0500.00", row.TextContent, StringComparison.Ordinal);
        Assert.Equal("CNY\u00A0400.00", row.QuerySelector("[data-testid=remaining]")!.TextContent);
        Assert.Empty(page.FindAll("[data-testid=invoiceable-sources] tr[data-id=mb_vouchers]"));
        PhoneCards.AssertEveryCellNamed(page, "invoiceable-sources");
        PhoneCards.AssertEveryCellNamed(page, "invoice-infos");
        Assert.All(Host.Calls, c => Assert.Equal(BillingCenterToken, c.Token));
    }

    [Fact]
    public void Each_mailing_address_names_its_fields_for_a_phone()
    {
        var editor = Render<MailingAddressEditor>(p => p.Add(x => x.Addresses,
            [new MailingAddress { MailingAddressId = "ma_1", Recipient = "Li Lei", Phone = "13800000000", Email = "li@example.com", Address = "1 West Lake Road" }]));

        PhoneCards.AssertEveryCellNamed(editor, "mailing-addresses");
    }

    [Fact]
    public async Task Invoices_beyond_the_first_page_are_read_with_the_hosts_page_token()
    {
        await SignInBillingCenterAsync();
        Host.On<ListInvoicesRequest, ListInvoicesResponse>("InvoiceService/ListInvoices", r => r.PageToken == ""
            ? new ListInvoicesResponse { Invoices = { Requested("inv_2", 20m) }, NextPageToken = "p2" }
            : new ListInvoicesResponse { Invoices = { Requested("inv_1", 10m) } });
        var page = Render<InvoicesPage>();

        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=invoice-state]")));
        page.Find("[data-testid=more-invoices]").Click();

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=invoice-state]").Count));
        var rows = page.FindAll("[data-testid=invoices] tbody tr").Select(r => r.TextContent).ToList();
        Assert.Contains("CNY\u00A020.00", rows[0], StringComparison.Ordinal);
        Assert.Contains("CNY\u00A010.00", rows[1], StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid=more-invoices]"));
        Assert.Equal(["", "p2"], Host.CallsOf<ListInvoicesRequest>("InvoiceService/ListInvoices").Select(r => r.PageToken));
    }

    private static Invoice Requested(string id, decimal amount) =>
        new() { InvoiceId = id, State = InvoiceState.Requested, Type = InvoiceType.ElectronicOrdinary, Email = "finance@acme.example", Amount = MoneyAmounts.FromDecimal(amount) };

    [Fact]
    public async Task Without_an_approved_certification_the_page_says_what_is_missing()
    {
        await SignInBillingCenterAsync();
        Host.On<GetBillingAccountRequest, GetBillingAccountResponse>("BillingAccountService/GetBillingAccount", _ => new GetBillingAccountResponse
        {
            BillingAccount = new BillingAccount { BillingAccountId = BillingAccountId, Certification = new EnterpriseCertification { State = CertificationState.Pending } },
        });
        var page = Render<InvoicesPage>();

        Assert.Contains("approved enterprise certification", page.WaitForElement("[data-testid=certification-required]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Editing_a_vat_special_information_shows_the_hosts_violation_next_to_the_bank_field()
    {
        await SignInBillingCenterAsync();
        _infos[0] = new InvoiceInfo { InvoiceInfoId = "ii_1", Type = InvoiceType.VatSpecial, BankName = "Bank", BankAccountNumber = "1", RegisteredAddress = "A", RegisteredPhone = "12345" };
        Host.On<UpdateInvoiceInfoRequest, UpdateInvoiceInfoResponse>("InvoiceService/UpdateInvoiceInfo",
            _ => throw FakeHost.BadRequest(("invoice_info.bank_account_number", "must be digits, spaces or '-'")));
        var page = Render<InvoicesPage>();

        page.WaitForElement("[data-testid=edit-invoice-info]").Click();
        page.Find("[data-testid=bank-account-number] input, input[data-testid=bank-account-number]").Change("12ab");
        page.Find("[data-testid=save-invoice-info]").Closest("form")!.Submit();

        Assert.Contains("must be digits", page.WaitForElement(".mud-input-helper-text.mud-input-error").TextContent, StringComparison.Ordinal);
        var sent = Host.CallsOf<UpdateInvoiceInfoRequest>("InvoiceService/UpdateInvoiceInfo").Single();
        Assert.Equal(("ii_1", "12ab"), (sent.InvoiceInfo.InvoiceInfoId, sent.InvoiceInfo.BankAccountNumber));
    }

    [Fact]
    public async Task An_amount_that_does_not_parse_is_explained_next_to_its_source_and_never_sent()
    {
        await SignInBillingCenterAsync();
        var page = Render<InvoicesPage>();

        page.WaitForElement("input[data-testid=pick-source], [data-testid=pick-source] input").Change(true);
        page.WaitForElement("[data-testid=source-amount] input, input[data-testid=source-amount]").Input("12.345");
        page.Find("[data-testid=request-invoice]").Closest("form")!.Submit();

        Assert.Contains("at most 2 decimals", page.WaitForElement(".mud-input-helper-text.mud-input-error").TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain(Host.Calls, c => c.Method == "InvoiceService/RequestInvoice");
    }

    [Theory]
    [InlineData("400.01", "More than the CNY\u00A0400.00 that remains to invoice.")]
    [InlineData("0", "Give an amount above zero, or leave it empty for all that remains.")]
    public async Task An_amount_beyond_what_remains_or_not_above_zero_is_explained_next_to_its_source_and_never_sent(string typed, string explained)
    {
        await SignInBillingCenterAsync();
        var page = Render<InvoicesPage>();

        page.WaitForElement("input[data-testid=pick-source], [data-testid=pick-source] input").Change(true);
        page.WaitForElement("[data-testid=source-amount] input, input[data-testid=source-amount]").Input(typed);
        page.Find("[data-testid=request-invoice]").Closest("form")!.Submit();

        Assert.Equal(explained, page.WaitForElement(".mud-input-helper-text.mud-input-error").TextContent.Trim());
        Assert.DoesNotContain(Host.Calls, c => c.Method == "InvoiceService/RequestInvoice");
    }

    [Fact]
    public async Task A_sources_box_and_amount_are_named_for_a_screen_reader()
    {
        await SignInBillingCenterAsync();
        var page = Render<InvoicesPage>();

        var box = page.WaitForElement("input[data-testid=pick-source], [data-testid=pick-source] input");
        Assert.StartsWith("Invoice ", NameOf(box));
        box.Change(true);
        var amount = page.WaitForElement("[data-testid=source-amount] input, input[data-testid=source-amount]");
        Assert.StartsWith("Amount to invoice of ", NameOf(amount));
        Assert.EndsWith(" (CNY)", NameOf(amount));
    }

    /// <summary>An input's accessible name as a screen reader takes it here: its own aria-label.</summary>
    private static string NameOf(AngleSharp.Dom.IElement input) => input.GetAttribute("aria-label") ?? "";

    [Fact]
    public async Task A_request_with_nothing_picked_says_what_to_pick_and_is_never_sent()
    {
        await SignInBillingCenterAsync();
        var page = Render<InvoicesPage>();

        page.WaitForElement("[data-testid=request-invoice]").Closest("form")!.Submit();

        Assert.Contains("Pick at least one monthly bill or prepaid card", page.WaitForElement("[data-testid=error]").TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("elements", page.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain(Host.Calls, c => c.Method == "InvoiceService/RequestInvoice");
    }

    [Fact]
    public async Task A_request_sends_exact_amounts_to_the_e_mail_address_and_reloads_the_balances()
    {
        await SignInBillingCenterAsync();
        Host.On<RequestInvoiceRequest, RequestInvoiceResponse>("InvoiceService/RequestInvoice", r =>
        {
            _invoices.Add(new Invoice { InvoiceId = "inv_1", State = InvoiceState.Requested, Type = InvoiceType.ElectronicOrdinary, Amount = r.Sources[0].Amount, Email = r.Email });
            return new RequestInvoiceResponse { Invoice = _invoices[0] };
        });
        var page = Render<InvoicesPage>();

        page.WaitForElement("input[data-testid=pick-source], [data-testid=pick-source] input").Change(true);
        page.WaitForElement("[data-testid=source-amount] input, input[data-testid=source-amount]").Input("120.50");
        page.Find("[data-testid=request-invoice]").Closest("form")!.Submit();

        page.WaitForAssertion(() => Assert.Equal("Requested", page.Find("[data-testid=invoice-state]").TextContent));
        var sent = Host.CallsOf<RequestInvoiceRequest>("InvoiceService/RequestInvoice").Single();
        Assert.Equal(("ii_1", "finance@acme.example", "", "card_1", 120L, 500_000_000), (sent.InvoiceInfoId, sent.Email, sent.MailingAddressId, sent.Sources[0].SourceId, sent.Sources[0].Amount.Units, sent.Sources[0].Amount.Nanos));
        Assert.NotEmpty(sent.RequestId);
        Assert.Equal(2, Host.Calls.Count(c => c.Method == "InvoiceService/ListInvoiceableSources"));
    }

    [Fact]
    public async Task A_pending_request_can_be_cancelled()
    {
        await SignInBillingCenterAsync();
        _invoices.Add(new Invoice { InvoiceId = "inv_1", State = InvoiceState.Requested, Type = InvoiceType.ElectronicOrdinary, Amount = MoneyAmounts.FromDecimal(10m) });
        Host.On<CancelInvoiceRequestRequest, CancelInvoiceRequestResponse>("InvoiceService/CancelInvoiceRequest", r =>
        {
            _invoices[0] = new Invoice(_invoices[0]) { State = InvoiceState.Cancelled };
            return new CancelInvoiceRequestResponse { Invoice = _invoices[0] };
        });
        var dialogs = Render<MudBlazor.MudDialogProvider>();
        var page = Render<InvoicesPage>();

        page.WaitForElement("[data-testid=cancel-invoice]").Click();
        // It asks first: a request withdrawn by a stray click would have to be made again.
        dialogs.WaitForAssertion(() => Assert.Contains("Cancel the invoice request?", dialogs.Markup, StringComparison.Ordinal));
        Assert.Empty(Host.CallsOf<CancelInvoiceRequestRequest>("InvoiceService/CancelInvoiceRequest"));
        dialogs.FindAll("button").Single(b => b.TextContent.Contains("Cancel it", StringComparison.Ordinal)).Click();

        page.WaitForAssertion(() => Assert.Equal("Cancelled", page.Find("[data-testid=invoice-state]").TextContent));
        Assert.Equal("inv_1", Host.CallsOf<CancelInvoiceRequestRequest>("InvoiceService/CancelInvoiceRequest").Single().InvoiceId);
    }

    [Fact]
    public async Task An_issued_invoices_pdf_is_fetched_in_chunks_and_handed_to_the_browser_as_one_file()
    {
        await SignInBillingCenterAsync();
        _invoices.Add(new Invoice { InvoiceId = "inv_1", State = InvoiceState.Issued, Type = InvoiceType.ElectronicOrdinary, InvoiceNumber = "E-0001", DocumentSize = 9, Amount = MoneyAmounts.FromDecimal(10m) });
        Host.OnStream<GetInvoiceDocumentRequest, GetInvoiceDocumentResponse>("InvoiceService/GetInvoiceDocument", _ =>
            [new GetInvoiceDocumentResponse { Data = ByteString.CopyFromUtf8("%PDF-") }, new GetInvoiceDocumentResponse { Data = ByteString.CopyFromUtf8("1.7\n") }]);
        var downloads = Downloads();
        var page = Render<InvoicesPage>();

        page.WaitForElement("[data-testid=download-invoice]").Click();

        page.WaitForAssertion(() => Assert.Single(downloads.Invocations["saveFile"]));
        Assert.Equal(("invoice-E-0001.pdf", "application/pdf", "%PDF-1.7\n"), SavedFile(downloads));
    }

    [Fact]
    public async Task A_document_the_host_refuses_is_explained_and_nothing_is_saved()
    {
        await SignInBillingCenterAsync();
        _invoices.Add(new Invoice { InvoiceId = "inv_1", State = InvoiceState.Issued, Type = InvoiceType.ElectronicOrdinary, InvoiceNumber = "E-0001", DocumentSize = 9, Amount = MoneyAmounts.FromDecimal(10m) });
        Host.OnStream<GetInvoiceDocumentRequest, GetInvoiceDocumentResponse>("InvoiceService/GetInvoiceDocument", _ =>
            throw FakeHost.Failure(Grpc.Core.StatusCode.NotFound, "NOT_FOUND", "Invoice inv_1 has no document."));
        var downloads = Downloads();
        var page = Render<InvoicesPage>();

        page.WaitForElement("[data-testid=download-invoice]").Click();

        Assert.Contains("has no document", page.WaitForElement("[data-testid=error]").TextContent, StringComparison.Ordinal);
        Assert.Empty(downloads.Invocations);
    }

    [Fact]
    public async Task Information_added_after_the_page_loaded_is_the_one_a_request_uses()
    {
        await SignInBillingCenterAsync();
        _infos.Clear();
        Host.On<CreateInvoiceInfoRequest, CreateInvoiceInfoResponse>("InvoiceService/CreateInvoiceInfo", r =>
        {
            _infos.Add(new InvoiceInfo(r.InvoiceInfo) { InvoiceInfoId = "ii_new" });
            return new CreateInvoiceInfoResponse { InvoiceInfo = _infos[0] };
        });
        Host.On<RequestInvoiceRequest, RequestInvoiceResponse>("InvoiceService/RequestInvoice", _ => new RequestInvoiceResponse { Invoice = new Invoice() });
        var page = Render<InvoicesPage>();

        page.WaitForElement("[data-testid=save-invoice-info]").Closest("form")!.Submit();
        page.WaitForAssertion(() => Assert.Contains("VAT ordinary", page.Find("[data-testid=invoice-infos] tbody").TextContent, StringComparison.Ordinal));
        page.Find("input[data-testid=pick-source], [data-testid=pick-source] input").Change(true);
        page.Find("[data-testid=request-invoice]").Closest("form")!.Submit();

        page.WaitForAssertion(() => Assert.Equal("ii_new", Host.CallsOf<RequestInvoiceRequest>("InvoiceService/RequestInvoice").Single().InvoiceInfoId));
    }

    [Fact]
    public async Task Information_submitted_twice_while_its_call_is_under_way_is_added_once()
    {
        await SignInBillingCenterAsync();
        var answer = new TaskCompletionSource<CreateInvoiceInfoResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        Host.OnAsync<CreateInvoiceInfoRequest, CreateInvoiceInfoResponse>("InvoiceService/CreateInvoiceInfo", _ => answer.Task);
        var page = Render<InvoicesPage>();

        var form = page.WaitForElement("[data-testid=save-invoice-info]").Closest("form")!;
        form.Submit();
        // A double click: the second submit comes before the first call has answered.
        page.Find("[data-testid=save-invoice-info]").Closest("form")!.Submit();
        answer.SetResult(new CreateInvoiceInfoResponse { InvoiceInfo = new InvoiceInfo { InvoiceInfoId = "ii_new" } });

        page.WaitForAssertion(() => Assert.False(page.Find("[data-testid=save-invoice-info]").HasAttribute("disabled")));
        Assert.Single(Host.CallsOf<CreateInvoiceInfoRequest>("InvoiceService/CreateInvoiceInfo"));
    }
}
