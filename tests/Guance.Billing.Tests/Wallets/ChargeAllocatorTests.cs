using Guance.Billing.Wallets;
using static Guance.Billing.Wallets.ChargeAllocator;

namespace Guance.Billing.Tests.Wallets;

public sealed class ChargeAllocatorTests
{
    private static (FundingSource, string?, string, long) Row(ChargeAllocation a) => (a.Source, a.LotId, a.ItemCode, a.Amount);

    [Fact]
    public void Kinds_pay_in_order_whatever_order_the_lots_come_in()
    {
        var lots = new[]
        {
            new Funding(FundingSource.PrepaidCard, "card", 100),
            new Funding(FundingSource.FullReductionVoucher, "full", 20),
            new Funding(FundingSource.OrdinaryVoucher, "ordinary", 10),
        };
        var allocations = Allocate([new ChargeLine("logs", 200)], lots, cash: 50, ChargeMode.Wallet);
        Assert.Equal(new (FundingSource, string?, string, long)[]
        {
            (FundingSource.OrdinaryVoucher, "ordinary", "logs", 10),
            (FundingSource.FullReductionVoucher, "full", "logs", 20),
            (FundingSource.PrepaidCard, "card", "logs", 100),
            (FundingSource.Cash, null, "logs", 50),
            (FundingSource.Arrears, null, "logs", 20),
        }, allocations.Select(Row));
    }

    [Fact]
    public void Within_a_kind_the_given_order_is_kept()
    {
        var lots = new[]
        {
            new Funding(FundingSource.OrdinaryVoucher, "expires-first", 5),
            new Funding(FundingSource.PrepaidCard, "card-expires-first", 5),
            new Funding(FundingSource.OrdinaryVoucher, "expires-later", 5),
            new Funding(FundingSource.PrepaidCard, "card-expires-later", 5),
        };
        var allocations = Allocate([new ChargeLine("logs", 18)], lots, cash: 0, ChargeMode.Wallet);
        Assert.Equal(["expires-first", "expires-later", "card-expires-first", "card-expires-later"], allocations.Select(a => a.LotId));
        Assert.Equal(3, allocations[^1].Amount);
    }

    [Theory]
    [InlineData("sms")]
    [InlineData("synthetic_tests")]
    public void Vouchers_never_pay_SMS_or_synthetic_tests(string item)
    {
        var lots = new[] { new Funding(FundingSource.OrdinaryVoucher, "v", 1000), new Funding(FundingSource.FullReductionVoucher, "f", 1000) };
        var allocations = Allocate([new ChargeLine(item, 30), new ChargeLine("logs", 40)], lots, cash: 10, ChargeMode.Wallet);
        Assert.Equal(new (FundingSource, string?, string, long)[]
        {
            (FundingSource.OrdinaryVoucher, "v", "logs", 40),
            (FundingSource.Cash, null, item, 10),
            (FundingSource.Arrears, null, item, 20),
        }, allocations.Select(Row));
    }

    [Fact]
    public void In_cloud_mode_cash_is_not_touched_and_the_rest_goes_to_the_cloud()
    {
        var lots = new[] { new Funding(FundingSource.PrepaidCard, "card", 25) };
        var allocations = Allocate([new ChargeLine("logs", 30), new ChargeLine("sms", 5)], lots, cash: 1_000, ChargeMode.Cloud);
        Assert.Equal(new (FundingSource, string?, string, long)[]
        {
            (FundingSource.PrepaidCard, "card", "logs", 25),
            (FundingSource.CloudAccount, null, "logs", 5),
            (FundingSource.CloudAccount, null, "sms", 5),
        }, allocations.Select(Row));
    }

    [Fact]
    public void Every_line_is_paid_exactly_and_no_source_gives_more_than_it_holds()
    {
        var random = new Random(4);
        string[] items = ["logs", "sms", "time_series", "synthetic_tests", "apm_trace"];
        for (var round = 0; round < 500; round++)
        {
            var lines = items.OrderBy(_ => random.Next()).Take(random.Next(1, 6)).Select(i => new ChargeLine(i, random.Next(1, 10_000))).ToList();
            var lots = Enumerable.Range(0, random.Next(0, 6)).Select(i => new Funding(
                (FundingSource)random.Next(1, 4), $"lot{i}", random.Next(0, 5_000))).ToList();
            var cash = random.Next(0, 5_000);
            var allocations = Allocate(lines, lots, cash, ChargeMode.Wallet);

            foreach (var line in lines)
            {
                Assert.Equal(line.Amount, allocations.Where(a => a.ItemCode == line.ItemCode).Sum(a => a.Amount));
            }
            foreach (var lot in lots)
            {
                Assert.True(allocations.Where(a => a.LotId == lot.LotId).Sum(a => a.Amount) <= lot.Available);
            }
            Assert.True(allocations.Where(a => a.Source == FundingSource.Cash).Sum(a => a.Amount) <= cash);
            Assert.All(allocations, a => Assert.True(a.Amount > 0));
            Assert.DoesNotContain(allocations, a => a.Source is FundingSource.OrdinaryVoucher or FundingSource.FullReductionVoucher && !ItemCodes.IsPayableByVouchers(a.ItemCode));
            // Arrears only when everything that could pay is used up.
            var arrears = allocations.Where(a => a.Source == FundingSource.Arrears).Sum(a => a.Amount);
            if (arrears > 0)
            {
                Assert.Equal(cash, allocations.Where(a => a.Source == FundingSource.Cash).Sum(a => a.Amount));
                Assert.All(lots.Where(l => l.Source == FundingSource.PrepaidCard),
                    card => Assert.Equal(card.Available, allocations.Where(a => a.LotId == card.LotId).Sum(a => a.Amount)));
            }
        }
    }
}
