using System.Collections.Concurrent;
using Google.Protobuf.WellKnownTypes;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.V1;
using Microsoft.EntityFrameworkCore;
using static Guance.Billing.IntegrationTests.Infrastructure.BillingCenterScenario;

namespace Guance.Billing.IntegrationTests.MultiHost;

/// <summary>
/// The wallet with two host processes on one PostgreSQL database. Every write of a billing account
/// bumps its wallet's version row first, and that row lock (not anything inside a process) orders
/// the writers of both hosts; idempotency keys are unique, so a request sent to both hosts is applied once.
/// </summary>
[Collection(TwoHosts.Name)]
public sealed class MultiHostWalletTests(TwoHostsFixture hosts)
{
    [PostgresFact]
    public async Task Charges_and_recharges_on_one_account_through_both_hosts_at_once_are_exact()
    {
        var cluster = await hosts.ClusterAsync();
        var operators = new[] { cluster.Operator(0).BillingAccounts, cluster.Operator(1).BillingAccounts };
        var username = $"hot-{Guid.NewGuid():N}"[..24];
        var account = (await cluster.Api(0).BillingAccounts.RegisterBillingAccountAsync(new RegisterBillingAccountRequest
        {
            Username = username, Password = Password, Email = $"{username}@example.com",
        })).BillingAccount.BillingAccountId;
        await operators[1].IssueVoucherAsync(new IssueVoucherRequest
        {
            BillingAccountId = account, Kind = VoucherKind.Ordinary, Amount = Yuan(40m), RequestId = Guid.NewGuid().ToString("N"),
            ExpireTime = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddDays(30)),
        });
        await operators[0].IssuePrepaidCardAsync(new IssuePrepaidCardRequest
        {
            BillingAccountId = account, FaceValue = Yuan(100m), RequestId = Guid.NewGuid().ToString("N"),
            ExpireTime = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddDays(365)),
        });

        // 80 charges of 3.10 (logs 2.50, which vouchers may pay; SMS 0.60, which they may not) and 60
        // recharges of 1.20, alternating between the hosts; 16 charges and 10 recharges go to both hosts.
        var charges = Enumerable.Range(0, 80).Select(_ => Charge(account, ("logs", 2.50m), ("sms", 0.60m))).ToList();
        var recharges = Enumerable.Range(0, 60).Select(_ => new RechargeRequest
        {
            BillingAccountId = account, Amount = Yuan(1.20m), RequestId = Guid.NewGuid().ToString("N"), PaymentMethod = PaymentMethod.Online,
        }).ToList();
        var chargeAnswers = new ConcurrentBag<(string Reference, string TransactionId, bool Replayed)>();
        var rechargeAnswers = new ConcurrentBag<(string RequestId, string TransactionId, bool Replayed)>();
        var calls = new List<Func<Task>>();
        for (int i = 0; i < charges.Count; i++)
        {
            var charge = charges[i];
            foreach (var host in i < 16 ? new[] { 0, 1 } : [i % 2])
            {
                calls.Add(async () =>
                {
                    var answer = await operators[host].ChargeAsync(charge);
                    chargeAnswers.Add((charge.Reference, answer.Result.TransactionId, answer.Replayed));
                });
            }
        }
        for (int i = 0; i < recharges.Count; i++)
        {
            var recharge = recharges[i];
            foreach (var host in i < 10 ? new[] { 0, 1 } : [i % 2])
            {
                calls.Add(async () =>
                {
                    var answer = await operators[host].RechargeAsync(recharge);
                    rechargeAnswers.Add((recharge.RequestId, answer.Transaction.TransactionId, answer.Replayed));
                });
            }
        }
        using var go = new SemaphoreSlim(0);
        var running = calls.OrderBy(_ => Random.Shared.Next()).Select(call => Task.Run(async () =>
        {
            await go.WaitAsync();
            await call();
        })).ToList();
        go.Release(running.Count);
        await Task.WhenAll(running);

        // A request sent to both hosts was applied once: both answers name one transaction, one of them a replay.
        Assert.All(chargeAnswers.GroupBy(a => a.Reference), answers =>
        {
            Assert.Single(answers.Select(a => a.TransactionId).Distinct());
            Assert.Single(answers, a => !a.Replayed);
        });
        Assert.All(rechargeAnswers.GroupBy(a => a.RequestId), answers =>
        {
            Assert.Single(answers.Select(a => a.TransactionId).Distinct());
            Assert.Single(answers, a => !a.Replayed);
        });
        Assert.Equal(80, chargeAnswers.Select(a => a.TransactionId).Distinct().Count());
        Assert.Equal(60, rechargeAnswers.Select(a => a.TransactionId).Distinct().Count());

        // One more charge, made on both hosts at the same moment (as CloseDay will be): applied once.
        var last = Charge(account, ("logs", 1m));
        var lastAnswers = await cluster.OnEveryHostAtOnceAsync(host => host.Api(cluster.OperatorToken).BillingAccounts.ChargeAsync(last).ResponseAsync);
        Assert.Single(lastAnswers.Select(a => a.Result.TransactionId).Distinct());
        Assert.Single(lastAnswers, a => !a.Replayed);

        // Charged 249.00: the voucher's 40 (logs only), the card's 100, then 109 from cash or arrears;
        // recharged 72.00, which pays arrears before it becomes cash. Whatever the order, 37.00 is owed.
        foreach (var client in operators)
        {
            var wallet = (await client.GetWalletAsync(new GetWalletRequest { BillingAccountId = account })).Wallet;
            Assert.Equal(Zero, wallet.OrdinaryVouchers);
            Assert.Equal(Zero, wallet.PrepaidCards);
            Assert.Equal(Zero, wallet.Cash);
            Assert.Equal(Yuan(37m), wallet.Arrears);
            Assert.NotNull(wallet.ArrearsSince);

            var report = await client.VerifyLedgerAsync(new VerifyLedgerRequest { BillingAccountId = account });
            Assert.True(report.Clean, string.Join("; ", report.Problems.Select(p => $"{p.Kind} {p.Subject}: {p.Description}")));
            // The two issues and the 141 applied requests; a replay adds nothing.
            Assert.Equal(143, report.TransactionsChecked);
        }
        await using (var db = cluster.Database.NewContext())
        {
            Assert.Equal(24_900, (await db.LedgerAccounts.SingleAsync(a => a.Id == account + ":revenue")).Balance);
            Assert.Equal(143, await db.LedgerTransactions.CountAsync(t => t.BillingAccountId == account));
        }
        cluster.AssertNoErrorsLogged();
    }
}
