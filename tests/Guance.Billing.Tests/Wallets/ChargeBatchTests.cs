using Guance.Billing.Common;
using Guance.Billing.Data;
using Guance.Billing.Notifications;
using Guance.Billing.Wallets;
using Microsoft.Extensions.DependencyInjection;

namespace Guance.Billing.Tests.Wallets;

/// <summary>
/// ChargeEngine.ChargeBatchAsync, the one wallet write that daily settlement makes for a batch of bills
/// of many billing accounts inside its own transaction: the same charges, in the same order, with the same
/// results as one write per charge (accounts in every state), the same idempotency, and a refused or
/// malformed charge failing only itself.
/// </summary>
public sealed class ChargeBatchTests
{
    private static readonly (string Item, long Cents)[][] Bills =
    [
        [("logs", 2_000), ("sms", 300)],
        [("time_series", 4_500)],
        [("logs", 1_000), ("apm_trace", 2_500), ("sms", 700)],
        [("apm_trace", 9_000)],
        [("logs", 1_200)],
    ];

    private static ChargeRequest Request(string account, string reference, (string Item, long Cents)[] lines, ChargeMode mode = ChargeMode.Wallet) =>
        new(account, reference, lines.Select(l => new ChargeLine(l.Item, l.Cents)).ToList(), mode);

    /// <summary>A batch as the day close runs it: inside a transaction of the caller, committed after.</summary>
    private static Task<IReadOnlyList<ChargeAttempt>> BatchAsync(WalletTestBed bed, params ChargeRequest[] requests) =>
        bed.InScopeAsync(async s =>
        {
            var db = s.GetRequiredService<BillingDbContext>();
            await using var transaction = await db.Database.BeginTransactionAsync();
            var attempts = await s.GetRequiredService<ChargeEngine>().ChargeBatchAsync(requests, CancellationToken.None);
            await transaction.CommitAsync();
            return attempts;
        });

    private static Task<ChargeOutcome> AloneAsync(WalletTestBed bed, ChargeRequest request) =>
        bed.InScopeAsync(s => s.GetRequiredService<ChargeEngine>().ChargeAsync(request, CancellationToken.None));

    /// <summary>The states an account can be in when its bills are charged; each set up the same way on two accounts.</summary>
    private static async Task<string> AccountInStateAsync(WalletTestBed bed, int state)
    {
        var account = await bed.RegisterAsync();
        switch (state)
        {
            case 0: // enough cash
                await bed.RechargeAsync(account, 1_000_00);
                break;
            case 1: // vouchers and a card first, then cash, then arrears
                await bed.GrantVoucherAsync(account, 30, TimeSpan.FromDays(30));
                await bed.GrantVoucherAsync(account, 10, TimeSpan.FromDays(20), VoucherKind.FullReduction);
                await bed.IssueCardAsync(account, 100, TimeSpan.FromDays(60));
                await bed.RechargeAsync(account, 50_00);
                break;
            case 2: // in arrears already
                await bed.ChargeAsync(account, ("logs", 3_000));
                break;
            case 3: // goes into arrears inside the batch
                await bed.RechargeAsync(account, 70_00);
                break;
            default: // a card, then arrears; charged in cloud mode below
                await bed.IssueCardAsync(account, 100, TimeSpan.FromDays(60));
                break;
        }
        return account;
    }

    [Fact]
    public async Task A_batch_of_accounts_in_every_state_pays_as_the_same_charges_made_one_by_one()
    {
        await using var bed = await WalletTestBed.CreateAsync();
        const int States = 5;
        var alone = new List<string>();
        var batched = new List<string>();
        for (var state = 0; state < States; state++)
        {
            alone.Add(await AccountInStateAsync(bed, state));
            batched.Add(await AccountInStateAsync(bed, state));
        }

        var single = new List<ChargeOutcome>();
        var requests = new List<ChargeRequest>();
        for (var state = 0; state < States; state++)
        {
            var mode = state == States - 1 ? ChargeMode.Cloud : ChargeMode.Wallet;
            for (var i = 0; i < Bills.Length; i++)
            {
                single.Add(await AloneAsync(bed, Request(alone[state], $"db_alone_{state}_{i}", Bills[i], mode)));
                requests.Add(Request(batched[state], $"db_batch_{state}_{i}", Bills[i], mode));
            }
        }
        // A refused charge among them: an account without a wallet.
        requests.Insert(7, Request(Ids.New("ba", bed.Clock), "db_nobody", Bills[0]));
        var batch = (await BatchAsync(bed, [.. requests])).ToList();

        Assert.Equal(ErrorKind.NotFound, batch[7].Refusal!.Kind);
        batch.RemoveAt(7);
        for (var i = 0; i < single.Count; i++)
        {
            var outcome = Assert.IsType<ChargeOutcome>(batch[i].Outcome);
            Assert.False(outcome.Replayed);
            Assert.Equal(Paid(single[i].Result), Paid(outcome.Result));
            Assert.Equal(single[i].Result.AddedArrears, outcome.Result.AddedArrears);
            Assert.Equal(single[i].Result.CloudAmount, outcome.Result.CloudAmount);
            Assert.Equal(single[i].Wallet with { BillingAccountId = outcome.Wallet.BillingAccountId }, outcome.Wallet);
        }
        // Every way of paying was taken: vouchers, cards, cash, arrears, the cloud.
        var sources = batch.SelectMany(a => a.Outcome!.Result.Allocations).Select(a => a.Source).ToHashSet();
        Assert.Equal(Enum.GetValues<FundingSource>().ToHashSet(), sources);
        for (var state = 0; state < States; state++)
        {
            Assert.Equal(await bed.WalletAsync(alone[state]) with { BillingAccountId = batched[state] }, await bed.WalletAsync(batched[state]));
        }
        await bed.AssertLedgerCleanAsync();
    }

    [Fact]
    public async Task A_batch_replays_the_charges_already_made_and_makes_only_the_rest()
    {
        await using var bed = await WalletTestBed.CreateAsync();
        var account = await bed.RegisterAsync();
        await bed.RechargeAsync(account, 1_000_00);
        var first = await AloneAsync(bed, Request(account, "db_first", Bills[0]));

        var batch = await BatchAsync(bed, Request(account, "db_first", Bills[0]), Request(account, "db_second", Bills[1]));

        Assert.True(batch[0].Outcome!.Replayed);
        Assert.Equal(first.Result.TransactionId, batch[0].Outcome!.Result.TransactionId);
        Assert.False(batch[1].Outcome!.Replayed);
        Assert.Equal(1_000_00 - 2_300 - 4_500, (await bed.WalletAsync(account)).Cash);
        var again = await BatchAsync(bed, Request(account, "db_first", Bills[0]), Request(account, "db_second", Bills[1]));
        Assert.All(again, a => Assert.True(a.Outcome!.Replayed));
        Assert.Equal(1_000_00 - 2_300 - 4_500, (await bed.WalletAsync(account)).Cash);
        await bed.AssertLedgerCleanAsync();
    }

    [Fact]
    public async Task A_reused_reference_or_a_malformed_charge_is_refused_alone_and_the_others_commit()
    {
        await using var bed = await WalletTestBed.CreateAsync();
        var account = await bed.RegisterAsync();
        var other = await bed.RegisterAsync("other");
        await bed.RechargeAsync(account, 1_000_00);
        await bed.RechargeAsync(other, 1_000_00);
        await AloneAsync(bed, Request(account, "db_used", Bills[0]));

        var batch = await BatchAsync(bed,
            Request(account, "db_new", Bills[1]),
            Request(account, "db_used", Bills[2]),
            Request(other, "db_bad", [("logs", 0)]),
            Request(other, "db_fine", Bills[3]));

        Assert.False(batch[0].Outcome!.Replayed);
        Assert.Equal(ErrorReasons.ReferenceReused, batch[1].Refusal!.Reason);
        Assert.Equal(ErrorKind.InvalidArgument, batch[2].Refusal!.Kind);
        Assert.False(batch[3].Outcome!.Replayed);
        Assert.Equal(1_000_00 - 2_300 - 4_500, (await bed.WalletAsync(account)).Cash);
        Assert.Equal(1_000_00 - 9_000, (await bed.WalletAsync(other)).Cash);
        await bed.AssertLedgerCleanAsync();
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
        var paying = await bed.RegisterAsync("paying");
        await bed.RechargeAsync(account, 3_000);
        await bed.RechargeAsync(paying, 100_000);

        var batch = await BatchAsync(bed,
            Request(account, "db_paid", [("logs", 2_000)]),
            Request(paying, "db_other", [("logs", 2_000)]),
            Request(account, "db_begins", [("logs", 1_500)]),
            Request(account, "db_adds", [("logs", 700)]));

        var started = Assert.Single(changes);
        Assert.Equal(ArrearsChangeKind.Started, started.Kind);
        Assert.Equal(account, started.BillingAccountId);
        Assert.Equal(batch[2].Outcome!.Result.TransactionId, started.TransactionId);
        Assert.Equal(1_200, started.Arrears);
        Assert.Equal(1_200, (await bed.WalletAsync(account)).Arrears);
    }

    private sealed class RecordingListener(List<ArrearsChange> changes) : IArrearsListener
    {
        public Task OnArrearsChangedAsync(ArrearsChange change, NoticeValues notice, CancellationToken cancellationToken)
        {
            changes.Add(change);
            return Task.CompletedTask;
        }
    }

    private static List<(string Item, FundingSource Source, long Amount)> Paid(ChargeResult result) =>
        result.Allocations.Select(a => (a.ItemCode, a.Source, a.Amount)).ToList();
}
