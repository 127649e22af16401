using Grpc.Core;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.V1;
using static Guance.Billing.IntegrationTests.Infrastructure.BillingCenterScenario;

namespace Guance.Billing.IntegrationTests.Invoices;

/// <summary>Concurrent requests over one source never invoice more than its balance (the account's lock).</summary>
public sealed class InvoiceConcurrencyTests : IClassFixture<BillingHost>
{
    private readonly BillingHost host;

    public InvoiceConcurrencyTests(BillingHost host)
    {
        this.host = host;
        host.Settings["Guance:Wallet:ExpiryJobEnabled"] = "false";
    }

    [Fact]
    public async Task Parallel_requests_over_one_source_take_exactly_its_balance()
    {
        var account = await host.CertifiedAccountAsync("race");
        var card = await host.IssueCardAsync(account.Id, 100m);
        var info = await account.CreateInfoAsync();

        // 24 requests of 30.00 each over a 100.00 card, each on its own channel: exactly 3 fit, and
        // the pending cap (5) is not what stops them.
        using var start = new SemaphoreSlim(0);
        var calls = Enumerable.Range(0, 24).Select(_ => Task.Run(async () =>
        {
            var api = host.Api(account.Token);
            var request = InvoiceKit.Electronic(account, info);
            request.Sources.Add(new InvoiceSourceSelection { SourceId = card.PrepaidCardId, Amount = Yuan(30m) });
            await start.WaitAsync();
            try
            {
                return (await api.Invoices.RequestInvoiceAsync(request)).Invoice;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.FailedPrecondition)
            {
                return null;
            }
        })).ToList();
        start.Release(calls.Count);
        var results = await Task.WhenAll(calls);

        Assert.Equal(3, results.Count(r => r is not null));
        var source = (await account.SourcesAsync())[card.PrepaidCardId];
        Assert.Equal((Yuan(90m), Yuan(10m)), (source.Pending, source.Remaining));
        await host.AssertInvoicesCleanAsync(account.Id);
    }
}
