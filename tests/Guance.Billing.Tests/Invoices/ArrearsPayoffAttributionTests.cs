using Guance.Billing.Invoices;
using Entry = Guance.Billing.Invoices.ArrearsPayoffAttribution.Entry;

namespace Guance.Billing.Tests.Invoices;

public sealed class ArrearsPayoffAttributionTests
{
    [Fact]
    public void Payments_pay_the_oldest_arrears_first_and_only_cash_counts()
    {
        var paid = ArrearsPayoffAttribution.CashPaidByCharge([
            new Entry(-1000, "db_a", false),
            new Entry(-2000, "db_b", false),
            // A card pays 15.00: a's 10.00 and 5.00 of b's, none of it cash.
            new Entry(1500, null, false),
            // Cash 8.00: the rest of b (15.00 left) is paid 8.00.
            new Entry(800, null, true),
            new Entry(-300, "db_c", false),
            // Cash 12.00: b's last 7.00, c's 3.00, and 2.00 that nothing owed.
            new Entry(1200, null, true),
        ]);
        Assert.Equal(new Dictionary<string, long> { ["db_b"] = 1500, ["db_c"] = 300 }, paid);
    }

    [Fact]
    public void Nothing_is_attributed_without_arrears_or_payments()
    {
        Assert.Empty(ArrearsPayoffAttribution.CashPaidByCharge([new Entry(500, null, true)]));
        Assert.Empty(ArrearsPayoffAttribution.CashPaidByCharge([new Entry(-500, "db_a", false)]));
    }

    [Fact]
    public void A_partial_payment_leaves_the_rest_of_the_oldest_charge_first_in_line()
    {
        var paid = ArrearsPayoffAttribution.CashPaidByCharge([
            new Entry(-1000, "db_a", false),
            new Entry(-1000, "db_b", false),
            new Entry(400, null, true),
            new Entry(700, null, true),
        ]);
        Assert.Equal(new Dictionary<string, long> { ["db_a"] = 1000, ["db_b"] = 100 }, paid);
    }
}
