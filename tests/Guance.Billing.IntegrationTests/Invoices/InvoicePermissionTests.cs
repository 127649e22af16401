using Grpc.Core;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.V1;
using static Guance.Billing.IntegrationTests.Infrastructure.BillingCenterScenario;

namespace Guance.Billing.IntegrationTests.Invoices;

/// <summary>
/// Who may call each RPC of InvoiceService: the account sees only its own (another account's ids are
/// NOT_FOUND), writes are the account's own session, reads also the operator, the desk the operator
/// only; console users and collector tokens are refused.
/// </summary>
public sealed class InvoicePermissionTests : IClassFixture<BillingHost>
{
    private readonly BillingHost host;

    public InvoicePermissionTests(BillingHost host)
    {
        this.host = host;
        host.Settings["Guance:Wallet:ExpiryJobEnabled"] = "false";
    }

    private const string AccountNotFound = "BILLING_ACCOUNT_NOT_FOUND";
    private const string InvoiceNotFound = "INVOICE_NOT_FOUND";

    [Fact]
    public async Task Every_rpc_admits_exactly_its_callers()
    {
        var today = await host.Operator.TodayAsync();
        var account = await host.CertifiedAccountAsync("perm");
        var card = await host.IssueCardAsync(account.Id, 1000m);
        var info = await account.CreateInfoAsync();
        var paper = await account.CreateInfoAsync(InvoiceType.VatOrdinary);
        var address = await account.CreateAddressAsync();
        async Task<Invoice> Requested(bool isPaper = false)
        {
            var request = InvoiceKit.Electronic(account, isPaper ? paper : info);
            if (isPaper)
            {
                request.Email = "";
                request.MailingAddressId = address.MailingAddressId;
            }
            request.Sources.Add(new InvoiceSourceSelection { SourceId = card.PrepaidCardId, Amount = Yuan(1m) });
            return await account.RequestAsync(request);
        }
        var issued = await host.IssueAsync(await Requested());
        var mask = new Google.Protobuf.WellKnownTypes.FieldMask { Paths = { "bank_name" } };
        string Fresh() => Guid.NewGuid().ToString("N");
        // A row's resource is made once: refused callers change nothing, so the allowed one finds it as made.
        Func<Task<string>> Once(Func<Task<string>> make)
        {
            Task<string>? made = null;
            return () => made ??= make();
        }
        var infoToDelete = Once(async () => (await account.CreateInfoAsync()).InvoiceInfoId);
        var addressToDelete = Once(async () => (await account.CreateAddressAsync()).MailingAddressId);
        var toCancel = Once(async () => (await Requested()).InvoiceId);
        var toIssue = Once(async () => (await Requested(isPaper: true)).InvoiceId);
        var toReject = Once(async () => (await Requested()).InvoiceId);
        var toMail = Once(async () => (await host.IssueAsync(await Requested(isPaper: true))).InvoiceId);
        var toReverse = Once(async () => (await host.IssueAsync(await Requested())).InvoiceId);

        var rows = new List<(string Rpc, BillingAccess Access, string NotFound, Func<Api, Task> Call)>
        {
            ("CreateInvoiceInfo", BillingAccess.AccountOnly, AccountNotFound, async api => await api.Invoices.CreateInvoiceInfoAsync(new CreateInvoiceInfoRequest
            {
                BillingAccountId = account.Id, InvoiceInfo = new InvoiceInfo { Type = InvoiceType.ElectronicOrdinary },
            })),
            ("ListInvoiceInfos", BillingAccess.AccountOrOperator, AccountNotFound, async api => await api.Invoices.ListInvoiceInfosAsync(new ListInvoiceInfosRequest { BillingAccountId = account.Id })),
            ("UpdateInvoiceInfo", BillingAccess.AccountOnly, "INVOICE_INFO_NOT_FOUND", async api => await api.Invoices.UpdateInvoiceInfoAsync(new UpdateInvoiceInfoRequest
            {
                InvoiceInfo = new InvoiceInfo { InvoiceInfoId = info.InvoiceInfoId, BankName = "B" }, UpdateMask = mask,
            })),
            ("DeleteInvoiceInfo", BillingAccess.AccountOnly, "INVOICE_INFO_NOT_FOUND", async api => await api.Invoices.DeleteInvoiceInfoAsync(new DeleteInvoiceInfoRequest
            {
                InvoiceInfoId = await infoToDelete(),
            })),
            ("CreateMailingAddress", BillingAccess.AccountOnly, AccountNotFound, async api => await api.Invoices.CreateMailingAddressAsync(new CreateMailingAddressRequest
            {
                BillingAccountId = account.Id, MailingAddress = address,
            })),
            ("ListMailingAddresses", BillingAccess.AccountOrOperator, AccountNotFound, async api => await api.Invoices.ListMailingAddressesAsync(new ListMailingAddressesRequest
            {
                BillingAccountId = account.Id,
            })),
            ("UpdateMailingAddress", BillingAccess.AccountOnly, "MAILING_ADDRESS_NOT_FOUND", async api => await api.Invoices.UpdateMailingAddressAsync(new UpdateMailingAddressRequest
            {
                MailingAddress = new MailingAddress { MailingAddressId = address.MailingAddressId, Recipient = "Han Meimei" },
                UpdateMask = new Google.Protobuf.WellKnownTypes.FieldMask { Paths = { "recipient" } },
            })),
            ("DeleteMailingAddress", BillingAccess.AccountOnly, "MAILING_ADDRESS_NOT_FOUND", async api => await api.Invoices.DeleteMailingAddressAsync(new DeleteMailingAddressRequest
            {
                MailingAddressId = await addressToDelete(),
            })),
            ("ListInvoiceableSources", BillingAccess.AccountOrOperator, AccountNotFound, async api => await api.Invoices.ListInvoiceableSourcesAsync(new ListInvoiceableSourcesRequest
            {
                BillingAccountId = account.Id,
            })),
            ("RequestInvoice", BillingAccess.AccountOnly, AccountNotFound, async api =>
            {
                var request = InvoiceKit.Electronic(account, info);
                request.Sources.Add(new InvoiceSourceSelection { SourceId = card.PrepaidCardId, Amount = Yuan(1m) });
                await api.Invoices.RequestInvoiceAsync(request);
            }),
            ("CancelInvoiceRequest", BillingAccess.AccountOnly, InvoiceNotFound, async api => await api.Invoices.CancelInvoiceRequestAsync(new CancelInvoiceRequestRequest
            {
                InvoiceId = await toCancel(), RequestId = Fresh(),
            })),
            ("ListInvoices", BillingAccess.AccountOrOperator, AccountNotFound, async api => await api.Invoices.ListInvoicesAsync(new ListInvoicesRequest { BillingAccountId = account.Id })),
            ("GetInvoice", BillingAccess.AccountOrOperator, InvoiceNotFound, async api => await api.Invoices.GetInvoiceAsync(new GetInvoiceRequest { InvoiceId = issued.InvoiceId })),
            ("GetInvoiceDocument", BillingAccess.AccountOrOperator, InvoiceNotFound, async api => Assert.Equal(InvoiceKit.Pdf, await api.DocumentAsync(issued.InvoiceId))),
            ("IssueInvoice", BillingAccess.OperatorOnly, "", async api => await api.Invoices.IssueInvoiceAsync(new IssueInvoiceRequest
            {
                InvoiceId = await toIssue(), RequestId = Fresh(), InvoiceNumber = "P" + Fresh()[..8],
                IssueDate = today,
            })),
            ("RejectInvoiceRequest", BillingAccess.OperatorOnly, "", async api => await api.Invoices.RejectInvoiceRequestAsync(new RejectInvoiceRequestRequest
            {
                InvoiceId = await toReject(), RequestId = Fresh(), Reason = "No.",
            })),
            ("MarkInvoiceMailed", BillingAccess.OperatorOnly, "", async api => await api.Invoices.MarkInvoiceMailedAsync(new MarkInvoiceMailedRequest
            {
                InvoiceId = await toMail(), RequestId = Fresh(), Carrier = "EMS", TrackingNumber = "E1",
            })),
            ("ReverseInvoice", BillingAccess.OperatorOnly, "", async api => await api.Invoices.ReverseInvoiceAsync(new ReverseInvoiceRequest
            {
                InvoiceId = await toReverse(), RequestId = Fresh(), RedLetterNumber = "R" + Fresh()[..8], Reason = "Wrong.",
            })),
            ("VerifyInvoices", BillingAccess.OperatorOnly, "", async api => await api.Invoices.VerifyInvoicesAsync(new VerifyInvoicesRequest { BillingAccountId = account.Id })),
        };
        var names = typeof(InvoiceService.InvoiceServiceBase).GetMethods().Where(m => m.DeclaringType == typeof(InvoiceService.InvoiceServiceBase)).Select(m => m.Name);
        Assert.Equal(names.Order(), rows.Select(r => r.Rpc).Order());

        var other = await host.CertifiedAccountAsync("other");
        var (console, collector) = await host.ConsoleAndCollectorAsync();
        foreach (var (rpc, access, notFound, call) in rows)
        {
            // Each refusal happens before anything changes, so each row's allowed callers run last.
            var refusedForOthers = access == BillingAccess.OperatorOnly ? "OPERATOR_REQUIRED" : "BILLING_CENTER_ONLY";
            await Refused(rpc, StatusCode.PermissionDenied, () => call(console), refusedForOthers);
            await Refused(rpc, StatusCode.PermissionDenied, () => call(collector), refusedForOthers);
            await Refused(rpc, StatusCode.Unauthenticated, () => call(host.Api()), "TOKEN_MISSING");
            if (access == BillingAccess.OperatorOnly)
            {
                await Refused(rpc, StatusCode.PermissionDenied, () => call(account.Api), "OPERATOR_REQUIRED");
                await Refused(rpc, StatusCode.PermissionDenied, () => call(other.Api), "OPERATOR_REQUIRED");
                await call(host.Operator);
                continue;
            }
            await Refused(rpc, StatusCode.NotFound, () => call(other.Api), notFound);
            if (access == BillingAccess.AccountOnly)
            {
                await Refused(rpc, StatusCode.PermissionDenied, () => call(host.Operator), "BILLING_SESSION_REQUIRED");
            }
            else
            {
                await call(host.Operator);
            }
            await call(account.Api);
        }
        await RpcAssert.Fails(StatusCode.NotFound, () => host.Operator.Invoices.ListInvoicesAsync(new ListInvoicesRequest { BillingAccountId = UnknownAccountId }),
            AccountNotFound);
        await host.AssertInvoicesCleanAsync();
    }

    private static async Task Refused(string rpc, StatusCode code, Func<Task> call, string reason)
    {
        var error = await Assert.ThrowsAsync<RpcException>(call);
        Assert.True(code == error.StatusCode, $"{rpc}: expected {code} {reason} but got {error.StatusCode}: {error.Status.Detail}");
        await RpcAssert.Fails(code, () => Task.FromException(error), reason);
    }
}
