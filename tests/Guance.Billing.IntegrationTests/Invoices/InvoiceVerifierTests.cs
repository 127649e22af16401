using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.V1;
using Microsoft.EntityFrameworkCore;

namespace Guance.Billing.IntegrationTests.Invoices;

/// <summary>VerifyInvoices names what the database lost or got wrong, and nothing on a clean account.</summary>
public sealed class InvoiceVerifierTests : IClassFixture<BillingHost>
{
    private readonly BillingHost host;

    public InvoiceVerifierTests(BillingHost host)
    {
        this.host = host;
        host.Settings["Guance:Wallet:ExpiryJobEnabled"] = "false";
    }

    [Fact]
    public async Task An_invoice_whose_amount_or_numbers_were_lost_is_named()
    {
        var account = await host.CertifiedAccountAsync("verify");
        var info = await account.CreateInfoAsync();
        async Task<Invoice> RequestAsync() =>
            await account.RequestAsync(InvoiceKit.Electronic(account, info, (await host.IssueCardAsync(account.Id, 100m)).PrepaidCardId));
        var reversed = await host.IssueAsync(await RequestAsync(), "v-0001");
        await host.Operator.Invoices.ReverseInvoiceAsync(new ReverseInvoiceRequest
        {
            InvoiceId = reversed.InvoiceId, RequestId = "v", RedLetterNumber = "v-r001", Reason = "Wrong title.",
        });
        var issued = await host.IssueAsync(await RequestAsync(), "V-0002");
        var requested = await RequestAsync();
        await host.AssertInvoicesCleanAsync(account.Id);

        await using (var db = host.Database.NewContext())
        {
            await db.TakenInvoiceNumbers.Where(n => n.Number == "V-R001" || n.Number == "V-0002").ExecuteDeleteAsync();
            await db.InvoiceLines.Where(l => l.InvoiceId == requested.InvoiceId).ExecuteUpdateAsync(s => s.SetProperty(l => l.Amount, l => l.Amount + 1));
        }

        var report = await host.Operator.Invoices.VerifyInvoicesAsync(new VerifyInvoicesRequest { BillingAccountId = account.Id });
        Assert.False(report.Clean);
        Assert.Equal(
            new[]
            {
                (InvoiceProblemKind.OverInvoiced, requested.Lines.Single().SourceId),
                (InvoiceProblemKind.AmountMismatch, requested.InvoiceId),
                (InvoiceProblemKind.StateMismatch, issued.InvoiceId),
                (InvoiceProblemKind.StateMismatch, reversed.InvoiceId),
            }.OrderBy(p => p.Item1).ThenBy(p => p.Item2, StringComparer.Ordinal),
            report.Problems.Select(p => (p.Kind, p.Subject)).OrderBy(p => p.Kind).ThenBy(p => p.Subject, StringComparer.Ordinal));
        Assert.Contains(report.Problems, p => p.Subject == issued.InvoiceId && p.Description.Contains("invoice number V-0002", StringComparison.Ordinal));
        Assert.Contains(report.Problems, p => p.Subject == reversed.InvoiceId && p.Description.Contains("red-letter number V-R001", StringComparison.Ordinal));
    }
}
