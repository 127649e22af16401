using Google.Protobuf.WellKnownTypes;
using Guance.Billing.Client;
using Guance.Billing.Console.Formatting;
using Guance.Billing.V1;

namespace Guance.Billing.BrowserTests.Components;

/// <summary>Cards and vouchers by what their holder knows of them (face value, day in China time), never by their ids.</summary>
public sealed class LotNamesTests
{
    // 17:00 UTC on November 1 is November 2 in China.
    private static readonly Timestamp Bought = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 11, 1, 17, 0, 0, TimeSpan.Zero));

    [Fact]
    public void A_card_to_invoice_is_named_by_its_face_value_and_the_day_it_was_bought()
    {
        var source = new InvoiceableSource { SourceId = "card_01kbx", Kind = InvoiceSourceKind.PrepaidCardPurchase, Invoiceable = MoneyAmounts.FromDecimal(1000m), SinceTime = Bought };

        Assert.Equal("Prepaid card of CNY\u00A01,000.00, bought 2026-11-02", Names.Of(source));
    }

    [Fact]
    public void A_voucher_is_named_by_its_kind_face_value_and_the_day_it_came()
    {
        var voucher = new Voucher { VoucherId = "vch_01kbx", Kind = VoucherKind.FullReduction, FaceValue = MoneyAmounts.FromDecimal(100m), IssueTime = Bought };

        Assert.Equal("Full reduction voucher of CNY\u00A0100.00, from 2026-11-02", Names.Of(voucher));
    }
}
