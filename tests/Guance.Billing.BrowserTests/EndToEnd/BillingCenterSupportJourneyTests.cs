using System.Text;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Guance.Billing.Client;
using Guance.Billing.IntegrationTests.Invoices;
using Guance.Billing.V1;
using Microsoft.Playwright;

namespace Guance.Billing.BrowserTests.EndToEnd;

/// <summary>
/// A billing-center user's invoice and ticket, in a real browser against the real host: with a
/// certified account and a prepaid card bought, the user adds invoice information, requests an
/// electronic invoice over the card, and once the operator has issued it (through the API) downloads
/// its PDF; then opens a ticket with an attachment, reads support's reply and closes the ticket.
/// </summary>
[Collection(ConsoleEndToEnd.Name)]
public sealed class BillingCenterSupportJourneyTests(ConsoleHost console)
{
    [Fact]
    public async Task A_billing_center_user_requests_an_invoice_downloads_it_and_closes_a_ticket_after_supports_reply()
    {
        var (username, accountId) = await CertifiedAccountWithCardAsync();
        await using var tab = await console.OpenAsync(nameof(A_billing_center_user_requests_an_invoice_downloads_it_and_closes_a_ticket_after_supports_reply));
        var page = tab.Page;
        await tab.SignInToBillingCenterAsync(username, ConsoleHost.Password);

        // Invoice information (electronic), then a request over the card's whole remaining balance.
        await page.GetByRole(AriaRole.Link, new() { Name = "Invoices" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=invoice-title]")).ToContainTextAsync("Acme Ltd");
        await page.Locator("[data-testid=invoice-type]").ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = "Electronic ordinary" }).ClickAsync();
        await page.Locator("[data-testid=save-invoice-info]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=invoice-infos] tbody")).ToContainTextAsync("Electronic ordinary");
        var card = page.Locator("[data-testid=invoiceable-sources] tbody tr").First;
        await Assertions.Expect(card.Locator("[data-testid=remaining]")).ToHaveTextAsync("CNY 500.00");
        await card.Locator("input[data-testid=pick-source], [data-testid=pick-source] input").First.CheckAsync();
        await Assertions.Expect(page.Locator("[data-testid=request-total]")).ToHaveTextAsync("Total: CNY 500.00");
        await tab.ScreenshotAsync("invoice-request");
        await page.Locator("[data-testid=request-invoice]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=invoice-state]")).ToHaveTextAsync("Requested");
        await Assertions.Expect(card.Locator("[data-testid=remaining]")).ToHaveTextAsync("CNY 0.00");

        // The operator issues it with its PDF; the user sees it issued and downloads the PDF.
        var invoice = (await console.Host.Operator.Invoices.ListInvoicesAsync(new ListInvoicesRequest { BillingAccountId = accountId })).Invoices.Single();
        await console.Host.Operator.Invoices.IssueInvoiceAsync(new IssueInvoiceRequest
        {
            InvoiceId = invoice.InvoiceId, RequestId = "e2e-issue", InvoiceNumber = "E2E-" + accountId[^8..].ToUpperInvariant(),
            IssueDate = await console.Host.Operator.TodayAsync(), Document = ByteString.CopyFrom(InvoiceKit.Pdf),
        });
        await page.GetByRole(AriaRole.Link, new() { Name = "Wallet" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Invoices" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=invoice-state]")).ToHaveTextAsync("Issued");
        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("[data-testid=download-invoice]").ClickAsync());
        Assert.Equal($"invoice-E2E-{accountId[^8..].ToUpperInvariant()}.pdf", download.SuggestedFilename);
        Assert.Equal(InvoiceKit.Pdf, await File.ReadAllBytesAsync(await download.PathAsync()));
        await tab.ScreenshotAsync("invoice-issued");

        // A ticket with an attachment.
        await page.GetByRole(AriaRole.Link, new() { Name = "Tickets" }).ClickAsync();
        await tab.Input("ticket-title").FillAsync("Invoice for the card");
        await page.Locator("textarea[data-testid=ticket-description], [data-testid=ticket-description] textarea").First.FillAsync("Please confirm the invoice was mailed.");
        await page.Locator("input[type=file]").SetInputFilesAsync(new FilePayload { Name = "card.txt", MimeType = "text/plain", Buffer = Encoding.UTF8.GetBytes("card receipt") });
        await Assertions.Expect(page.Locator("[data-testid=attached-file]")).ToContainTextAsync("card.txt");
        await tab.ScreenshotAsync("ticket-new");
        await page.Locator("[data-testid=submit-ticket]").ClickAsync();
        await page.WaitForURLAsync("**/billing-center/tickets/tk_*");
        await Assertions.Expect(page.Locator("[data-testid=ticket-state]")).ToHaveTextAsync("Waiting for assignment");
        await Assertions.Expect(page).ToHaveTitleAsync("Invoice for the card · Ticket · Guance billing center");
        await Assertions.Expect(page.Locator("[data-testid=download-attachment]")).ToContainTextAsync("card.txt");

        // Support accepts and replies through the API; the user reads the reply and closes the ticket.
        var ticketId = page.Url.Split('/')[^1];
        await console.Host.Operator.Tickets.AcceptTicketAsync(new AcceptTicketRequest { TicketId = ticketId });
        await console.Host.Operator.Tickets.ReplyToTicketAsync(new ReplyToTicketRequest { TicketId = ticketId, Text = "It is an electronic invoice: it was e-mailed.", RequestId = "e2e-reply" });
        await page.GetByRole(AriaRole.Link, new() { Name = "All tickets" }).ClickAsync();
        await page.Locator("[data-testid=ticket-link]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=support-message]")).ToContainTextAsync("it was e-mailed");
        await Assertions.Expect(page.Locator("[data-testid=ticket-state]")).ToHaveTextAsync("Feedback provided");
        await tab.ScreenshotAsync("ticket-reply");
        await page.Locator("[data-testid=close-ticket]").ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Close it" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=ticket-state]")).ToHaveTextAsync("Closed");
        await page.Locator(".mud-rating-item").Nth(4).ClickAsync();
        await page.Locator("[data-testid=rate]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=rating]")).ToContainTextAsync("5 of 5");
        await tab.ScreenshotAsync("ticket-closed");

        Assert.Empty(tab.Errors);
    }

    /// <summary>A billing account with an approved certification and a CNY 500 prepaid card bought (its purchase is invoiceable).</summary>
    private async Task<(string Username, string AccountId)> CertifiedAccountWithCardAsync()
    {
        var username = $"acme-{Guid.NewGuid():N}"[..20];
        var registered = await console.Host.Api().BillingAccounts.RegisterBillingAccountAsync(new RegisterBillingAccountRequest
        {
            Username = username, Password = ConsoleHost.Password, Email = $"{username}@example.com", DisplayName = "Acme Finance",
        });
        var accountId = registered.BillingAccount.BillingAccountId;
        await console.Host.Api(registered.Token).BillingAccounts.SubmitEnterpriseCertificationAsync(new SubmitEnterpriseCertificationRequest
        {
            BillingAccountId = accountId, EnterpriseName = "Acme Ltd", TaxpayerId = "91310000775785552L",
        });
        await console.Host.Operator.BillingAccounts.ReviewEnterpriseCertificationAsync(new ReviewEnterpriseCertificationRequest { BillingAccountId = accountId, Decision = CertificationDecision.Approve });
        var now = await console.NowAsync();
        await console.Host.Operator.BillingAccounts.IssuePrepaidCardAsync(new IssuePrepaidCardRequest
        {
            BillingAccountId = accountId, FaceValue = MoneyAmounts.FromDecimal(500m), ExpireTime = Timestamp.FromDateTimeOffset(now.AddYears(1)),
            RequestId = "e2e-card-" + accountId, PaymentReference = "transfer-1",
        });
        return (username, accountId);
    }
}
