using Grpc.Core;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.V1;
using static Guance.Billing.IntegrationTests.Infrastructure.BillingCenterScenario;

namespace Guance.Billing.IntegrationTests.Invoices;

/// <summary>
/// Concurrent requests over one source never invoice more than its balance (the account's lock); concurrent writes of
/// two accounts never give one number to two documents (the taken numbers' key).
/// </summary>
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

    [Fact]
    public async Task An_invoice_and_a_red_letter_invoice_issued_at_once_with_one_number_take_it_once()
    {
        var today = await host.Operator.TodayAsync();
        // Two accounts, so that their writes run side by side: each pair is a reversal of one's invoice and an issue of
        // the other's, with one number, sent at the same instant. The check before the insert sees neither, on
        // PostgreSQL, when they overlap; only the key tells the second.
        const int Pairs = 5; // the most requests that one account may have waiting
        var reversing = await host.CertifiedAccountAsync("reverse");
        var issuing = await host.CertifiedAccountAsync("issue");
        var (reverseInfo, issueInfo) = (await reversing.CreateInfoAsync(), await issuing.CreateInfoAsync());
        var toReverse = new List<Invoice>();
        var toIssue = new List<Invoice>();
        for (var i = 0; i < Pairs; i++)
        {
            toReverse.Add(await host.IssueAsync(await reversing.RequestAsync(InvoiceKit.Electronic(reversing, reverseInfo, (await host.IssueCardAsync(reversing.Id, 100m)).PrepaidCardId))));
            toIssue.Add(await issuing.RequestAsync(InvoiceKit.Electronic(issuing, issueInfo, (await host.IssueCardAsync(issuing.Id, 100m)).PrepaidCardId)));
        }

        using var start = new SemaphoreSlim(0);
        var calls = Enumerable.Range(0, Pairs).SelectMany(i => new[]
        {
            TakesAsync(start, () => host.Api(BillingHost.OperatorToken).Invoices.ReverseInvoiceAsync(new ReverseInvoiceRequest
            {
                InvoiceId = toReverse[i].InvoiceId, RequestId = $"v{i}", RedLetterNumber = $"RACE-{i}", Reason = "Wrong title.",
            }).ResponseAsync),
            TakesAsync(start, () => host.Api(BillingHost.OperatorToken).Invoices.IssueInvoiceAsync(new IssueInvoiceRequest
            {
                InvoiceId = toIssue[i].InvoiceId, RequestId = $"i{i}", InvoiceNumber = $"race-{i}", IssueDate = today,
                Document = Google.Protobuf.ByteString.CopyFrom(InvoiceKit.Pdf),
            }).ResponseAsync),
        }).ToList();
        start.Release(calls.Count);
        var took = await Task.WhenAll(calls);

        for (var i = 0; i < Pairs; i++)
        {
            Assert.True(took[2 * i] ^ took[(2 * i) + 1], $"RACE-{i}: the reversal took it {took[2 * i]}, the issue {took[(2 * i) + 1]}; exactly one may.");
        }
        await host.AssertInvoicesCleanAsync(reversing.Id);
        await host.AssertInvoicesCleanAsync(issuing.Id);
    }

    /// <summary>Whether the call took its number: true when it succeeded, false when it was refused INVOICE_NUMBER_TAKEN.</summary>
    private static async Task<bool> TakesAsync(SemaphoreSlim start, Func<Task> call)
    {
        await start.WaitAsync();
        try
        {
            await call();
            return true;
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.AlreadyExists)
        {
            Assert.Equal("INVOICE_NUMBER_TAKEN", e.GetRpcStatus()?.GetDetail<Google.Rpc.ErrorInfo>()?.Reason);
            return false;
        }
    }
}
