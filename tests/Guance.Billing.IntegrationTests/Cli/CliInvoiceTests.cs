using System.Text.Json;
using Guance.Billing.IntegrationTests.Invoices;
using Guance.Billing.V1;
using static Guance.Billing.IntegrationTests.Cli.CliScenario;

namespace Guance.Billing.IntegrationTests.Cli;

/// <summary>invoices: an account files its invoice information and requests invoices; the operator's desk issues, mails, reverses, rejects.</summary>
[Collection(CliCollection.Name)]
public sealed class CliInvoiceTests(CliHost fixture)
{
    [Fact]
    public async Task An_account_requests_invoices_and_the_operator_issues_mails_reverses_and_rejects_them()
    {
        var account = await fixture.BillingAccountAsync("invoices");
        var ba = account.BillingAccountId;
        var op = fixture.Host.OperatorToken!;
        await fixture.Host.Api(account.SessionToken).BillingAccounts.SubmitEnterpriseCertificationAsync(new SubmitEnterpriseCertificationRequest
        {
            BillingAccountId = ba, EnterpriseName = "ACME Ltd", TaxpayerId = "91310000775785552L",
        });
        await fixture.Host.Operator.BillingAccounts.ReviewEnterpriseCertificationAsync(new ReviewEnterpriseCertificationRequest { BillingAccountId = ba, Decision = CertificationDecision.Approve });
        var card = (await fixture.Host.Operator.BillingAccounts.IssuePrepaidCardAsync(new IssuePrepaidCardRequest
        {
            BillingAccountId = ba, FaceValue = new Money { CurrencyCode = "CNY", Units = 300 }, RequestId = Guid.NewGuid().ToString("N"),
            ExpireTime = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddDays(365)),
        })).PrepaidCard.PrepaidCardId;
        var cli = fixture.NewCli();
        var me = account.SessionToken;

        var special = await cli.RunAsync(As(me, "invoices", "info", "add", "-a", ba, "--type", "vat-special"));
        Assert.Equal(3, special.ExitCode);
        Assert.Contains("invoice_info.bank_name", special.Stderr);
        var electronic = await cli.RunAsync(As(me, "invoices", "info", "add", "-a", ba, "--type", "electronic-ordinary", "-o", "json"));
        electronic.Ok();
        var info = electronic.Json.At("invoiceInfo", "invoiceInfoId").GetString()!;
        var paperInfo = (await cli.RunAsync(As(me, "invoices", "info", "add", "-a", ba, "--type", "vat-ordinary", "-o", "json"))).Json.At("invoiceInfo", "invoiceInfoId").GetString()!;
        var address = await cli.RunAsync(As(me, "invoices", "address", "add", "-a", ba, "--recipient", "Li Lei", "--phone", "13800000000",
            "--email", "li@example.com", "--address", "1 West Lake Road", "-o", "json"));
        address.Ok();
        var addressId = address.Json.At("mailingAddress", "mailingAddressId").GetString()!;

        var sources = await cli.RunAsync(As(me, "invoices", "sources", "-a", ba));
        sources.Ok();
        Assert.Matches($@"{card}\s+│ prepaid-card-purchase\s+│\s+│\s+300\.00 CNY │\s+0\.00 CNY │\s+0\.00 CNY │\s+300\.00 CNY", sources.Stdout);

        var requested = await cli.RunAsync(As(me, "invoices", "request", "-a", ba, "--info", info, "--email", "li@example.com", "--source", $"{card}=120.50", "-o", "json"));
        requested.Ok();
        Assert.Equal(120.5m, requested.Json.At("invoice", "amount").Yuan());
        var electronicId = requested.Json.At("invoice", "invoiceId").GetString()!;

        var pdf = Path.Combine(fixture.ConfigDirectory, Guid.NewGuid().ToString("N") + ".pdf");
        Directory.CreateDirectory(fixture.ConfigDirectory);
        await File.WriteAllBytesAsync(pdf, InvoiceKit.Pdf);
        var day = await fixture.Host.Operator.TodayAsync();
        var today = $"{day.Year:D4}-{day.Month:D2}-{day.Day:D2}";
        var refused = await cli.RunAsync(As(me, "invoices", "issue", electronicId, "--number", "E-1", "--date", today, "--document", pdf));
        Assert.Equal(5, refused.ExitCode);
        var issued = await cli.RunAsync(As(op, "invoices", "issue", electronicId, "--number", "E-" + Guid.NewGuid().ToString("N")[..10], "--date", today, "--document", pdf));
        issued.Ok();
        Assert.Matches(@"State:\s+issued", issued.Stdout);
        var downloaded = pdf + ".copy.pdf";
        (await cli.RunAsync(As(me, "invoices", "download", electronicId, "--file", downloaded))).Ok();
        Assert.Equal(InvoiceKit.Pdf, await File.ReadAllBytesAsync(downloaded));

        var paper = await cli.RunAsync(As(me, "invoices", "request", "-a", ba, "--info", paperInfo, "--address", addressId, "--source", card, "-o", "json"));
        paper.Ok();
        Assert.Equal(179.5m, paper.Json.At("invoice", "amount").Yuan());
        var paperId = paper.Json.At("invoice", "invoiceId").GetString()!;
        (await cli.RunAsync(As(op, "invoices", "issue", paperId, "--number", "P-" + Guid.NewGuid().ToString("N")[..10], "--date", today))).Ok();
        var mailed = await cli.RunAsync(As(op, "invoices", "mail", paperId, "--carrier", "SF Express", "--tracking-number", "SF123"));
        mailed.Ok();
        Assert.Matches(@"Mailed:\s+SF Express SF123", mailed.Stdout);
        (await cli.RunAsync(As(op, "invoices", "reverse", paperId, "--red-letter-number", "R-1", "--reason", "Wrong address."))).Ok();

        var again = await cli.RunAsync(As(me, "invoices", "request", "-a", ba, "--info", info, "--email", "li@example.com", "--source", card, "-o", "json"));
        var againId = again.Json.At("invoice", "invoiceId").GetString()!;
        (await cli.RunAsync(As(op, "invoices", "reject", againId, "--reason", "Please split it."))).Ok();
        var last = await cli.RunAsync(As(me, "invoices", "request", "-a", ba, "--info", info, "--email", "li@example.com", "--source", card, "-o", "json"));
        var lastId = last.Json.At("invoice", "invoiceId").GetString()!;
        (await cli.RunAsync(As(me, "invoices", "cancel", lastId))).Ok();
        var cancelAgain = await cli.RunAsync(As(me, "invoices", "cancel", lastId));
        Assert.Equal(6, cancelAgain.ExitCode);
        Assert.Contains("(INVOICE_STATE_CONFLICT)", cancelAgain.Stderr);

        var list = await cli.RunAsync(As(me, "invoices", "list", "-a", ba, "--state", "issued", "reversed", "-o", "json"));
        list.Ok();
        Assert.Equal([electronicId, paperId], list.Json.GetProperty("invoices").EnumerateArray().Select(i => i.GetProperty("invoiceId").GetString()).Order());
        var shown = await cli.RunAsync(As(me, "invoices", "get", paperId));
        shown.Ok();
        Assert.Matches(@"State:\s+reversed", shown.Stdout);
        var verified = await cli.RunAsync(As(op, "invoices", "verify", "-a", ba));
        verified.Ok();
        Assert.Matches(@"Invoices:\s+clean", verified.Stdout);
    }
}
