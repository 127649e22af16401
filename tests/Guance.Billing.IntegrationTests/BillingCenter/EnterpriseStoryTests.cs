using Grpc.Core;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.IntegrationTests.Invoices;
using Guance.Billing.IntegrationTests.MonthlyBills;
using Guance.Billing.IntegrationTests.Settlement;
using Guance.Billing.IntegrationTests.Tickets;
using Guance.Billing.V1;
using static Guance.Billing.IntegrationTests.Infrastructure.BillingCenterScenario;
using static Guance.Billing.IntegrationTests.Settlement.SettlementLifeKit;
using static Guance.Billing.IntegrationTests.Usage.UsageTestKit;

namespace Guance.Billing.IntegrationTests.BillingCenter;

/// <summary>
/// One enterprise's first month and a half with the billing center, through the public API on the
/// host's simulated clock (China 1, UTC+8): nothing is called by hand but what the customer, its agent,
/// the operator and support would do; the day closes, the monthly bill and the ticket's automatic close
/// are the host's jobs. The figures, by hand:
/// <code>
/// every day Nov 1 .. Nov 30: 10,000,000 logs, retention 14 d (the commercial default), CN price 1.50
///   10,000,000 / 1,000,000 = 10.00 units × 1.50 = 15.00 a day; the month 30 × 15.00 = 450.00
/// Nov 1  recharge 200.00 cash, card bought 200.00 (deduction order: card, then cash)
/// Nov 1 .. Nov 13  card 13 × 15.00 = 195.00             card left   5.00
/// Nov 14           card 5.00 + cash 10.00                card left   0.00, cash 190.00
/// Nov 15 .. Nov 26 cash 12 × 15.00 = 180.00              cash left  10.00
/// Nov 27           cash 10.00 + arrears 5.00
/// Nov 28 .. Nov 30 arrears 3 × 15.00 = 45.00             arrears    50.00
/// Dec 1 recharge 100.00: 50.00 pays the arrears, 50.00 cash left
/// November's cash part: 10.00 + 180.00 + 10.00 (paid at the charges) + 50.00 (arrears paid in cash) = 250.00
/// the card's purchase: 200.00 (invoiced once, at its face value; what it paid is not invoiced again)
/// </code>
/// </summary>
public sealed class EnterpriseStoryTests : IDisposable
{
    private static readonly DateOnly November = new(2026, 11, 1);

    private readonly BillingHost host = new() { SimulatedClockStart = Local(11, 1, 9, 0) };

    public EnterpriseStoryTests() => host.LongLivedTokens();

    public void Dispose() => host.Dispose();

    [Fact]
    public async Task An_enterprise_registers_pays_for_a_month_gets_its_invoices_and_support()
    {
        // --- Nov 1 09:00: one step makes the console account, the billing account and a bound commercial workspace.
        var registration = await host.Api().Identity.RegisterCommercialAsync(new RegisterCommercialRequest
        {
            Email = "founder@acme.example", Password = Password, Username = "acme-cn", DisplayName = "Acme Founder",
            SiteCode = "cn1", WorkspaceName = "Production",
        });
        var account = new TestBillingAccount(registration.BillingAccount, registration.BillingToken, Password, host.Api(registration.BillingToken));
        var workspaceId = registration.Workspace.WorkspaceId;
        Assert.Equal(Plan.Commercial, registration.Workspace.Plan);
        Assert.Equal(account.Id, (await host.SettlementAsync(workspaceId)).BillingAccountId);

        // The money: a recharge by bank transfer and a prepaid card bought in the billing center.
        await host.RechargeAsync(account.Id, 200m);
        var card = await host.IssueCardAsync(account.Id, 200m, Local(12, 31, 23));
        var agent = host.Api((await host.Api(registration.Token).Workspaces.CreateCollectorTokenAsync(new CreateCollectorTokenRequest
        {
            WorkspaceId = workspaceId, DisplayName = "datakit",
        })).Token);

        // --- November: the agent reports 10,000,000 logs every day at 10:00; each day closes at 00:30 the next.
        long sequence = 0;
        for (var day = November; day.Month == 11; day = day.AddDays(1))
        {
            await host.AdvanceToAsync(day.At(10));
            await agent.ReportAsync("host-1", ++sequence, Record(BillingItem.Logs, 10_000_000, day.At(10)));
        }
        await host.AdvanceToAsync(Local(12, 1, 9));

        var bills = await host.BillsAsync(workspaceId, 2026, 11);
        Assert.Equal(30, bills.Count);
        Assert.All(bills, b => Assert.Equal([(BillingItem.Logs, 10_000_000L, "10.00", 1500L)], b.Lines.Select(l => (l.Item, l.Quantity, l.Units, l.Amount.Cents()))));
        var nov14 = bills.Single(b => b.Day.Day == 14);
        (long Cards, long Cash, long Arrears) Paid(DailyBill bill) => (bill.PaidByPrepaidCards.Cents(), bill.PaidByCash.Cents(), bill.Arrears.Cents());
        Assert.Equal((500L, 1000L, 0L), Paid(nov14));
        Assert.Equal((0L, 1000L, 500L), Paid(bills.Single(b => b.Day.Day == 27)));
        Assert.Equal((0L, 0L, 1500L), Paid(bills.Single(b => b.Day.Day == 30)));
        var wallet = await host.WalletAsync(account.Id);
        Cny(0, wallet.PrepaidCards, "cards at the end of November");
        Cny(0, wallet.Cash, "cash at the end of November");
        Cny(5000, wallet.Arrears, "arrears at the end of November");

        // --- Dec 1 09:00: a recharge of 100.00 pays the arrears first.
        await host.RechargeAsync(account.Id, 100m);
        wallet = await host.WalletAsync(account.Id);
        Cny(5000, wallet.Cash, "cash after the recharge");
        Cny(0, wallet.Arrears, "arrears after the recharge");

        // --- Dec 4: the monthly bill of November (generated from the 3rd on) has all 30 days.
        await host.AdvanceToAsync(Local(12, 4, 9));
        var monthly = await account.Api.MonthlyBillAsync(account.Id, 2026, 11);
        Cny(45000, monthly.Total, "November's monthly bill");

        // What may be invoiced, computed from the ledger: November's cash part and the card's purchase.
        await host.CertifyAsync(account);
        var sources = await account.SourcesAsync();
        Assert.Equal(2, sources.Count);
        Cny(25000, sources[monthly.MonthlyBillId].Invoiceable, "November's cash part");
        Cny(20000, sources[card.PrepaidCardId].Invoiceable, "the card's purchase");

        // A VAT special invoice, on paper, for the cash part; an electronic one for the card.
        var special = await account.CreateInfoAsync(InvoiceType.VatSpecial);
        var address = await account.CreateAddressAsync();
        var paper = new RequestInvoiceRequest
        {
            BillingAccountId = account.Id, RequestId = "nov-vat-special", InvoiceInfoId = special.InvoiceInfoId, MailingAddressId = address.MailingAddressId,
            Sources = { new InvoiceSourceSelection { SourceId = monthly.MonthlyBillId } },
        };
        var vat = await account.RequestAsync(paper);
        Cny(25000, vat.Amount, "the VAT special invoice");
        Assert.Equal((SettlementRulesKit.Enterprise, SettlementRulesKit.TaxpayerId), (vat.Title, vat.TaxpayerId)); // from the certification, never typed
        var electronic = await account.RequestAsync(InvoiceKit.Electronic(account, await account.CreateInfoAsync(), card.PrepaidCardId));
        Cny(20000, electronic.Amount, "the electronic invoice");

        // A second invoice of the same amount over the same bill is refused, and changes nothing.
        paper.RequestId = "nov-vat-special-again";
        paper.Sources[0].Amount = Yuan(250m);
        await RpcAssert.Fails(StatusCode.FailedPrecondition, () => account.Api.Invoices.RequestInvoiceAsync(paper).ResponseAsync, "INVOICE_BALANCE_EXCEEDED");
        Cny(25000, (await account.SourcesAsync())[monthly.MonthlyBillId].Pending, "still one invoice pending over November");

        // The operator issues both and mails the paper one.
        vat = await host.IssueAsync(vat, "VAT-2026-0001");
        electronic = await host.IssueAsync(electronic, "E-2026-0001");
        vat = (await host.Operator.Invoices.MarkInvoiceMailedAsync(new MarkInvoiceMailedRequest
        {
            InvoiceId = vat.InvoiceId, RequestId = "mail-1", Carrier = "SF Express", TrackingNumber = "SF1234567890",
        })).Invoice;
        Assert.Equal((InvoiceState.Mailed, InvoiceState.Issued), (vat.State, electronic.State));
        sources = await account.SourcesAsync();
        Assert.All(sources.Values, s => Cny(0, s.Remaining, $"{s.SourceId} left to invoice"));
        Cny(25000, sources[monthly.MonthlyBillId].Invoiced, "November invoiced");
        Cny(20000, sources[card.PrepaidCardId].Invoiced, "the card invoiced");
        Assert.Single(await host.NoticesAsync(account.Id, NotificationKind.InvoiceMailed));
        // The paper one's notice to the account; the electronic one's to the account and to the address it was requested to.
        Assert.Equal(3, (await host.NoticesAsync(account.Id, NotificationKind.InvoiceIssued)).Count);

        // --- Dec 4 10:00: a ticket about the invoice, with the PDF attached; support accepts and replies at 14:00.
        await host.AdvanceToAsync(Local(12, 4, 10));
        var ticket = await account.Api.CreateAsync(TicketKit.AccountTicket(account.Id, "Invoice VAT-2026-0001: the address", TicketType.Invoice,
            TicketKit.File("VAT-2026-0001.pdf", InvoiceKit.Pdf)));
        Assert.Equal(TicketState.WaitingForAssignment, ticket.State);
        await host.AcceptAsync(ticket.TicketId);
        await host.AdvanceToAsync(Local(12, 4, 14));
        ticket = await host.Operator.ReplyAsync(ticket.TicketId, "The invoice went to the registered address; SF1234567890 tracks it.");
        Assert.Equal(TicketState.FeedbackProvided, ticket.State);
        Assert.Single(await host.NoticesAsync(account.Id, NotificationKind.TicketReplied));
        var thread = await account.Api.Tickets.GetTicketAsync(new GetTicketRequest { TicketId = ticket.TicketId });
        var attachment = Assert.Single(thread.Messages[0].Attachments);
        Assert.Equal(InvoiceKit.Pdf, await account.Api.DownloadAsync(attachment.AttachmentId));

        // --- Dec 11: still open a minute before the 7 days; closed by the job when they have passed.
        await host.AdvanceToAsync(Local(12, 11, 13, 59));
        Assert.Equal(TicketState.FeedbackProvided, (await account.Api.GetAsync(ticket.TicketId)).State);
        await host.AdvanceToAsync(Local(12, 11, 14, 1));
        ticket = await account.Api.GetAsync(ticket.TicketId);
        Assert.Equal((TicketState.Closed, true), (ticket.State, ticket.ClosedAutomatically));
        Assert.Single(await host.NoticesAsync(account.Id, NotificationKind.TicketClosed));

        // Every cent accounted for: the ledger and the invoices verify clean; the wallet holds the 50.00 left.
        Cny(5000, (await host.WalletAsync(account.Id)).Cash, "cash at the end");
        await host.AssertLedgerCleanAsync(account.Id);
        await host.AssertInvoicesCleanAsync(account.Id);
    }
}
