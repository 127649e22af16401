namespace Guance.Billing.Wallets;

/// <summary>
/// The deduction rule, as a pure function: each source in order pays what it may of each line (in
/// the request's order) until it is empty. Order: ordinary vouchers, full-reduction vouchers,
/// prepaid cards (the caller passes them sorted: expiring first, then oldest), then cash, then
/// arrears, or in cloud mode the cloud account instead of cash and arrears. Vouchers never pay
/// <see cref="ItemCodes.NotPayableByVouchers"/>.
/// </summary>
public static class ChargeAllocator
{
    /// <summary>A lot or cash that can pay, with what it holds.</summary>
    public sealed record Funding(FundingSource Source, string? LotId, long Available);

    public static IReadOnlyList<ChargeAllocation> Allocate(IReadOnlyList<ChargeLine> lines, IEnumerable<Funding> lotsInOrder, long cash, ChargeMode mode)
    {
        var unpaid = lines.Select(l => l.Amount).ToArray();
        var allocations = new List<ChargeAllocation>();

        void Pay(Funding funding)
        {
            var available = funding.Available;
            for (var i = 0; i < lines.Count && available > 0; i++)
            {
                var isVoucher = funding.Source is FundingSource.OrdinaryVoucher or FundingSource.FullReductionVoucher;
                if (unpaid[i] == 0 || (isVoucher && !ItemCodes.IsPayableByVouchers(lines[i].ItemCode)))
                {
                    continue;
                }
                var paid = Math.Min(available, unpaid[i]);
                allocations.Add(new ChargeAllocation(lines[i].ItemCode, funding.Source, funding.LotId, paid));
                unpaid[i] -= paid;
                available -= paid;
            }
        }

        foreach (var lot in lotsInOrder.OrderBy(l => Rank(l.Source)))
        {
            Pay(lot);
        }
        if (mode == ChargeMode.Wallet)
        {
            Pay(new Funding(FundingSource.Cash, null, cash));
        }
        Pay(new Funding(mode == ChargeMode.Wallet ? FundingSource.Arrears : FundingSource.CloudAccount, null, long.MaxValue));
        return allocations;
    }

    /// <summary>The kind order; a stable sort keeps the caller's order (expiry, age) within a kind.</summary>
    private static int Rank(FundingSource source) => source switch
    {
        FundingSource.OrdinaryVoucher => 0,
        FundingSource.FullReductionVoucher => 1,
        FundingSource.PrepaidCard => 2,
        _ => throw new ArgumentOutOfRangeException(nameof(source), source, "Only vouchers and cards are lots."),
    };
}
