using Guance.Billing.Common;
using Guance.Billing.Data;
using Guance.Billing.Wallets;
using Microsoft.Extensions.DependencyInjection;

namespace Guance.Billing.Tests.Wallets;

/// <summary>
/// ChargeEngine.ChargeAllAsync, the one wallet write that daily settlement makes for a billing
/// account's bills of a day: the same charges, in the same order, with the same results as one
/// write per charge, and the same idempotency.
/// </summary>
public sealed class ChargeBatchTests
{
    private static readonly (string Item, long Cents)[][] Bills =
    [
        [("logs", 2_000), ("sms", 300)],
        [("time_series", 4_500)],
        [("logs", 1_000), ("traces", 2_500), ("sms", 700)],
        [("traces", 9_000)],
        [("logs", 1_200)],
    ];

    private static ChargeRequest Request(string account, string reference, (string Item, long Cents)[] lines) =>
        new(account, reference, lines.Select(l => new ChargeLine(l.Item, l.Cents)).ToList());

    private static Task<IReadOnlyList<ChargeOutcome>> ChargeAllAsync(WalletTestBed bed, string account, params ChargeRequest[] requests) =>
        bed.InScopeAsync(s => s.GetRequiredService<ChargeEngine>().ChargeAllAsync(account, requests, CancellationToken.None));

    private static async Task<string> FundedAccountAsync(WalletTestBed bed)
    {
        var account = await bed.RegisterAsync();
        await bed.GrantVoucherAsync(account, 30, TimeSpan.FromDays(30));
        await bed.IssueCardAsync(account, 100, TimeSpan.FromDays(60));
        await bed.RechargeAsync(account, 50_00);
        return account;
    }

    [Fact]
    public async Task Charges_written_together_pay_the_same_as_charges_written_one_by_one()
    {
        await using var bed = await WalletTestBed.CreateAsync();
        var oneByOne = await FundedAccountAsync(bed);
        var together = await FundedAccountAsync(bed);

        var single = new List<ChargeOutcome>();
        foreach (var lines in Bills)
        {
            single.Add(await bed.InScopeAsync(s => s.GetRequiredService<ChargeEngine>().ChargeAsync(Request(oneByOne, "db_" + Guid.NewGuid().ToString("N"), lines), CancellationToken.None)));
        }
        var batch = await ChargeAllAsync(bed, together, Bills.Select((lines, i) => Request(together, $"db_batch_{i}", lines)).ToArray());

        Assert.Equal(Bills.Length, batch.Count);
        for (var i = 0; i < Bills.Length; i++)
        {
            Assert.Equal($"db_batch_{i}", batch[i].Result.Reference);
            Assert.False(batch[i].Replayed);
            Assert.Equal(Paid(single[i].Result), Paid(batch[i].Result));
            Assert.Equal(single[i].Result.AddedArrears, batch[i].Result.AddedArrears);
        }
        // The funding ran out in the middle: vouchers, then the card, then cash, then arrears.
        Assert.Contains(batch[^1].Result.Allocations, a => a.Source == FundingSource.Arrears);
        Assert.Equal(await bed.WalletAsync(oneByOne) with { BillingAccountId = together }, await bed.WalletAsync(together));
        await bed.AssertLedgerCleanAsync();
    }

    [Fact]
    public async Task A_batch_replays_the_charges_already_made_and_makes_only_the_rest()
    {
        await using var bed = await WalletTestBed.CreateAsync();
        var account = await bed.RegisterAsync();
        await bed.RechargeAsync(account, 1_000_00);
        var first = await bed.InScopeAsync(s => s.GetRequiredService<ChargeEngine>().ChargeAsync(Request(account, "db_first", Bills[0]), CancellationToken.None));

        var batch = await ChargeAllAsync(bed, account, Request(account, "db_first", Bills[0]), Request(account, "db_second", Bills[1]));

        Assert.True(batch[0].Replayed);
        Assert.Equal(first.Result.TransactionId, batch[0].Result.TransactionId);
        Assert.False(batch[1].Replayed);
        Assert.Equal(1_000_00 - 2_300 - 4_500, (await bed.WalletAsync(account)).Cash);
        var again = await ChargeAllAsync(bed, account, Request(account, "db_first", Bills[0]), Request(account, "db_second", Bills[1]));
        Assert.All(again, o => Assert.True(o.Replayed));
        Assert.Equal(1_000_00 - 2_300 - 4_500, (await bed.WalletAsync(account)).Cash);
        await bed.AssertLedgerCleanAsync();
    }

    [Fact]
    public async Task A_reference_reused_with_other_lines_fails_the_whole_batch_and_moves_nothing()
    {
        await using var bed = await WalletTestBed.CreateAsync();
        var account = await bed.RegisterAsync();
        await bed.RechargeAsync(account, 1_000_00);
        await bed.InScopeAsync(s => s.GetRequiredService<ChargeEngine>().ChargeAsync(Request(account, "db_used", Bills[0]), CancellationToken.None));
        var before = await bed.WalletAsync(account);

        var refused = await Assert.ThrowsAsync<BillingException>(() =>
            ChargeAllAsync(bed, account, Request(account, "db_new", Bills[1]), Request(account, "db_used", Bills[2])));

        Assert.Equal("REFERENCE_REUSED", refused.Reason);
        Assert.Equal(before, await bed.WalletAsync(account));
        var later = await ChargeAllAsync(bed, account, Request(account, "db_new", Bills[1]));
        Assert.False(later[0].Replayed); // db_new was not charged by the refused batch
    }

    [Fact]
    public async Task Requests_of_another_account_or_a_repeated_reference_are_refused_before_anything_is_read()
    {
        await using var bed = await WalletTestBed.CreateAsync();
        var account = await bed.RegisterAsync();
        var other = await bed.RegisterAsync("other");

        await Assert.ThrowsAsync<ArgumentException>(() => ChargeAllAsync(bed, account, Request(account, "db_a", Bills[0]), Request(other, "db_b", Bills[1])));
        await Assert.ThrowsAsync<ArgumentException>(() => ChargeAllAsync(bed, account, Request(account, "db_a", Bills[0]), Request(account, "db_a", Bills[1])));
        Assert.Equal(0, (await bed.WalletAsync(account)).Arrears);
    }

    [Fact]
    public async Task Arrears_that_begin_inside_a_batch_name_the_charge_that_began_them()
    {
        var changes = new List<ArrearsChange>();
        await using var bed = await WalletTestBed.CreateAsync(configure: s =>
        {
            s.AddSingleton(changes);
            s.AddScoped<IArrearsListener, RecordingListener>();
        });
        var account = await bed.RegisterAsync();
        await bed.RechargeAsync(account, 3_000);

        var batch = await ChargeAllAsync(bed, account,
            Request(account, "db_paid", [("logs", 2_000)]),
            Request(account, "db_begins", [("logs", 1_500)]),
            Request(account, "db_adds", [("logs", 700)]));

        var started = Assert.Single(changes);
        Assert.Equal(ArrearsChangeKind.Started, started.Kind);
        Assert.Equal(batch[1].Result.TransactionId, started.TransactionId);
        Assert.Equal(1_200, started.Arrears);
        Assert.Equal(1_200, (await bed.WalletAsync(account)).Arrears);
    }

    private sealed class RecordingListener(List<ArrearsChange> changes) : IArrearsListener
    {
        public Task OnArrearsChangedAsync(ArrearsChange change, CancellationToken cancellationToken)
        {
            changes.Add(change);
            return Task.CompletedTask;
        }
    }

    private static List<(string Item, FundingSource Source, long Amount)> Paid(ChargeResult result) =>
        result.Allocations.Select(a => (a.ItemCode, a.Source, a.Amount)).ToList();
}
