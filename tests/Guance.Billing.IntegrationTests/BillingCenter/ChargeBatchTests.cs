using Grpc.Core;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.V1;
using static Guance.Billing.IntegrationTests.Infrastructure.BillingCenterScenario;

namespace Guance.Billing.IntegrationTests.BillingCenter;

/// <summary>
/// ChargeBatch: each entry has the outcome that Charge gives it one entry after the other (compared on
/// twin accounts in every state), a retry of the whole batch replays it, a refused entry fails alone,
/// a malformed entry refuses the whole call, and the ledger stays clean.
/// </summary>
public sealed class ChargeBatchTests : IClassFixture<BillingHost>
{
    private readonly BillingHost host;

    public ChargeBatchTests(BillingHost host)
    {
        this.host = host;
        host.Settings["Guance:Wallet:ExpiryJobEnabled"] = "false";
        // Small groups, so that a batch of a few dozen charges spans several of them.
        host.Settings["Guance:Wallet:MaxChargesPerCommit"] = "8";
    }

    private BillingAccountService.BillingAccountServiceClient Operator => host.Operator.BillingAccounts;

    /// <summary>The accounts of one twin: the same states, made the same way.</summary>
    private sealed record Twin(string Cash, string Lots, string Cards, string InArrears, string IntoArrears, string Cloud, string Reused, string UsedReference);

    private async Task<Twin> TwinAsync(string name)
    {
        var cash = await host.RegisterBillingAccountAsync(name + "-cash");
        await host.RechargeAsync(cash.Id, 100m);
        var lots = await host.RegisterBillingAccountAsync(name + "-lots");
        await host.GrantVoucherAsync(lots.Id, 10m);
        await host.GrantVoucherAsync(lots.Id, 20m, VoucherKind.FullReduction);
        await host.RechargeAsync(lots.Id, 50m);
        var cards = await host.RegisterBillingAccountAsync(name + "-cards");
        await host.IssueCardAsync(cards.Id, 100m);
        var inArrears = await host.RegisterBillingAccountAsync(name + "-arrears");
        await Operator.ChargeAsync(Charge(inArrears.Id, ("logs", 10m)));
        var intoArrears = await host.RegisterBillingAccountAsync(name + "-into");
        await host.RechargeAsync(intoArrears.Id, 5m);
        var cloud = await host.RegisterBillingAccountAsync(name + "-cloud");
        await host.GrantVoucherAsync(cloud.Id, 10m);
        var reused = await host.RegisterBillingAccountAsync(name + "-reused");
        await host.RechargeAsync(reused.Id, 100m);
        var used = await Operator.ChargeAsync(Charge(reused.Id, ("logs", 1m)));
        return new Twin(cash.Id, lots.Id, cards.Id, inArrears.Id, intoArrears.Id, cloud.Id, reused.Id, used.Result.Reference);
    }

    /// <summary>The entries charged in both twins, in order; references are made unique per twin.</summary>
    private static List<ChargeRequest> Entries(Twin t, string prefix)
    {
        ChargeRequest Entry(string account, string reference, ChargeMode mode, params (string Item, decimal Amount)[] lines)
        {
            var request = Charge(account, lines);
            request.Reference = prefix + reference;
            request.Mode = mode;
            request.Description = "batch " + reference;
            return request;
        }
        var reusedReference = Charge(t.Reused, ("logs", 7m));
        reusedReference.Reference = t.UsedReference;
        var sameReferenceOtherLines = Entry(t.Cash, "cash-1", ChargeMode.Unspecified, ("logs", 9m));
        return
        [
            Entry(t.Cash, "cash-1", ChargeMode.Unspecified, ("logs", 30m), ("sms", 5m)),
            Entry(t.Lots, "lots-1", ChargeMode.Wallet, ("logs", 25m), ("sms", 4m)),
            Entry(t.Lots, "lots-2", ChargeMode.Wallet, ("time_series", 40m)),
            Entry(t.Cards, "cards-1", ChargeMode.Wallet, ("sms", 30m), ("logs", 90m)),
            Entry(t.InArrears, "arrears-1", ChargeMode.Wallet, ("logs", 3m)),
            Entry(t.IntoArrears, "into-1", ChargeMode.Wallet, ("logs", 4m)),
            Entry(t.IntoArrears, "into-2", ChargeMode.Wallet, ("logs", 4m)),
            Entry(t.Cloud, "cloud-1", ChargeMode.Cloud, ("logs", 30m), ("sms", 5m)),
            Entry(UnknownAccountId, "unknown-1", ChargeMode.Wallet, ("logs", 1m)),
            reusedReference,
            // The same reference again in the batch: a replay when it is the same charge, refused when it is not.
            Entry(t.Cash, "cash-1", ChargeMode.Unspecified, ("logs", 30m), ("sms", 5m)),
            sameReferenceOtherLines,
            Entry(t.Cash, "cash-2", ChargeMode.Wallet, ("logs", 80m)),
        ];
    }

    [Fact]
    public async Task Each_entry_has_the_outcome_that_charging_the_entries_one_by_one_gives_and_a_retry_replays_them()
    {
        var one = await TwinAsync("one");
        var batch = await TwinAsync("batch");

        var expected = new List<(ChargeResponse? Charged, StatusCode Code, string Reason)>();
        foreach (var entry in Entries(one, "one_"))
        {
            try
            {
                expected.Add((await Operator.ChargeAsync(entry), StatusCode.OK, ""));
            }
            catch (RpcException e)
            {
                expected.Add((null, e.StatusCode, e.GetRpcStatus()!.GetDetail<Google.Rpc.ErrorInfo>().Reason));
            }
        }
        var request = new ChargeBatchRequest();
        request.Charges.Add(Entries(batch, "batch_"));
        var first = await Operator.ChargeBatchAsync(request);

        Assert.Equal(expected.Count, first.Outcomes.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            var (charged, code, reason) = expected[i];
            var outcome = first.Outcomes[i];
            if (charged is null)
            {
                Assert.True(outcome.Refused is not null, $"entry {i} should be refused with {reason}");
                Assert.Equal((int)code, outcome.Refused.Code);
                Assert.Equal(reason, outcome.Refused.Reason);
                Assert.NotEqual("", outcome.Refused.Message);
                continue;
            }
            Assert.True(outcome.Charged is not null, $"entry {i} should be charged, was refused: {outcome.Refused?.Message}");
            AssertSameCharge(charged, outcome.Charged, i);
        }
        // Every state is in the comparison.
        Assert.Contains(expected, e => e.Reason == "BILLING_ACCOUNT_NOT_FOUND");
        Assert.Contains(expected, e => e.Reason == "REFERENCE_REUSED");
        Assert.Contains(expected, e => e.Charged?.Replayed == true);
        Assert.Contains(expected, e => e.Charged?.Result.CloudAmount is { Units: > 0 });
        Assert.Contains(expected, e => e.Charged?.Result.Allocations.Any(a => a.Source == FundingSource.PrepaidCard) == true);
        Assert.Contains(expected, e => e.Charged?.Result.Allocations.Any(a => a.Source == FundingSource.FullReductionVoucher) == true);
        Assert.Contains(expected, e => e.Charged?.Result.AddedArrears is { Units: > 0 });

        var wallets = await WalletsAsync(batch);
        var again = await Operator.ChargeBatchAsync(request);
        for (var i = 0; i < first.Outcomes.Count; i++)
        {
            if (first.Outcomes[i].Refused is { } refused)
            {
                Assert.Equal(refused, again.Outcomes[i].Refused);
                continue;
            }
            Assert.True(again.Outcomes[i].Charged.Replayed);
            Assert.Equal(first.Outcomes[i].Charged.Result, again.Outcomes[i].Charged.Result);
        }
        Assert.Equal(wallets, await WalletsAsync(batch));
        Assert.Equal((await WalletsAsync(one)).Select(Balances), wallets.Select(Balances));
        await host.AssertLedgerCleanAsync();
    }

    [Fact]
    public async Task A_batch_of_many_groups_charges_each_account_in_the_order_of_the_entries()
    {
        var accounts = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var account = await host.RegisterBillingAccountAsync($"order-{i}");
            await host.RechargeAsync(account.Id, 10m);
            accounts.Add(account.Id);
        }
        // 60 entries in groups of 8: each account pays its first ten charges in cash, the next two go to arrears.
        var entries = Enumerable.Range(0, 60).Select(i => Charge(accounts[i % 5], ("logs", 1m))).ToList();
        // A reference of the first group again in the last: charged once, the later entry a replay.
        entries.Add(entries[2].Clone());
        var request = new ChargeBatchRequest();
        request.Charges.Add(entries);
        var (listener, measurements) = host.ListenToMeter(Billing.Wallets.WalletMetrics.MeterName);
        using var _ = listener;

        var response = await Operator.ChargeBatchAsync(request);

        // The writer's commits, as operators see them: 61 entries in 7 groups of 8 and one of 5, each timed.
        Assert.Equal([8, 8, 8, 8, 8, 8, 8, 5], measurements.Where(m => m.Instrument == "guance.wallet.charge.commit.charges").Select(m => (int)m.Value));
        Assert.Equal(8, measurements.Count(m => m.Instrument == "guance.wallet.charge.commit.duration" && m.Value > 0));
        for (var i = 0; i < 60; i++)
        {
            var result = response.Outcomes[i].Charged.Result;
            var source = i / 5 < 10 ? FundingSource.Cash : FundingSource.Arrears;
            Assert.Equal(new[] { source }, result.Allocations.Select(a => a.Source));
            Assert.False(response.Outcomes[i].Charged.Replayed);
        }
        Assert.True(response.Outcomes[60].Charged.Replayed);
        Assert.Equal(response.Outcomes[2].Charged.Result, response.Outcomes[60].Charged.Result);
        foreach (var account in accounts)
        {
            var wallet = await host.WalletAsync(account);
            Assert.Equal(Zero, wallet.Cash);
            Assert.Equal(Yuan(2m), wallet.Arrears);
        }
        await host.AssertLedgerCleanAsync();
    }

    [Fact]
    public async Task A_malformed_entry_refuses_the_whole_batch_with_its_field_paths_and_changes_nothing()
    {
        var account = await host.RegisterBillingAccountAsync("batch-bad");
        await host.RechargeAsync(account.Id, 100m);
        var good = Charge(account.Id, ("logs", 1m));
        var badAmount = Charge(account.Id, ("logs", 1.234m), ("sms", 0m));
        var noReference = Charge(account.Id, ("logs", 1m));
        noReference.Reference = "";
        noReference.Mode = (ChargeMode)7;
        var tooManyLines = Charge(account.Id);
        tooManyLines.Lines.Add(Enumerable.Range(0, 101).Select(i => new ChargeLine { ItemCode = $"item_{i}", Amount = Yuan(1m) }));
        var longDescription = Charge("not-an-id", ("logs", 1m));
        longDescription.Description = new string('x', 257);
        var request = new ChargeBatchRequest { Charges = { good, badAmount, noReference, tooManyLines, longDescription } };

        await RpcAssert.InvalidFields(() => Operator.ChargeBatchAsync(request),
            "charges[1].lines[0].amount.nanos", "charges[1].lines[1].amount", "charges[2].reference", "charges[2].mode", "charges[3].lines",
            "charges[4].billing_account_id", "charges[4].description");
        await RpcAssert.InvalidFields(() => Operator.ChargeBatchAsync(new ChargeBatchRequest()), "charges");
        var tooMany = new ChargeBatchRequest();
        tooMany.Charges.Add(Enumerable.Range(0, 1001).Select(_ => Charge(account.Id, ("logs", 1m))));
        await RpcAssert.InvalidFields(() => Operator.ChargeBatchAsync(tooMany), "charges");

        // Nothing was charged: the good entry is charged now for the first time.
        Assert.Equal(Yuan(100m), (await host.WalletAsync(account.Id)).Cash);
        Assert.False((await Operator.ChargeAsync(good)).Replayed);
    }

    [Fact]
    public async Task ChargeBatch_is_for_the_operator_only()
    {
        var account = await host.RegisterBillingAccountAsync("batch-perm");
        var other = await host.RegisterBillingAccountAsync("batch-other");
        var (console, collector) = await host.ConsoleAndCollectorAsync();
        ChargeBatchRequest Request() => new() { Charges = { Charge(account.Id, ("logs", 1m)) } };

        await RpcAssert.Fails(StatusCode.PermissionDenied, () => account.Client.ChargeBatchAsync(Request()), "OPERATOR_REQUIRED");
        await RpcAssert.Fails(StatusCode.PermissionDenied, () => other.Client.ChargeBatchAsync(Request()), "OPERATOR_REQUIRED");
        await RpcAssert.Fails(StatusCode.PermissionDenied, () => console.BillingAccounts.ChargeBatchAsync(Request()), "OPERATOR_REQUIRED");
        await RpcAssert.Fails(StatusCode.PermissionDenied, () => collector.BillingAccounts.ChargeBatchAsync(Request()), "OPERATOR_REQUIRED");
        await RpcAssert.Fails(StatusCode.Unauthenticated, () => host.Api().BillingAccounts.ChargeBatchAsync(Request()), "TOKEN_MISSING");
        // Even a malformed batch is refused for what the caller is, before its fields are read.
        await RpcAssert.Fails(StatusCode.PermissionDenied, () => account.Client.ChargeBatchAsync(new ChargeBatchRequest()), "OPERATOR_REQUIRED");
        Assert.Equal(Zero, (await host.WalletAsync(account.Id)).Arrears);

        var charged = await Operator.ChargeBatchAsync(Request());
        Assert.Equal(Yuan(1m), charged.Outcomes.Single().Charged.Wallet.Arrears);
    }

    private static void AssertSameCharge(ChargeResponse expected, ChargeResponse actual, int entry)
    {
        Assert.True(expected.Replayed == actual.Replayed, $"entry {entry}: replayed");
        Assert.Equal(expected.Result.Total, actual.Result.Total);
        Assert.Equal(expected.Result.AddedArrears, actual.Result.AddedArrears);
        Assert.Equal(expected.Result.CloudAmount, actual.Result.CloudAmount);
        Assert.Equal(expected.Result.CreateTime, actual.Result.CreateTime);
        Assert.Equal(
            expected.Result.Allocations.Select(a => (a.ItemCode, a.Source, a.LotId != "", a.Amount)),
            actual.Result.Allocations.Select(a => (a.ItemCode, a.Source, a.LotId != "", a.Amount)));
        Assert.Equal(Balances(expected.Wallet), Balances(actual.Wallet));
    }

    private static (Money, Money, Money, Money, Money, Money, Google.Protobuf.WellKnownTypes.Timestamp?) Balances(Wallet w) =>
        (w.Cash, w.OrdinaryVouchers, w.FullReductionVouchers, w.PrepaidCards, w.Arrears, w.Available, w.ArrearsSince);

    private async Task<List<Wallet>> WalletsAsync(Twin t)
    {
        var wallets = new List<Wallet>();
        foreach (var id in new[] { t.Cash, t.Lots, t.Cards, t.InArrears, t.IntoArrears, t.Cloud, t.Reused })
        {
            wallets.Add(await host.WalletAsync(id));
        }
        return wallets;
    }
}
