using Guance.Billing.Common;
using Guance.Billing.Wallets;
using Microsoft.Extensions.DependencyInjection;

namespace Guance.Billing.Tests.Wallets;

/// <summary>
/// ChargeEngine.ChargeGroupAsync, the group commit of the Charge RPC: charges of several accounts in
/// one transaction, each with the result it would have had alone in the group's order, a refusal
/// being only that charge's result.
/// </summary>
public sealed class ChargeGroupTests
{
    private static ChargeRequest Request(string account, string reference, params (string Item, long Cents)[] lines) =>
        new(account, reference, lines.Select(l => new ChargeLine(l.Item, l.Cents)).ToList());

    private static Task<IReadOnlyList<ChargeAttempt>> GroupAsync(WalletTestBed bed, params ChargeRequest[] requests) =>
        bed.InScopeAsync(s => s.GetRequiredService<ChargeEngine>().ChargeGroupAsync(requests, CancellationToken.None));

    private static Task<ChargeOutcome> AloneAsync(WalletTestBed bed, ChargeRequest request) =>
        bed.InScopeAsync(s => s.GetRequiredService<ChargeEngine>().ChargeAsync(request, CancellationToken.None));

    private static async Task<string> FundedAccountAsync(WalletTestBed bed, long cashCents)
    {
        var account = await bed.RegisterAsync();
        await bed.GrantVoucherAsync(account, 10, TimeSpan.FromDays(30));
        await bed.IssueCardAsync(account, 100, TimeSpan.FromDays(60));
        await bed.RechargeAsync(account, cashCents);
        return account;
    }

    [Fact]
    public async Task A_group_of_several_accounts_pays_as_the_same_charges_made_one_by_one()
    {
        await using var bed = await WalletTestBed.CreateAsync();
        var alone = new[] { await FundedAccountAsync(bed, 50_00), await FundedAccountAsync(bed, 1_00) };
        var grouped = new[] { await FundedAccountAsync(bed, 50_00), await FundedAccountAsync(bed, 1_00) };
        (string, long)[][] bills = [[("logs", 8_000), ("sms", 300)], [("time_series", 6_000)], [("sms", 9_000), ("logs", 500)]];

        var single = new List<ChargeOutcome>();
        var requests = new List<ChargeRequest>();
        for (var i = 0; i < bills.Length; i++)
        {
            foreach (var a in new[] { 0, 1 })
            {
                single.Add(await AloneAsync(bed, Request(alone[a], $"db_alone_{a}_{i}", bills[i])));
                requests.Add(Request(grouped[a], $"db_group_{a}_{i}", bills[i]));
            }
        }
        var group = await GroupAsync(bed, [.. requests]);

        for (var i = 0; i < requests.Count; i++)
        {
            var outcome = Assert.IsType<ChargeOutcome>(group[i].Outcome);
            Assert.False(outcome.Replayed);
            Assert.Equal(Paid(single[i].Result), Paid(outcome.Result));
            Assert.Equal(single[i].Wallet with { BillingAccountId = outcome.Wallet.BillingAccountId }, outcome.Wallet);
        }
        // The second account ran into arrears inside the group, as it did alone.
        Assert.Contains(group[^1].Outcome!.Result.Allocations, a => a.Source == FundingSource.Arrears);
        for (var a = 0; a < 2; a++)
        {
            Assert.Equal(await bed.WalletAsync(alone[a]) with { BillingAccountId = grouped[a] }, await bed.WalletAsync(grouped[a]));
        }
        await bed.AssertLedgerCleanAsync();
    }

    [Fact]
    public async Task Charges_refused_in_a_group_change_nothing_and_the_others_commit()
    {
        await using var bed = await WalletTestBed.CreateAsync();
        var first = await FundedAccountAsync(bed, 100_00);
        var second = await FundedAccountAsync(bed, 100_00);
        var used = await AloneAsync(bed, Request(first, "db_used", ("logs", 1_000)));
        var secondBefore = await bed.WalletAsync(second);

        var group = await GroupAsync(bed,
            Request(first, "db_one", ("logs", 2_000)),
            Request("ba_0000000000000000000000000", "db_nobody", ("logs", 100)),
            Request(first, "db_used", ("logs", 9_999)),
            Request(second, "db_used", ("logs", 1_000)),
            Request(first, "db_two", ("apm_trace", 3_000)),
            // As one charge alone: an unknown account is NOT_FOUND before its reference (used by another account) is looked at.
            Request("ba_0000000000000000000000000", "db_used", ("logs", 1_000)));

        Assert.Equal(ErrorKind.NotFound, group[1].Refusal!.Kind);
        Assert.Equal(ErrorKind.NotFound, group[5].Refusal!.Kind);
        Assert.Equal(ErrorReasons.ReferenceReused, group[2].Refusal!.Reason);
        Assert.Equal(used.Result.TransactionId, group[2].Refusal!.Metadata["transaction_id"]);
        Assert.Equal(ErrorReasons.ReferenceReused, group[3].Refusal!.Reason);
        Assert.False(group[3].Refusal!.Metadata.ContainsKey("transaction_id")); // another account's transaction is not named
        Assert.False(group[0].Outcome!.Replayed);
        Assert.False(group[4].Outcome!.Replayed);
        Assert.Equal(100_00 + 10_00 + 100_00 - 1_000 - 2_000 - 3_000, (await bed.WalletAsync(first)).Available);
        Assert.Equal(secondBefore, await bed.WalletAsync(second));
        Assert.True((await AloneAsync(bed, Request(first, "db_two", ("apm_trace", 3_000)))).Replayed);
        await bed.AssertLedgerCleanAsync();
    }

    [Fact]
    public async Task A_charge_beyond_what_the_ledger_holds_is_refused_whole_and_the_others_commit()
    {
        await using var bed = await WalletTestBed.CreateAsync();
        var huge = await FundedAccountAsync(bed, 1_00);
        var other = await FundedAccountAsync(bed, 1_00);

        // The first takes the account's revenue (and arrears) to within 1,000 cents of a long; the second would pass it.
        var group = await GroupAsync(bed,
            Request(huge, "db_huge", ("sms", long.MaxValue - 1_000)),
            Request(huge, "db_beyond", ("logs", 600), ("sms", 5_000)),
            Request(other, "db_other", ("sms", 50)));

        Assert.NotNull(group[0].Outcome);
        Assert.Equal(ErrorReasons.LedgerLimitExceeded, group[1].Refusal!.Reason);
        Assert.NotNull(group[2].Outcome);
        var wallet = await bed.WalletAsync(huge);
        // SMS is paid by the card (100.00) and the cash (1.00), never by the voucher; the rest is arrears.
        Assert.Equal(long.MaxValue - 1_000 - 100_00 - 1_00, wallet.Arrears);
        Assert.Equal(100_00 + 1_00 - 50, (await bed.WalletAsync(other)).Available - 10_00);
        // Nothing of the refused charge was posted, not even its logs line that the voucher could pay.
        Assert.Equal(10_00, wallet.Available);
        await bed.AssertLedgerCleanAsync();
    }

    [Fact]
    public async Task A_reference_given_twice_in_a_group_is_charged_once_and_replayed_or_refused()
    {
        await using var bed = await WalletTestBed.CreateAsync();
        var account = await FundedAccountAsync(bed, 100_00);
        var earlier = await AloneAsync(bed, Request(account, "db_earlier", ("logs", 500)));

        var group = await GroupAsync(bed,
            Request(account, "db_twice", ("logs", 2_000)),
            Request(account, "db_earlier", ("logs", 500)),
            Request(account, "db_twice", ("logs", 2_000)),
            Request(account, "db_twice", ("logs", 2_001)));

        var made = group[0].Outcome!;
        Assert.False(made.Replayed);
        Assert.True(group[1].Outcome!.Replayed);
        Assert.Equal(earlier.Result.TransactionId, group[1].Outcome!.Result.TransactionId);
        Assert.True(group[2].Outcome!.Replayed);
        Assert.Equal(made.Result.TransactionId, group[2].Outcome!.Result.TransactionId);
        Assert.Equal(Paid(made.Result), Paid(group[2].Outcome!.Result));
        Assert.Equal(ErrorReasons.ReferenceReused, group[3].Refusal!.Reason);
        Assert.Equal(made.Result.TransactionId, group[3].Refusal!.Metadata["transaction_id"]);
        Assert.Equal(100_00 + 10_00 + 100_00 - 500 - 2_000, (await bed.WalletAsync(account)).Available);
        await bed.AssertLedgerCleanAsync();
    }

    [Fact]
    public async Task Two_charges_of_one_account_in_a_group_keep_their_order_and_the_balance()
    {
        await using var bed = await WalletTestBed.CreateAsync();
        var account = await bed.RegisterAsync();
        await bed.RechargeAsync(account, 10_00);

        var group = await GroupAsync(bed, Request(account, "db_a", ("logs", 6_00)), Request(account, "db_b", ("logs", 6_00)));

        Assert.Equal([("logs", FundingSource.Cash, 6_00L)], Paid(group[0].Outcome!.Result));
        Assert.Equal([("logs", FundingSource.Cash, 4_00L), ("logs", FundingSource.Arrears, 2_00L)], Paid(group[1].Outcome!.Result));
        Assert.Equal(4_00, group[0].Outcome!.Wallet.Cash);
        Assert.Equal(2_00, group[1].Outcome!.Wallet.Arrears);
        Assert.Equal(2_00, (await bed.WalletAsync(account)).Arrears);
        await bed.AssertLedgerCleanAsync();
    }

    private static List<(string Item, FundingSource Source, long Amount)> Paid(ChargeResult result) =>
        result.Allocations.Select(a => (a.ItemCode, a.Source, a.Amount)).ToList();
}
