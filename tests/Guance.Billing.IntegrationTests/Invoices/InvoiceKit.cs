using System.Text;
using Grpc.Core;
using Guance.Billing.Data;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.IntegrationTests.MonthlyBills;
using Guance.Billing.IntegrationTests.Settlement;
using Guance.Billing.V1;
using Microsoft.Extensions.DependencyInjection;
using static Guance.Billing.IntegrationTests.Infrastructure.BillingCenterScenario;

namespace Guance.Billing.IntegrationTests.Invoices;

/// <summary>Invoices through the API, and daily bills seeded into the database to be charged through the real ledger.</summary>
public static class InvoiceKit
{
    /// <summary>A small, well-formed PDF.</summary>
    public static readonly byte[] Pdf = Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");

    /// <summary>A registered account with an approved certification, the way invoices need it.</summary>
    public static async Task<TestBillingAccount> CertifiedAccountAsync(this BillingHost host, string name = "inv")
    {
        var account = await host.RegisterBillingAccountAsync(name);
        await host.CertifyAsync(account);
        return account;
    }

    public static async Task<InvoiceInfo> CreateInfoAsync(this TestBillingAccount account, InvoiceType type = InvoiceType.ElectronicOrdinary) =>
        (await account.Api.Invoices.CreateInvoiceInfoAsync(new CreateInvoiceInfoRequest
        {
            BillingAccountId = account.Id,
            InvoiceInfo = type == InvoiceType.VatSpecial
                ? new InvoiceInfo { Type = type, BankName = "Bank of Hangzhou", BankAccountNumber = "6222 0000 1111", RegisteredAddress = "1 West Lake Road", RegisteredPhone = "+86 571 0000 0000" }
                : new InvoiceInfo { Type = type },
        })).InvoiceInfo;

    public static async Task<MailingAddress> CreateAddressAsync(this TestBillingAccount account) =>
        (await account.Api.Invoices.CreateMailingAddressAsync(new CreateMailingAddressRequest
        {
            BillingAccountId = account.Id,
            MailingAddress = new MailingAddress { Recipient = "Li Lei", Phone = "13800000000", Email = "finance@example.com", Address = "1 West Lake Road, Hangzhou" },
        })).MailingAddress;

    /// <summary>An electronic invoice request over the sources' whole remaining balances.</summary>
    public static RequestInvoiceRequest Electronic(TestBillingAccount account, InvoiceInfo info, params string[] sourceIds)
    {
        var request = new RequestInvoiceRequest
        {
            BillingAccountId = account.Id, RequestId = Guid.NewGuid().ToString("N"), InvoiceInfoId = info.InvoiceInfoId, Email = "finance@example.com",
        };
        request.Sources.Add(sourceIds.Select(id => new InvoiceSourceSelection { SourceId = id }));
        return request;
    }

    public static async Task<Invoice> RequestAsync(this TestBillingAccount account, RequestInvoiceRequest request) =>
        (await account.Api.Invoices.RequestInvoiceAsync(request)).Invoice;

    public static async Task<Invoice> IssueAsync(this BillingHost host, Invoice invoice, string? number = null) =>
        (await host.Operator.Invoices.IssueInvoiceAsync(new IssueInvoiceRequest
        {
            InvoiceId = invoice.InvoiceId,
            RequestId = Guid.NewGuid().ToString("N"),
            InvoiceNumber = number ?? "N" + Guid.NewGuid().ToString("N")[..12],
            IssueDate = await host.Operator.TodayAsync(),
            Document = invoice.Type == InvoiceType.ElectronicOrdinary ? Google.Protobuf.ByteString.CopyFrom(Pdf) : Google.Protobuf.ByteString.Empty,
        })).Invoice;

    /// <summary>Today in China (UTC+8) on the clock of the operator's host (a simulated one too): a day an invoice may be issued on.</summary>
    public static async Task<BillingDay> TodayAsync(this Api @operator)
    {
        var now = (await @operator.Settlement.GetClockAsync(new GetClockRequest())).Now.ToDateTimeOffset().ToOffset(TimeSpan.FromHours(8));
        return new BillingDay { Year = now.Year, Month = now.Month, Day = now.Day };
    }

    /// <summary>The account's sources by id.</summary>
    public static async Task<Dictionary<string, InvoiceableSource>> SourcesAsync(this TestBillingAccount account) =>
        (await account.Api.Invoices.ListInvoiceableSourcesAsync(new ListInvoiceableSourcesRequest { BillingAccountId = account.Id, PageSize = 1000 }))
            .Sources.ToDictionary(s => s.SourceId);

    /// <summary>VerifyInvoices finds nothing wrong (every account, or one).</summary>
    public static async Task AssertInvoicesCleanAsync(this BillingHost host, string? billingAccountId = null)
    {
        var report = await host.Operator.Invoices.VerifyInvoicesAsync(new VerifyInvoicesRequest { BillingAccountId = billingAccountId ?? "" });
        Assert.True(report.Clean, string.Join("; ", report.Problems.Select(p => $"{p.Kind} {p.Subject}: {p.Description}")));
    }

    /// <summary>
    /// A daily bill of the account on <paramref name="day"/> (cn1), charged through the real ledger by the
    /// operator's Charge with the bill's id as reference, as day close does; returns the bill's id.
    /// </summary>
    public static async Task<string> ChargeDayAsync(this BillingHost host, string billingAccountId, DateOnly day, string item, decimal amount, bool cloud = false)
    {
        var id = "db_" + Guid.NewGuid().ToString("N");
        var cents = (long)(amount * 100);
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BillingDbContext>();
            db.DailyBills.Add(new Billing.Settlement.DailyBill
            {
                Id = id, WorkspaceId = "ws_" + Guid.NewGuid().ToString("N"), BillingDay = day, SiteCode = "cn1", BillingAccountId = billingAccountId,
                Method = cloud ? Billing.Settlement.SettlementMethod.AlibabaCloud : Billing.Settlement.SettlementMethod.BillingCenter,
                PriceListId = "pl_seed", Total = cents, Status = Billing.Settlement.DailyBillStatus.Charged, CreatedAt = host.Clock.GetUtcNow(),
            });
            await db.SaveChangesAsync();
        }
        var charge = new ChargeRequest { BillingAccountId = billingAccountId, Reference = id, Mode = cloud ? ChargeMode.Cloud : ChargeMode.Wallet };
        charge.Lines.Add(new ChargeLine { ItemCode = item, Amount = Yuan(amount) });
        await host.Operator.BillingAccounts.ChargeAsync(charge);
        return id;
    }

    /// <summary>Closes every day of the month on cn1 and generates its monthly bills; returns the account's bill id.</summary>
    public static async Task<string> MonthlyBillIdAsync(this BillingHost host, TestBillingAccount account, int year, int month)
    {
        await host.SeedMonthAsync(account.Id, year, month, workspaces: 1, days: 0);
        await host.GenerateAsync(year, month);
        return (await account.Api.MonthlyBillAsync(account.Id, year, month)).MonthlyBillId;
    }

    /// <summary>An account whose October 2026 bill paid 12.34 in cash, and that bill's id.</summary>
    public static async Task<(TestBillingAccount Account, string BillId)> AccountWithCashBillAsync(this BillingHost host, decimal cash = 12.34m)
    {
        var account = await host.CertifiedAccountAsync();
        await host.RechargeAsync(account.Id, cash);
        await host.ChargeDayAsync(account.Id, new DateOnly(2026, 10, 5), "logs", cash);
        return (account, await host.MonthlyBillIdAsync(account, 2026, 10));
    }

    /// <summary>Downloads an invoice's document.</summary>
    public static async Task<byte[]> DocumentAsync(this Api api, string invoiceId)
    {
        using var call = api.Invoices.GetInvoiceDocument(new GetInvoiceDocumentRequest { InvoiceId = invoiceId });
        var bytes = new List<byte>();
        while (await call.ResponseStream.MoveNext(CancellationToken.None))
        {
            bytes.AddRange(call.ResponseStream.Current.Data);
        }
        return bytes.ToArray();
    }
}
