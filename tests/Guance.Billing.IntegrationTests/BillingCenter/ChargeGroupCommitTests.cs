using Grpc.Core;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.V1;
using static Guance.Billing.IntegrationTests.Infrastructure.BillingCenterScenario;

namespace Guance.Billing.IntegrationTests.BillingCenter;

/// <summary>
/// Charge RPCs that arrive together are committed in groups (Wallets/ChargeWriter): every call is
/// answered with its own result after the commit, a refused call fails alone, a reference sent twice
/// at once is charged once, and the ledger and the balances stay exact.
/// </summary>
public sealed class ChargeGroupCommitTests : IClassFixture<BillingHost>
{
    private readonly BillingHost host;

    public ChargeGroupCommitTests(BillingHost host)
    {
        this.host = host;
        host.Settings["Guance:Wallet:ExpiryJobEnabled"] = "false";
    }

    private BillingAccountService.BillingAccountServiceClient Operator => host.Operator.BillingAccounts;

    [Fact]
    public async Task Concurrent_charges_of_many_accounts_are_each_answered_and_refusals_fail_alone()
    {
        var accounts = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            var account = await host.RegisterBillingAccountAsync($"group-{i}");
            await host.RechargeAsync(account.Id, 100m);
            accounts.Add(account.Id);
        }
        var used = await Operator.ChargeAsync(Charge(accounts[0], ("logs", 1m)));

        var good = Enumerable.Range(0, 40).Select(i => Charge(accounts[i % 4], ("logs", 2m), ("sms", 0.5m))).ToList();
        var reused = Charge(accounts[0], ("logs", 7m));
        reused.Reference = used.Result.Reference;
        var unknown = Charge(UnknownAccountId, ("logs", 1m));
        var answers = good.Select(r => Operator.ChargeAsync(r).ResponseAsync).ToList();
        var refusedReuse = Operator.ChargeAsync(reused).ResponseAsync;
        var refusedUnknown = Operator.ChargeAsync(unknown).ResponseAsync;

        var charged = await Task.WhenAll(answers);
        Assert.Equal(StatusCode.FailedPrecondition, (await Assert.ThrowsAsync<RpcException>(() => refusedReuse)).StatusCode);
        Assert.Equal(StatusCode.NotFound, (await Assert.ThrowsAsync<RpcException>(() => refusedUnknown)).StatusCode);
        for (var i = 0; i < good.Count; i++)
        {
            Assert.False(charged[i].Replayed);
            Assert.Equal(good[i].Reference, charged[i].Result.Reference);
            Assert.Equal(Yuan(2.5m), charged[i].Result.Total);
            Assert.Equal(Yuan(2.5m), charged[i].Result.Allocations.Aggregate(Zero, (sum, a) => Yuan(Decimal(sum) + Decimal(a.Amount))));
        }
        Assert.Equal(40, charged.Select(c => c.Result.TransactionId).Distinct().Count());
        Assert.Equal(Yuan(100m - 1m - 25m), (await host.WalletAsync(accounts[0])).Cash);
        foreach (var account in accounts.Skip(1))
        {
            Assert.Equal(Yuan(100m - 25m), (await host.WalletAsync(account)).Cash);
        }
        await host.AssertLedgerCleanAsync();
    }

    [Fact]
    public async Task A_reference_sent_twice_at_once_is_charged_once_and_both_calls_get_its_result()
    {
        var account = await host.RegisterBillingAccountAsync("twice");
        await host.RechargeAsync(account.Id, 100m);
        var requests = Enumerable.Range(0, 20).Select(_ => Charge(account.Id, ("logs", 3m))).ToList();
        var twins = requests.SelectMany(r => new[] { r, r.Clone() }).ToList();

        var answers = await Task.WhenAll(twins.Select(r => Operator.ChargeAsync(r).ResponseAsync));

        for (var i = 0; i < requests.Count; i++)
        {
            var pair = new[] { answers[2 * i], answers[2 * i + 1] };
            Assert.Equal(pair[0].Result.TransactionId, pair[1].Result.TransactionId);
            Assert.Single(pair, a => !a.Replayed);
            Assert.Equal(pair[0].Result.Allocations, pair[1].Result.Allocations);
        }
        Assert.Equal(Yuan(100m - 60m), (await host.WalletAsync(account.Id)).Cash);
        await host.AssertLedgerCleanAsync(account.Id);
    }

    private static decimal Decimal(Money money) => money.Units + money.Nanos / 1_000_000_000m;
}
