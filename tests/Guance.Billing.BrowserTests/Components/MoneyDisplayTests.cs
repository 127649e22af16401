using Guance.Billing.Client;
using Guance.Billing.Console.Formatting;
using Guance.Billing.V1;

namespace Guance.Billing.BrowserTests.Components;

/// <summary>
/// An amount on the screen ("CNY 1,234.00") is one word: its currency and figure are joined by a no-break space, so
/// that no line ends with "CNY" and the next begins with the figure. Copied from the screen into an amount field
/// (a threshold, an amount to invoice), it still reads as that amount.
/// </summary>
public sealed class MoneyDisplayTests
{
    [Fact]
    public void An_amount_joins_its_currency_and_figure_with_a_no_break_space_and_reads_back_as_itself()
    {
        Assert.Equal("CNY\u00A01,234,500.25", Display.Money(MoneyAmounts.FromDecimal(1_234_500.25m)));
        Assert.Equal("CNY\u00A0-12.50", Display.Money(MoneyAmounts.FromDecimal(-12.5m)));
        Assert.Equal("USD\u00A00.07", Display.Money(MoneyAmounts.FromDecimal(0.07m, "USD")));

        var amount = MoneyAmounts.FromDecimal(1_234_500.25m);
        Assert.True(MoneyAmounts.TryParse(Display.Money(amount), MoneyAmounts.Cny, out var read, out var problem), problem);
        Assert.Equal(amount, read);
    }

    [Fact]
    public void A_movements_signed_change_joins_its_currency_and_figure_with_a_no_break_space()
    {
        var movement = WalletMovement.Of(new WalletTransaction { Amount = MoneyAmounts.FromDecimal(100m) });

        Assert.Equal("CNY\u00A0+100.00", movement.Change(100m));
        Assert.Equal("CNY\u00A0-12.50", movement.Change(-12.5m));
    }
}
