using Grpc.Core;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.IntegrationTests.Settlement;
using Guance.Billing.IntegrationTests.Webhooks;
using Guance.Billing.V1;
using static Guance.Billing.IntegrationTests.Infrastructure.BillingCenterScenario;

namespace Guance.Billing.IntegrationTests.Invoices;

/// <summary>Requests, the states of docs/domain.md §8, what each returns to the sources, notices and retries.</summary>
public sealed class InvoiceLifecycleTests : IClassFixture<BillingHost>
{
    private readonly BillingHost host;

    public InvoiceLifecycleTests(BillingHost host)
    {
        this.host = host;
        host.Settings["Guance:Wallet:ExpiryJobEnabled"] = "false";
    }

    [Fact]
    public async Task An_electronic_invoice_is_requested_issued_downloaded_and_reversed_and_the_amount_comes_back()
    {
        var (account, bill) = await host.AccountWithCashBillAsync(12.34m);
        var card = await host.IssueCardAsync(account.Id, 100m);
        var info = await account.CreateInfoAsync();
        var request = InvoiceKit.Electronic(account, info, bill);
        request.Sources.Add(new InvoiceSourceSelection { SourceId = card.PrepaidCardId, Amount = Yuan(40m) });
        await account.CreateEndpointAsync(kinds: [NotificationKind.InvoiceIssued, NotificationKind.InvoiceReversed]);

        var requested = await account.RequestAsync(request);
        Assert.Equal(InvoiceState.Requested, requested.State);
        Assert.Equal(Yuan(52.34m), requested.Amount);
        Assert.Equal(SettlementRulesKit.Enterprise, requested.Title);
        Assert.Equal(SettlementRulesKit.TaxpayerId, requested.TaxpayerId);
        var sources = await account.SourcesAsync();
        Assert.Equal((Yuan(12.34m), Zero), (sources[bill].Pending, sources[bill].Remaining));
        Assert.Equal((Yuan(40m), Yuan(60m)), (sources[card.PrepaidCardId].Pending, sources[card.PrepaidCardId].Remaining));
        await host.AssertInvoicesCleanAsync(account.Id);

        var issued = await host.IssueAsync(requested, "E-2026-0001");
        Assert.Equal(InvoiceState.Issued, issued.State);
        Assert.Equal(InvoiceKit.Pdf.Length, issued.DocumentSize);
        Assert.Equal(InvoiceKit.Pdf, await account.Api.DocumentAsync(issued.InvoiceId));
        sources = await account.SourcesAsync();
        Assert.Equal((Zero, Yuan(12.34m)), (sources[bill].Pending, sources[bill].Invoiced));
        await host.AssertInvoicesCleanAsync(account.Id);

        await RpcAssert.Precondition(() => host.Operator.Invoices.MarkInvoiceMailedAsync(new MarkInvoiceMailedRequest
        {
            InvoiceId = issued.InvoiceId, RequestId = "mail-1", Carrier = "SF", TrackingNumber = "SF1",
        }), "INVOICE_NOT_PAPER");
        await RpcAssert.Precondition(() => account.Api.Invoices.CancelInvoiceRequestAsync(new CancelInvoiceRequestRequest
        {
            InvoiceId = issued.InvoiceId, RequestId = "cancel-1",
        }), "INVOICE_STATE_CONFLICT");

        var reversed = (await host.Operator.Invoices.ReverseInvoiceAsync(new ReverseInvoiceRequest
        {
            InvoiceId = issued.InvoiceId, RequestId = "reverse-1", RedLetterNumber = "R-2026-0001", Reason = "Wrong amount.",
        })).Invoice;
        Assert.Equal(InvoiceState.Reversed, reversed.State);
        sources = await account.SourcesAsync();
        Assert.Equal((Zero, Yuan(12.34m)), (sources[bill].Invoiced, sources[bill].Remaining));
        Assert.Equal(Yuan(100m), sources[card.PrepaidCardId].Remaining);
        await host.AssertInvoicesCleanAsync(account.Id);

        // Reversed is final; the amount can be invoiced again.
        await RpcAssert.Precondition(() => host.Operator.Invoices.ReverseInvoiceAsync(new ReverseInvoiceRequest
        {
            InvoiceId = issued.InvoiceId, RequestId = "reverse-2", RedLetterNumber = "R-2026-0002", Reason = "Again.",
        }), "INVOICE_STATE_CONFLICT");
        var again = await account.RequestAsync(InvoiceKit.Electronic(account, info, bill));
        Assert.Equal(Yuan(12.34m), again.Amount);
        await host.AssertInvoicesCleanAsync(account.Id);

        var notices = await host.Operator.BillingAccounts.ListNotificationsAsync(new ListNotificationsRequest
        {
            BillingAccountId = account.Id, Kinds = { NotificationKind.InvoiceIssued, NotificationKind.InvoiceReversed },
        });
        // Issued and reversed: to the account and to the address the electronic invoice was requested to.
        var expected = new[]
        {
            (NotificationKind.InvoiceIssued, account.Account.Email), (NotificationKind.InvoiceIssued, "finance@example.com"),
            (NotificationKind.InvoiceReversed, account.Account.Email), (NotificationKind.InvoiceReversed, "finance@example.com"),
        };
        Assert.Equal(expected.Order(), notices.Notifications.Select(n => (n.Kind, n.Recipient)).Order());
        // The account's webhook endpoint gets each notice once: with the account's copy, not with the invoice address's.
        Assert.All(notices.Notifications, n => Assert.Equal(n.Recipient == account.Account.Email ? 1 : 0,
            n.Channels.Where(c => c.Channel == NotificationChannel.Webhook).Sum(c => c.Pending + c.Sent + c.Failed)));
        Assert.All(notices.Notifications, n => Assert.Equal(issued.InvoiceId, n.Reference));
    }

    [Fact]
    public async Task A_paper_invoice_is_issued_then_mailed_with_notices_and_cannot_be_issued_twice()
    {
        var today = await host.Operator.TodayAsync();
        var (account, bill) = await host.AccountWithCashBillAsync(50m);
        var info = await account.CreateInfoAsync(InvoiceType.VatSpecial);
        var address = await account.CreateAddressAsync();
        var request = InvoiceKit.Electronic(account, info, bill);
        request.Email = "";
        request.MailingAddressId = address.MailingAddressId;
        var requested = await account.RequestAsync(request);
        Assert.Equal(("Li Lei", "1 West Lake Road, Hangzhou", "Bank of Hangzhou"), (requested.Recipient, requested.Address, requested.BankName));

        // A paper invoice takes no document; with none it is issued.
        await RpcAssert.InvalidFields(() => host.Operator.Invoices.IssueInvoiceAsync(new IssueInvoiceRequest
        {
            InvoiceId = requested.InvoiceId, RequestId = "issue-doc", InvoiceNumber = "P-1", IssueDate = today,
            Document = Google.Protobuf.ByteString.CopyFrom(InvoiceKit.Pdf),
        }), "document");
        var issued = await host.IssueAsync(requested, "P-1");
        await RpcAssert.Precondition(() => host.Operator.Invoices.IssueInvoiceAsync(new IssueInvoiceRequest
        {
            InvoiceId = requested.InvoiceId, RequestId = "issue-again", InvoiceNumber = "P-2", IssueDate = today,
        }), "INVOICE_STATE_CONFLICT");
        await RpcAssert.Fails(StatusCode.FailedPrecondition, () => account.Api.DocumentAsync(issued.InvoiceId), "INVOICE_DOCUMENT_MISSING");

        var mail = new MarkInvoiceMailedRequest { InvoiceId = issued.InvoiceId, RequestId = "mail-1", Carrier = "SF Express", TrackingNumber = "SF100200300" };
        var mailed = (await host.Operator.Invoices.MarkInvoiceMailedAsync(mail)).Invoice;
        Assert.Equal((InvoiceState.Mailed, "SF Express", "SF100200300"), (mailed.State, mailed.Carrier, mailed.TrackingNumber));
        // A retry of the same change returns the invoice; the same request id for another change is refused.
        Assert.Equal(mailed, (await host.Operator.Invoices.MarkInvoiceMailedAsync(mail)).Invoice);
        mail.TrackingNumber = "SF999";
        await RpcAssert.Precondition(() => host.Operator.Invoices.MarkInvoiceMailedAsync(mail), "REQUEST_ID_REUSED");
        mail.RequestId = "mail-2";
        await RpcAssert.Precondition(() => host.Operator.Invoices.MarkInvoiceMailedAsync(mail), "INVOICE_STATE_CONFLICT");

        // A mailed invoice can still be reversed.
        await host.Operator.Invoices.ReverseInvoiceAsync(new ReverseInvoiceRequest
        {
            InvoiceId = issued.InvoiceId, RequestId = "reverse", RedLetterNumber = "R-P-1", Reason = "Returned by the customer.",
        });
        var notices = await host.Operator.BillingAccounts.ListNotificationsAsync(new ListNotificationsRequest { BillingAccountId = account.Id });
        Assert.Equal(1, notices.Notifications.Count(n => n.Kind == NotificationKind.InvoiceMailed));
        Assert.Equal(1, notices.Notifications.Count(n => n.Kind == NotificationKind.InvoiceIssued));
        Assert.Equal(1, notices.Notifications.Count(n => n.Kind == NotificationKind.InvoiceReversed));
        await host.AssertInvoicesCleanAsync(account.Id);
    }

    [Fact]
    public async Task Cancelling_or_rejecting_a_request_returns_the_amount_and_ends_it()
    {
        var today = await host.Operator.TodayAsync();
        var (account, bill) = await host.AccountWithCashBillAsync(30m);
        var info = await account.CreateInfoAsync();
        var part = InvoiceKit.Electronic(account, info);
        part.Sources.Add(new InvoiceSourceSelection { SourceId = bill, Amount = Yuan(10m) });
        var first = await account.RequestAsync(part);
        var second = await account.RequestAsync(InvoiceKit.Electronic(account, info, bill));
        Assert.Equal(Yuan(20m), second.Amount);
        Assert.Equal(Zero, (await account.SourcesAsync())[bill].Remaining);

        var cancelled = (await account.Api.Invoices.CancelInvoiceRequestAsync(new CancelInvoiceRequestRequest { InvoiceId = first.InvoiceId, RequestId = "c1" })).Invoice;
        Assert.Equal(InvoiceState.Cancelled, cancelled.State);
        Assert.Equal(Yuan(10m), (await account.SourcesAsync())[bill].Remaining);
        var rejected = (await host.Operator.Invoices.RejectInvoiceRequestAsync(new RejectInvoiceRequestRequest
        {
            InvoiceId = second.InvoiceId, RequestId = "r1", Reason = "The title must match the contract.",
        })).Invoice;
        Assert.Equal((InvoiceState.Rejected, "The title must match the contract."), (rejected.State, rejected.RejectReason));
        Assert.Equal(Yuan(30m), (await account.SourcesAsync())[bill].Remaining);

        foreach (var ended in new[] { first, second })
        {
            await RpcAssert.Precondition(() => host.Operator.Invoices.IssueInvoiceAsync(new IssueInvoiceRequest
            {
                InvoiceId = ended.InvoiceId, RequestId = "i2", InvoiceNumber = "X-1", IssueDate = today,
                Document = Google.Protobuf.ByteString.CopyFrom(InvoiceKit.Pdf),
            }), "INVOICE_STATE_CONFLICT");
            await RpcAssert.Precondition(() => account.Api.Invoices.CancelInvoiceRequestAsync(new CancelInvoiceRequestRequest { InvoiceId = ended.InvoiceId, RequestId = "c2" }),
                "INVOICE_STATE_CONFLICT");
            await RpcAssert.Precondition(() => host.Operator.Invoices.RejectInvoiceRequestAsync(new RejectInvoiceRequestRequest
            {
                InvoiceId = ended.InvoiceId, RequestId = "r2", Reason = "no",
            }), "INVOICE_STATE_CONFLICT");
            await RpcAssert.Precondition(() => host.Operator.Invoices.ReverseInvoiceAsync(new ReverseInvoiceRequest
            {
                InvoiceId = ended.InvoiceId, RequestId = "v2", RedLetterNumber = "R1", Reason = "no",
            }), "INVOICE_STATE_CONFLICT");
        }
        var notices = await host.Operator.BillingAccounts.ListNotificationsAsync(new ListNotificationsRequest
        {
            BillingAccountId = account.Id, Kinds = { NotificationKind.InvoiceRejected },
        });
        Assert.Equal(second.InvoiceId, Assert.Single(notices.Notifications).Reference);
        var listed = await account.Api.Invoices.ListInvoicesAsync(new ListInvoicesRequest { BillingAccountId = account.Id, States = { InvoiceState.Cancelled } });
        Assert.Equal(first.InvoiceId, Assert.Single(listed.Invoices).InvoiceId);
        await host.AssertInvoicesCleanAsync(account.Id);
    }

    [Fact]
    public async Task A_retried_request_returns_the_first_invoice_and_a_reused_request_id_is_refused()
    {
        var (account, bill) = await host.AccountWithCashBillAsync(20m);
        var info = await account.CreateInfoAsync();
        var request = InvoiceKit.Electronic(account, info, bill);
        var first = await account.RequestAsync(request);
        Assert.Equal(first, await account.RequestAsync(request));
        Assert.Single((await account.Api.Invoices.ListInvoicesAsync(new ListInvoicesRequest { BillingAccountId = account.Id })).Invoices);

        request.Email = "other@example.com";
        await RpcAssert.Precondition(() => account.Api.Invoices.RequestInvoiceAsync(request), "REQUEST_ID_REUSED");
        await host.AssertInvoicesCleanAsync(account.Id);
    }

    [Fact]
    public async Task Requests_are_refused_beyond_the_balance_the_pending_cap_and_without_certification()
    {
        var (account, bill) = await host.AccountWithCashBillAsync(10m);
        var info = await account.CreateInfoAsync();
        var tooMuch = InvoiceKit.Electronic(account, info);
        tooMuch.Sources.Add(new InvoiceSourceSelection { SourceId = bill, Amount = Yuan(10.01m) });
        var failure = await RpcAssert.Precondition(() => account.Api.Invoices.RequestInvoiceAsync(tooMuch), "INVOICE_BALANCE_EXCEEDED");
        await RpcAssert.Fails(StatusCode.NotFound, () => account.Api.Invoices.RequestInvoiceAsync(
            InvoiceKit.Electronic(account, info, "card_01kb0000000000000000000000")), "INVOICE_SOURCE_NOT_FOUND");

        for (var i = 0; i < 5; i++)
        {
            var one = InvoiceKit.Electronic(account, info);
            one.Sources.Add(new InvoiceSourceSelection { SourceId = bill, Amount = Yuan(1m) });
            await account.RequestAsync(one);
        }
        var sixth = InvoiceKit.Electronic(account, info);
        sixth.Sources.Add(new InvoiceSourceSelection { SourceId = bill, Amount = Yuan(1m) });
        await RpcAssert.Precondition(() => account.Api.Invoices.RequestInvoiceAsync(sixth), "TOO_MANY_PENDING_INVOICES");

        var uncertified = await host.RegisterBillingAccountAsync("nocert");
        await RpcAssert.Precondition(() => uncertified.Api.Invoices.CreateInvoiceInfoAsync(new CreateInvoiceInfoRequest
        {
            BillingAccountId = uncertified.Id, InvoiceInfo = new InvoiceInfo { Type = InvoiceType.VatOrdinary },
        }), "CERTIFICATION_REQUIRED");
        await host.AssertInvoicesCleanAsync(account.Id);
    }

    [Fact]
    public async Task Invoice_information_and_addresses_are_created_updated_listed_deleted_and_capped()
    {
        var account = await host.CertifiedAccountAsync();
        var info = await account.CreateInfoAsync(InvoiceType.VatOrdinary);
        var updated = (await account.Api.Invoices.UpdateInvoiceInfoAsync(new UpdateInvoiceInfoRequest
        {
            InvoiceInfo = new InvoiceInfo
            {
                InvoiceInfoId = info.InvoiceInfoId, Type = InvoiceType.VatSpecial, BankName = "B", BankAccountNumber = "123", RegisteredAddress = "A", RegisteredPhone = "0571 1234",
            },
            UpdateMask = new Google.Protobuf.WellKnownTypes.FieldMask { Paths = { "type", "bank_name", "bank_account_number", "registered_address", "registered_phone" } },
        })).InvoiceInfo;
        Assert.Equal((InvoiceType.VatSpecial, "B"), (updated.Type, updated.BankName));
        // Turning it into VAT special without the bank data is refused, field by field.
        var plain = await account.CreateInfoAsync(InvoiceType.VatOrdinary);
        await RpcAssert.InvalidFields(() => account.Api.Invoices.UpdateInvoiceInfoAsync(new UpdateInvoiceInfoRequest
        {
            InvoiceInfo = new InvoiceInfo { InvoiceInfoId = plain.InvoiceInfoId, Type = InvoiceType.VatSpecial },
            UpdateMask = new Google.Protobuf.WellKnownTypes.FieldMask { Paths = { "type" } },
        }), "invoice_info.bank_name", "invoice_info.bank_account_number", "invoice_info.registered_address", "invoice_info.registered_phone");

        var address = await account.CreateAddressAsync();
        var moved = (await account.Api.Invoices.UpdateMailingAddressAsync(new UpdateMailingAddressRequest
        {
            MailingAddress = new MailingAddress { MailingAddressId = address.MailingAddressId, Address = "2 Lake Road" },
            UpdateMask = new Google.Protobuf.WellKnownTypes.FieldMask { Paths = { "address" } },
        })).MailingAddress;
        Assert.Equal(("2 Lake Road", "Li Lei"), (moved.Address, moved.Recipient));

        for (var i = 2; i < 20; i++)
        {
            await account.CreateInfoAsync();
        }
        await RpcAssert.Precondition(() => account.Api.Invoices.CreateInvoiceInfoAsync(new CreateInvoiceInfoRequest
        {
            BillingAccountId = account.Id, InvoiceInfo = new InvoiceInfo { Type = InvoiceType.ElectronicOrdinary },
        }), "TOO_MANY_INVOICE_INFOS");
        await account.Api.Invoices.DeleteInvoiceInfoAsync(new DeleteInvoiceInfoRequest { InvoiceInfoId = plain.InvoiceInfoId });
        var infos = await host.Operator.Invoices.ListInvoiceInfosAsync(new ListInvoiceInfosRequest { BillingAccountId = account.Id });
        Assert.Equal(19, infos.InvoiceInfos.Count);
        Assert.DoesNotContain(infos.InvoiceInfos, i => i.InvoiceInfoId == plain.InvoiceInfoId);

        for (var i = 1; i < 20; i++)
        {
            await account.CreateAddressAsync();
        }
        await RpcAssert.Precondition(() => account.Api.Invoices.CreateMailingAddressAsync(new CreateMailingAddressRequest
        {
            BillingAccountId = account.Id, MailingAddress = new MailingAddress { Recipient = "X", Phone = "12345", Email = "x@example.com", Address = "Y" },
        }), "TOO_MANY_MAILING_ADDRESSES");
        await account.Api.Invoices.DeleteMailingAddressAsync(new DeleteMailingAddressRequest { MailingAddressId = address.MailingAddressId });
        Assert.Equal(19, (await account.Api.Invoices.ListMailingAddressesAsync(new ListMailingAddressesRequest { BillingAccountId = account.Id })).MailingAddresses.Count);
    }
}
