using Google.Protobuf;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.V1;
using static Guance.Billing.IntegrationTests.Infrastructure.BillingCenterScenario;

namespace Guance.Billing.IntegrationTests.Invoices;

/// <summary>Bad input names exactly the bad fields and changes nothing.</summary>
public sealed class InvoiceValidationTests : IClassFixture<BillingHost>
{
    private static readonly BillingDay Day = new() { Year = 2026, Month = 11, Day = 2 };
    private readonly BillingHost host;

    public InvoiceValidationTests(BillingHost host)
    {
        this.host = host;
        host.Settings["Guance:Wallet:ExpiryJobEnabled"] = "false";
    }

    [Fact]
    public async Task Invoice_information_and_addresses_name_their_bad_fields()
    {
        var account = await host.CertifiedAccountAsync();
        var invoices = account.Api.Invoices;
        await RpcAssert.InvalidFields(() => invoices.CreateInvoiceInfoAsync(new CreateInvoiceInfoRequest
        {
            BillingAccountId = account.Id, InvoiceInfo = new InvoiceInfo { Type = InvoiceType.VatSpecial },
        }), "invoice_info.bank_name", "invoice_info.bank_account_number", "invoice_info.registered_address", "invoice_info.registered_phone");
        await RpcAssert.InvalidFields(() => invoices.CreateInvoiceInfoAsync(new CreateInvoiceInfoRequest { BillingAccountId = account.Id }), "invoice_info.type");
        await RpcAssert.InvalidFields(() => invoices.CreateInvoiceInfoAsync(new CreateInvoiceInfoRequest
        {
            BillingAccountId = "ba_x",
            InvoiceInfo = new InvoiceInfo { Type = InvoiceType.VatOrdinary, BankName = new string('b', 101), BankAccountNumber = "12a", RegisteredPhone = "call me" },
        }), "billing_account_id", "invoice_info.bank_name", "invoice_info.bank_account_number", "invoice_info.registered_phone");
        await RpcAssert.InvalidFields(() => invoices.CreateMailingAddressAsync(new CreateMailingAddressRequest { BillingAccountId = account.Id }),
            "mailing_address.recipient", "mailing_address.phone", "mailing_address.email", "mailing_address.address");
        await RpcAssert.InvalidFields(() => invoices.CreateMailingAddressAsync(new CreateMailingAddressRequest
        {
            BillingAccountId = account.Id,
            MailingAddress = new MailingAddress { Recipient = new string('r', 65), Phone = "12", Email = "no-at", Address = "x\u0001" },
        }), "mailing_address.recipient", "mailing_address.phone", "mailing_address.email", "mailing_address.address");
        await RpcAssert.InvalidFields(() => invoices.UpdateInvoiceInfoAsync(new UpdateInvoiceInfoRequest
        {
            InvoiceInfo = new InvoiceInfo(), UpdateMask = new Google.Protobuf.WellKnownTypes.FieldMask { Paths = { "title" } },
        }), "invoice_info.invoice_info_id", "update_mask");
        await RpcAssert.InvalidFields(() => invoices.UpdateMailingAddressAsync(new UpdateMailingAddressRequest
        {
            MailingAddress = new MailingAddress { MailingAddressId = "ma_01kb0000000000000000000000", Email = "bad" },
            UpdateMask = new Google.Protobuf.WellKnownTypes.FieldMask { Paths = { "email" } },
        }), "mailing_address.email");
        await RpcAssert.InvalidFields(() => invoices.DeleteInvoiceInfoAsync(new DeleteInvoiceInfoRequest()), "invoice_info_id");
        await RpcAssert.InvalidFields(() => invoices.DeleteMailingAddressAsync(new DeleteMailingAddressRequest { MailingAddressId = "ii_x" }), "mailing_address_id");
        Assert.Empty((await invoices.ListInvoiceInfosAsync(new ListInvoiceInfosRequest { BillingAccountId = account.Id })).InvoiceInfos);
        Assert.Empty((await invoices.ListMailingAddressesAsync(new ListMailingAddressesRequest { BillingAccountId = account.Id })).MailingAddresses);
    }

    [Fact]
    public async Task Requests_name_their_bad_fields_and_change_nothing()
    {
        var (account, bill) = await host.AccountWithCashBillAsync(10m);
        var electronic = await account.CreateInfoAsync();
        var paper = await account.CreateInfoAsync(InvoiceType.VatOrdinary);
        var invoices = account.Api.Invoices;

        await RpcAssert.InvalidFields(() => invoices.RequestInvoiceAsync(new RequestInvoiceRequest { BillingAccountId = account.Id }),
            "request_id", "invoice_info_id", "sources");
        var bad = InvoiceKit.Electronic(account, electronic);
        bad.Email = "not an address";
        bad.MailingAddressId = "ma_bad";
        bad.Sources.Add(new InvoiceSourceSelection { SourceId = "ws_01kb0000000000000000000000" });
        bad.Sources.Add(new InvoiceSourceSelection { SourceId = bill, Amount = Yuan(-1m) });
        bad.Sources.Add(new InvoiceSourceSelection { SourceId = bill });
        bad.Sources.Add(new InvoiceSourceSelection { SourceId = "" });
        bad.Sources.Add(new InvoiceSourceSelection { SourceId = "card_01kb0000000000000000000000", Amount = new Money { CurrencyCode = "USD", Units = 1 } });
        await RpcAssert.InvalidFields(() => invoices.RequestInvoiceAsync(bad),
            "email", "mailing_address_id", "sources[0].source_id", "sources[1].amount", "sources[2].source_id", "sources[3].source_id", "sources[4].amount.currency_code");
        var many = InvoiceKit.Electronic(account, electronic, Enumerable.Range(0, 51).Select(_ => bill).ToArray());
        await RpcAssert.InvalidFields(() => invoices.RequestInvoiceAsync(many), "sources");

        // Delivery follows the information's type.
        var noEmail = InvoiceKit.Electronic(account, electronic, bill);
        noEmail.Email = "";
        await RpcAssert.InvalidFields(() => invoices.RequestInvoiceAsync(noEmail), "email");
        var paperByMail = InvoiceKit.Electronic(account, paper, bill);
        await RpcAssert.InvalidFields(() => invoices.RequestInvoiceAsync(paperByMail), "mailing_address_id", "email");

        Assert.Empty((await invoices.ListInvoicesAsync(new ListInvoicesRequest { BillingAccountId = account.Id })).Invoices);
        Assert.Equal(Yuan(10m), (await account.SourcesAsync())[bill].Remaining);
        await RpcAssert.InvalidFields(() => invoices.ListInvoicesAsync(new ListInvoicesRequest
        {
            BillingAccountId = account.Id, PageSize = -1, PageToken = "nope", States = { (InvoiceState)42 },
        }), "page_size", "page_token", "states");
        await RpcAssert.InvalidFields(() => invoices.CancelInvoiceRequestAsync(new CancelInvoiceRequestRequest { InvoiceId = "inv" }), "invoice_id", "request_id");
        await RpcAssert.InvalidFields(() => invoices.GetInvoiceAsync(new GetInvoiceRequest()), "invoice_id");
    }

    [Fact]
    public async Task The_desk_names_bad_fields_and_takes_a_pdf_of_up_to_10_mb()
    {
        var (account, bill) = await host.AccountWithCashBillAsync(10m);
        var invoice = await account.RequestAsync(InvoiceKit.Electronic(account, await account.CreateInfoAsync(), bill));
        var desk = host.Operator.Invoices;

        var empty = await RpcAssert.InvalidFields(() => desk.IssueInvoiceAsync(new IssueInvoiceRequest()), "invoice_id", "request_id", "invoice_number", "issue_date");
        Assert.StartsWith("is required", empty.FieldViolations.Single(v => v.Field == "issue_date").Description);
        var malformed = await RpcAssert.InvalidFields(() => desk.IssueInvoiceAsync(new IssueInvoiceRequest
        {
            InvoiceId = invoice.InvoiceId, RequestId = "i1", InvoiceNumber = "No 1", IssueDate = new BillingDay { Year = 2026, Month = 2, Day = 30 },
            Document = ByteString.CopyFromUtf8("<html>not a pdf</html>"),
        }), "invoice_number", "issue_date", "document");
        // February 30 is given, only not a day: the caller is told so, not that the date is missing.
        Assert.StartsWith("must be a calendar date", malformed.FieldViolations.Single(v => v.Field == "issue_date").Description);
        var tooLarge = new byte[10 * 1024 * 1024 + 1];
        InvoiceKit.Pdf.CopyTo(tooLarge, 0);
        await RpcAssert.InvalidFields(() => desk.IssueInvoiceAsync(new IssueInvoiceRequest
        {
            InvoiceId = invoice.InvoiceId, RequestId = "i2", InvoiceNumber = "E-1", IssueDate = Day, Document = ByteString.CopyFrom(tooLarge),
        }), "document");
        // An electronic invoice needs its document.
        await RpcAssert.InvalidFields(() => desk.IssueInvoiceAsync(new IssueInvoiceRequest
        {
            InvoiceId = invoice.InvoiceId, RequestId = "i3", InvoiceNumber = "E-1", IssueDate = Day,
        }), "document");
        await RpcAssert.InvalidFields(() => desk.RejectInvoiceRequestAsync(new RejectInvoiceRequestRequest { InvoiceId = invoice.InvoiceId, RequestId = "r", Reason = " " }), "reason");
        await RpcAssert.InvalidFields(() => desk.MarkInvoiceMailedAsync(new MarkInvoiceMailedRequest { InvoiceId = invoice.InvoiceId, RequestId = "m" }), "carrier", "tracking_number");
        await RpcAssert.InvalidFields(() => desk.ReverseInvoiceAsync(new ReverseInvoiceRequest
        {
            InvoiceId = invoice.InvoiceId, RequestId = "v", RedLetterNumber = new string('9', 65),
        }), "red_letter_number", "reason");
        // An invoice is dated between its request and today: not years ahead, not before it was asked for.
        foreach (var (day, tag) in new[] { (new BillingDay { Year = 2030, Month = 1, Day = 1 }, "future"), (new BillingDay { Year = 2026, Month = 10, Day = 31 }, "past") })
        {
            var bad = await RpcAssert.InvalidFields(() => desk.IssueInvoiceAsync(new IssueInvoiceRequest
            {
                InvoiceId = invoice.InvoiceId, RequestId = "d-" + tag, InvoiceNumber = "E-DATE", IssueDate = day, Document = ByteString.CopyFrom(InvoiceKit.Pdf),
            }), "issue_date");
            Assert.Matches(@"^must be a day from 2026-11-0\d to 2026-11-0\d \(from the invoice's request to today, on any time zone's calendar\), not 20", bad.FieldViolations.Single().Description);
        }
        Assert.Equal(InvoiceState.Requested, (await desk.GetInvoiceAsync(new GetInvoiceRequest { InvoiceId = invoice.InvoiceId })).Invoice.State);

        var largest = new byte[10 * 1024 * 1024];
        InvoiceKit.Pdf.CopyTo(largest, 0);
        largest[^1] = 7;
        var issued = (await desk.IssueInvoiceAsync(new IssueInvoiceRequest
        {
            InvoiceId = invoice.InvoiceId, RequestId = "i4", InvoiceNumber = "E-10MB", IssueDate = Day, Document = ByteString.CopyFrom(largest),
        })).Invoice;
        Assert.Equal(largest.Length, issued.DocumentSize);
        Assert.Equal(largest, await account.Api.DocumentAsync(invoice.InvoiceId));

        // An invoice number is unique.
        var next = await account.RequestAsync(InvoiceKit.Electronic(account, await account.CreateInfoAsync(), (await host.IssueCardAsync(account.Id, 100m)).PrepaidCardId));
        await RpcAssert.Fails(Grpc.Core.StatusCode.AlreadyExists, () => desk.IssueInvoiceAsync(new IssueInvoiceRequest
        {
            InvoiceId = next.InvoiceId, RequestId = "i5", InvoiceNumber = "E-10MB", IssueDate = Day, Document = ByteString.CopyFrom(InvoiceKit.Pdf),
        }), "INVOICE_NUMBER_TAKEN");
        // In any case: numbers are kept in upper case.
        await RpcAssert.Fails(Grpc.Core.StatusCode.AlreadyExists, () => desk.IssueInvoiceAsync(new IssueInvoiceRequest
        {
            InvoiceId = next.InvoiceId, RequestId = "i6", InvoiceNumber = "e-10mb", IssueDate = Day, Document = ByteString.CopyFrom(InvoiceKit.Pdf),
        }), "INVOICE_NUMBER_TAKEN");

        // Invoice numbers and red-letter numbers are one series: a red-letter invoice cannot take an invoice's number
        // (its own invoice's either), nor an invoice a red-letter number.
        await RpcAssert.Fails(Grpc.Core.StatusCode.AlreadyExists, () => desk.ReverseInvoiceAsync(new ReverseInvoiceRequest
        {
            InvoiceId = invoice.InvoiceId, RequestId = "v1", RedLetterNumber = "E-10MB", Reason = "Wrong title.",
        }), "INVOICE_NUMBER_TAKEN");
        var reversed = (await desk.ReverseInvoiceAsync(new ReverseInvoiceRequest
        {
            InvoiceId = invoice.InvoiceId, RequestId = "v2", RedLetterNumber = "r-0004", Reason = "Wrong title.",
        })).Invoice;
        Assert.Equal("R-0004", reversed.RedLetterNumber);
        await RpcAssert.Fails(Grpc.Core.StatusCode.AlreadyExists, () => desk.IssueInvoiceAsync(new IssueInvoiceRequest
        {
            InvoiceId = next.InvoiceId, RequestId = "i7", InvoiceNumber = "R-0004", IssueDate = Day, Document = ByteString.CopyFrom(InvoiceKit.Pdf),
        }), "INVOICE_NUMBER_TAKEN");
        var issuedNext = (await desk.IssueInvoiceAsync(new IssueInvoiceRequest
        {
            InvoiceId = next.InvoiceId, RequestId = "i8", InvoiceNumber = "e-0002", IssueDate = Day, Document = ByteString.CopyFrom(InvoiceKit.Pdf),
        })).Invoice;
        Assert.Equal("E-0002", issuedNext.InvoiceNumber);
        await host.AssertInvoicesCleanAsync(account.Id);
    }
}
