using Grpc.Core;
using Guance.Billing.Data;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.V1;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Guance.Billing.IntegrationTests.Infrastructure.BillingCenterScenario;

namespace Guance.Billing.IntegrationTests.BillingCenter;

public sealed class LedgerVerificationTests : IClassFixture<BillingHost>
{
    private readonly BillingHost host;

    public LedgerVerificationTests(BillingHost host)
    {
        this.host = host;
        host.Settings["Guance:Wallet:ExpiryJobEnabled"] = "false";
        // Tests here move the clock by days; sessions outlive that.
        host.Settings["Guance:BillingCenter:SessionLifetime"] = "365.00:00:00";
    }

    [Fact]
    public async Task VerifyLedger_is_clean_after_every_kind_of_movement_and_counts_what_it_checked()
    {
        var account = await host.RegisterBillingAccountAsync("verify");
        await host.RechargeAsync(account.Id, 10m);
        await host.GrantVoucherAsync(account.Id, 5m);
        await host.IssueCardAsync(account.Id, 100m);
        await host.Operator.BillingAccounts.ChargeAsync(Charge(account.Id, ("logs", 200m)));
        var other = await host.RegisterBillingAccountAsync("verify-other");
        await host.RechargeAsync(other.Id, 10m);
        await host.Operator.BillingAccounts.ChargeAsync(Charge(other.Id, ("logs", 3m)));

        var report = await host.Operator.BillingAccounts.VerifyLedgerAsync(new VerifyLedgerRequest { BillingAccountId = account.Id });
        Assert.True(report.Clean);
        Assert.Empty(report.Problems);
        Assert.Equal(4, report.TransactionsChecked);
        Assert.Equal(9, report.AccountsChecked); // 7 of every account, a voucher, a card
        // Exactly the account's entries: none of the other account's, none of its own left out.
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BillingDbContext>();
        Assert.Equal(await db.LedgerEntries.LongCountAsync(e => e.BillingAccountId == account.Id), report.EntriesChecked);
        Assert.True(report.EntriesChecked >= 12);
    }

    [Fact]
    public async Task VerifyLedger_finds_two_entries_numbered_alike_in_one_account()
    {
        // The entries' key no longer refuses such a pair (the entry count's check in every write does): the audit must find one.
        var account = await host.RegisterBillingAccountAsync("numbered-twice");
        await host.RechargeAsync(account.Id, 10m);
        await host.RechargeAsync(account.Id, 5m);
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BillingDbContext>();
            var cash = account.Id + ":cash";
            await db.LedgerEntries.Where(e => e.LedgerAccountId == cash && e.Sequence == 2).ExecuteUpdateAsync(s => s.SetProperty(e => e.Sequence, 1));
        }

        var report = await host.Operator.BillingAccounts.VerifyLedgerAsync(new VerifyLedgerRequest { BillingAccountId = account.Id });
        Assert.False(report.Clean);
        Assert.Contains(report.Problems, p => p.Kind == LedgerProblemKind.BrokenChain && p.Subject.StartsWith(account.Id + ":cash", StringComparison.Ordinal));
    }

    [Fact]
    public async Task VerifyLedger_finds_a_tampered_balance_and_a_tampered_entry()
    {
        var account = await host.RegisterBillingAccountAsync("tamper");
        await host.RechargeAsync(account.Id, 10m);
        await host.Operator.BillingAccounts.ChargeAsync(Charge(account.Id, ("logs", 3m)));
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BillingDbContext>();
            var cash = account.Id + ":cash";
            await db.LedgerAccounts.Where(a => a.Id == cash).ExecuteUpdateAsync(s => s.SetProperty(a => a.Balance, 1_000_00));
            var revenue = account.Id + ":revenue";
            await db.LedgerEntries.Where(e => e.LedgerAccountId == revenue).ExecuteUpdateAsync(s => s.SetProperty(e => e.Amount, 299));
        }

        var report = await host.Operator.BillingAccounts.VerifyLedgerAsync(new VerifyLedgerRequest { BillingAccountId = account.Id });
        Assert.False(report.Clean);
        Assert.Contains(report.Problems, p => p.Kind == LedgerProblemKind.BalanceMismatch && p.Subject == account.Id + ":cash");
        Assert.Contains(report.Problems, p => p.Kind == LedgerProblemKind.UnbalancedTransaction);
        Assert.Contains(report.Problems, p => p.Kind == LedgerProblemKind.BrokenChain && p.Subject.StartsWith(account.Id + ":revenue", StringComparison.Ordinal));
        var everything = await host.Operator.BillingAccounts.VerifyLedgerAsync(new VerifyLedgerRequest());
        Assert.False(everything.Clean);
    }

    [Fact]
    public async Task VerifyLedger_is_for_the_operator_only()
    {
        var account = await host.RegisterBillingAccountAsync("verify-perm");
        await host.AssertCallersAsync(account, BillingAccess.OperatorOnly,
            (client, id) => client.VerifyLedgerAsync(new VerifyLedgerRequest { BillingAccountId = id }));
        await RpcAssert.InvalidFields(() => host.Operator.BillingAccounts.VerifyLedgerAsync(new VerifyLedgerRequest { BillingAccountId = "nope" }), "billing_account_id");
        await RpcAssert.Fails(StatusCode.PermissionDenied, () => account.Client.VerifyLedgerAsync(new VerifyLedgerRequest()), "OPERATOR_REQUIRED");
    }
}
