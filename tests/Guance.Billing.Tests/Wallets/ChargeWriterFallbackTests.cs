using System.Data.Common;
using Guance.Billing.Data;
using Guance.Billing.Wallets;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace Guance.Billing.Tests.Wallets;

/// <summary>
/// ChargeWriter's fall-back: when a group's transaction fails as a whole (here its commit, by a fault
/// injected once), nothing of it stays and each of its charges is charged again alone, so that every
/// caller still gets its own outcome and each charge is posted exactly once.
/// </summary>
public sealed class ChargeWriterFallbackTests
{
    [Fact]
    public async Task A_group_that_fails_as_a_whole_is_charged_again_one_charge_at_a_time()
    {
        var fault = new FailNextCommit();
        await using var bed = await WalletTestBed.CreateAsync(
            configure: services => services.ConfigureDbContext<BillingDbContext>(options => options.AddInterceptors(fault)));
        var accounts = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            var account = await bed.RegisterAsync();
            await bed.RechargeAsync(account, 50_00);
            accounts.Add(account);
        }
        var writer = bed.Services.GetRequiredService<ChargeWriter>();

        fault.Arm();
        var charges = accounts.SelectMany((account, a) => Enumerable.Range(0, 3).Select(i =>
            writer.ChargeAsync(new ChargeRequest(account, $"db_fallback_{a}_{i}", [new ChargeLine("logs", 1_00 * (i + 1))]), CancellationToken.None)));
        var outcomes = await Task.WhenAll(charges);

        Assert.Equal(1, fault.Failures);
        Assert.All(outcomes, o => Assert.False(o.Replayed));
        foreach (var account in accounts)
        {
            // 1 + 2 + 3 CNY, once each.
            Assert.Equal(50_00 - 6_00, (await bed.WalletAsync(account)).Available);
        }
        await bed.AssertLedgerCleanAsync();
    }

    [Fact]
    public async Task A_batch_whose_group_fails_is_charged_again_entry_by_entry_in_its_order_with_its_refusals()
    {
        var fault = new FailNextCommit();
        await using var bed = await WalletTestBed.CreateAsync(
            configure: services => services.ConfigureDbContext<BillingDbContext>(options => options.AddInterceptors(fault)));
        var account = await bed.RegisterAsync();
        await bed.RechargeAsync(account, 3_00);
        var writer = bed.Services.GetRequiredService<ChargeWriter>();
        ChargeRequest Entry(string id, string reference, long cents) => new(id, reference, [new ChargeLine("logs", cents)]);

        fault.Arm();
        var attempts = await writer.ChargeManyAsync(
            [Entry(account, "db_batch_1", 2_00), Entry("ba_01kb0000000000000000000000", "db_batch_2", 1_00), Entry(account, "db_batch_3", 2_00), Entry(account, "db_batch_1", 2_00)],
            CancellationToken.None);

        Assert.Equal(1, fault.Failures);
        Assert.Equal(FundingSource.Cash, Assert.Single(attempts[0].Outcome!.Result.Allocations).Source);
        Assert.Equal("BILLING_ACCOUNT_NOT_FOUND", attempts[1].Refusal!.Reason);
        // In order: the third entry finds 1 CNY of cash left, and the rest becomes arrears.
        Assert.Equal([FundingSource.Cash, FundingSource.Arrears], attempts[2].Outcome!.Result.Allocations.Select(a => a.Source));
        Assert.True(attempts[3].Outcome!.Replayed);
        Assert.Equal(attempts[0].Outcome!.Result.TransactionId, attempts[3].Outcome!.Result.TransactionId);
        Assert.Equal(1_00, (await bed.WalletAsync(account)).Arrears);
        await bed.AssertLedgerCleanAsync();
    }

    /// <summary>Fails the first transaction commit after <see cref="Arm"/>, before anything is committed.</summary>
    private sealed class FailNextCommit : DbTransactionInterceptor
    {
        private int _armed;
        private int _failures;

        public int Failures => Volatile.Read(ref _failures);

        public void Arm() => Volatile.Write(ref _armed, 1);

        public override ValueTask<InterceptionResult> TransactionCommittingAsync(
            DbTransaction transaction, TransactionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
        {
            if (Interlocked.Exchange(ref _armed, 0) == 1)
            {
                Interlocked.Increment(ref _failures);
                throw new InvalidOperationException("A fault injected into the group's commit.");
            }
            return ValueTask.FromResult(result);
        }
    }
}
