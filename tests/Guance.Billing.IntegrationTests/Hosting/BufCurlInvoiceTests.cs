using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.IntegrationTests.Invoices;
using Guance.Billing.V1;

namespace Guance.Billing.IntegrationTests.Hosting;

/// <summary>The README's invoice section, call by call through <c>buf curl</c> and server reflection, against a host process.</summary>
public sealed class BufCurlInvoiceTests
{
    private const string Password = "correct horse battery";
    private const string Service = "guance.billing.v1.InvoiceService/";

    [Fact]
    public async Task The_readme_invoice_section_runs_against_a_host()
    {
        await using var host = await HostProcess.StartAsync(new HostProcessOptions { Settings = { ["Guance:Security:PasswordHashIterations"] = "1000" } });
        var s = host.Address;
        var op = host.OperatorToken!;
        var registered = await host.Api().BillingAccounts.RegisterBillingAccountAsync(new RegisterBillingAccountRequest
        {
            Username = "acme-invoices", Password = Password, Email = "finance@example.com",
        });
        var (ba, token) = (registered.BillingAccount.BillingAccountId, registered.Token);
        await host.Api(token).BillingAccounts.SubmitEnterpriseCertificationAsync(new SubmitEnterpriseCertificationRequest
        {
            BillingAccountId = ba, EnterpriseName = "ACME Ltd", TaxpayerId = "91310000775785552L",
        });
        await host.Operator.BillingAccounts.ReviewEnterpriseCertificationAsync(new ReviewEnterpriseCertificationRequest { BillingAccountId = ba, Decision = CertificationDecision.Approve });
        var card = (await host.Operator.BillingAccounts.IssuePrepaidCardAsync(new IssuePrepaidCardRequest
        {
            BillingAccountId = ba, FaceValue = new Money { CurrencyCode = "CNY", Units = 100 }, RequestId = "card-1",
            ExpireTime = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddDays(365)),
        })).PrepaidCard.PrepaidCardId;

        var info = (await BufCurl.CallAsync(s, Service + "CreateInvoiceInfo",
            $$$"""{"billing_account_id":"{{{ba}}}","invoice_info":{"type":"INVOICE_TYPE_ELECTRONIC_ORDINARY"}}""", token)).Json().GetProperty("invoiceInfo");
        var infoId = info.GetProperty("invoiceInfoId").GetString();
        var sources = (await BufCurl.CallAsync(s, Service + "ListInvoiceableSources", $$"""{"billing_account_id":"{{ba}}"}""", token)).Json().GetProperty("sources");
        Assert.Equal(card, Assert.Single(sources.EnumerateArray()).GetProperty("sourceId").GetString());
        var invoice = (await BufCurl.CallAsync(s, Service + "RequestInvoice",
            $$"""{"billing_account_id":"{{ba}}","request_id":"inv-2026-11-1","invoice_info_id":"{{infoId}}","email":"finance@example.com","sources":[{"source_id":"{{card}}"}]}""",
            token)).Json().GetProperty("invoice");
        Assert.Equal(("INVOICE_STATE_REQUESTED", "100"), (invoice.GetProperty("state").GetString(), invoice.GetProperty("amount").GetProperty("units").GetString()));
        var id = invoice.GetProperty("invoiceId").GetString();

        var pdf = Convert.ToBase64String(InvoiceKit.Pdf);
        var today = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8));
        var issued = (await BufCurl.CallAsync(s, Service + "IssueInvoice",
            $$"""{"invoice_id":"{{id}}","request_id":"issue-1","invoice_number":"E-0001","issue_date":{"year":{{today.Year}},"month":{{today.Month}},"day":{{today.Day}}},"document":"{{pdf}}"}""", op)).Json();
        Assert.Equal("INVOICE_STATE_ISSUED", issued.GetProperty("invoice").GetProperty("state").GetString());
        var document = (await BufCurl.CallAsync(s, Service + "GetInvoiceDocument", $$"""{"invoice_id":"{{id}}"}""", token)).Json();
        Assert.Equal(pdf, document.GetProperty("data").GetString());
    }
}
