using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.V1;
using static Guance.Billing.IntegrationTests.Infrastructure.BillingCenterScenario;

namespace Guance.Billing.IntegrationTests.Invoices;

/// <summary>What may be invoiced, computed from the ledger (docs/domain.md §8, §6).</summary>
public sealed class InvoiceSourceTests : IClassFixture<BillingHost>
{
    private readonly BillingHost host;

    public InvoiceSourceTests(BillingHost host)
    {
        this.host = host;
        host.Settings["Guance:Wallet:ExpiryJobEnabled"] = "false";
    }

    [Fact]
    public async Task A_monthly_bill_invoices_what_cash_paid_at_once_and_later_never_vouchers_cards_or_the_cloud()
    {
        var account = await host.CertifiedAccountAsync();
        await host.GrantVoucherAsync(account.Id, 10m);
        var firstCard = await host.IssueCardAsync(account.Id, 100m);
        await host.RechargeAsync(account.Id, 30m);

        // 09-30: 150.00 of logs: voucher 10.00, card 100.00, cash 30.00, and 10.00 of arrears.
        await host.ChargeDayAsync(account.Id, new DateOnly(2026, 9, 30), "logs", 150m);
        // 10-01: 20.00, all arrears. Owed (oldest first): 09-30 10.00, 10-01 20.00.
        await host.ChargeDayAsync(account.Id, new DateOnly(2026, 10, 1), "logs", 20m);
        // A new card of 100 pays 30.00 of arrears first: 09-30's 10.00 and 10-01's 20.00, none of it cash.
        var secondCard = await host.IssueCardAsync(account.Id, 100m);
        // 10-02: 4.00 of SMS: the second card's 70.00 pays it. 10-03: 80.00 of logs: card 66.00, arrears 14.00.
        await host.ChargeDayAsync(account.Id, new DateOnly(2026, 10, 2), "sms", 4m);
        await host.ChargeDayAsync(account.Id, new DateOnly(2026, 10, 3), "logs", 80m);
        // 10-04: 3.00, arrears again. Owed: 10-03 14.00, 10-04 3.00.
        await host.ChargeDayAsync(account.Id, new DateOnly(2026, 10, 4), "logs", 3m);
        // Cash 8.00 pays 10-03's arrears (8.00 of 14.00); cash 12.00 pays 10-03's other 6.00 and 10-04's 3.00, 3.00 stays cash.
        await host.RechargeAsync(account.Id, 8m);
        await host.RechargeAsync(account.Id, 12m);
        // 10-05: 0.50 from cash. A cloud-settled workspace's 9.99 (10-06) goes to the cloud account.
        await host.ChargeDayAsync(account.Id, new DateOnly(2026, 10, 5), "logs", 0.5m);
        await host.ChargeDayAsync(account.Id, new DateOnly(2026, 10, 6), "logs", 9.99m, cloud: true);

        var september = await host.MonthlyBillIdAsync(account, 2026, 9);
        var october = await host.MonthlyBillIdAsync(account, 2026, 10);
        var sources = await account.SourcesAsync();

        // September: cash paid 30.00 at once; its 10.00 of arrears were paid by the second card.
        Assert.Equal(Yuan(30m), sources[september].Invoiceable);
        // October: 8.00 + 6.00 (10-03) + 3.00 (10-04) of arrears paid with cash, and 0.50 paid at once.
        Assert.Equal(Yuan(17.5m), sources[october].Invoiceable);
        Assert.Equal(Yuan(17.5m), sources[october].Remaining);
        Assert.Equal(InvoiceSourceKind.MonthlyBill, sources[october].Kind);
        Assert.Equal((2026, 10), (sources[october].Year, sources[october].Month));
        // The cards: their face values, from their purchase.
        Assert.Equal(Yuan(100m), sources[firstCard.PrepaidCardId].Invoiceable);
        Assert.Equal(Yuan(100m), sources[secondCard.PrepaidCardId].Invoiceable);
        Assert.Equal(InvoiceSourceKind.PrepaidCardPurchase, sources[secondCard.PrepaidCardId].Kind);
        // Cash in 50.00, cash left 3.00 - 0.50: what cash paid (47.50) is exactly what the bills invoice.
        Assert.Equal(Yuan(2.5m), (await host.WalletAsync(account.Id)).Cash);
        await host.AssertInvoicesCleanAsync(account.Id);
    }

    [Fact]
    public async Task A_cloud_settled_bill_contributes_nothing()
    {
        var account = await host.CertifiedAccountAsync();
        await host.RechargeAsync(account.Id, 100m);
        await host.ChargeDayAsync(account.Id, new DateOnly(2026, 8, 3), "logs", 42m, cloud: true);
        var august = await host.MonthlyBillIdAsync(account, 2026, 8);

        var sources = await account.SourcesAsync();
        Assert.Equal(Zero, sources[august].Invoiceable);
        var info = await account.CreateInfoAsync();
        var refused = await RpcAssert.Precondition(() => account.Api.Invoices.RequestInvoiceAsync(InvoiceKit.Electronic(account, info, august)), "INVOICE_BALANCE_EXCEEDED");
        Assert.Contains(refused.Violations, v => v.Description.EndsWith("has nothing left to invoice.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Only_sources_of_the_account_are_listed_and_paged()
    {
        var (account, bill) = await host.AccountWithCashBillAsync();
        var card = await host.IssueCardAsync(account.Id, 200m);
        var other = await host.CertifiedAccountAsync("other");
        await host.IssueCardAsync(other.Id, 300m);

        var first = await account.Api.Invoices.ListInvoiceableSourcesAsync(new ListInvoiceableSourcesRequest { BillingAccountId = account.Id, PageSize = 1 });
        Assert.Equal(bill, Assert.Single(first.Sources).SourceId);
        var second = await account.Api.Invoices.ListInvoiceableSourcesAsync(new ListInvoiceableSourcesRequest
        {
            BillingAccountId = account.Id, PageSize = 1, PageToken = first.NextPageToken,
        });
        Assert.Equal(card.PrepaidCardId, Assert.Single(second.Sources).SourceId);
        Assert.Equal("", second.NextPageToken);
    }
}
