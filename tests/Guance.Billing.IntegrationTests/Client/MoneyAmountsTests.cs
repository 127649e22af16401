using Guance.Billing.Client;
using Guance.Billing.V1;

namespace Guance.Billing.IntegrationTests.Client;

/// <summary>MoneyAmounts: amounts typed by people read exactly into Money, and Money shown with two decimals and the currency.</summary>
public sealed class MoneyAmountsTests
{
    [Theory]
    [InlineData("100", 100, 0)]
    [InlineData("100.00", 100, 0)]
    [InlineData("100.5", 100, 500_000_000)]
    [InlineData("100.05", 100, 50_000_000)]
    [InlineData("0.01", 0, 10_000_000)]
    [InlineData("0.1", 0, 100_000_000)]
    [InlineData(" 7.30 ", 7, 300_000_000)]
    [InlineData("1,250.50", 1250, 500_000_000)]
    [InlineData("1,000,000", 1_000_000, 0)]
    [InlineData("-12.34", -12, -340_000_000)]
    [InlineData("-0.50", 0, -500_000_000)]
    [InlineData("9223372036854775807.99", long.MaxValue, 990_000_000)]
    public void Reads_amounts_exactly_into_units_and_nanos(string text, long units, int nanos)
    {
        var money = MoneyAmounts.Parse(text);

        Assert.Equal(new Money { CurrencyCode = "CNY", Units = units, Nanos = nanos }, money);
    }

    [Theory]
    [InlineData("100.00 CNY", "CNY")]
    [InlineData("CNY 100.00", "CNY")]
    [InlineData("100 usd", "USD")]
    public void Takes_the_currency_written_before_or_after(string text, string currency)
    {
        var money = MoneyAmounts.Parse(text);

        Assert.Equal(currency, money.CurrencyCode);
        Assert.Equal(100m, money.ToDecimal());
    }

    [Theory]
    [InlineData("100.001", "3 decimals")]
    [InlineData("0.005", "3 decimals")]
    [InlineData("100.000", "3 decimals")]
    [InlineData("1.123456789", "9 decimals")]
    [InlineData("9223372036854775808", "too large")]
    [InlineData("CNY 1 CNY", "currency twice")]
    [InlineData("", "not an amount")]
    [InlineData("   ", "not an amount")]
    [InlineData("abc", "not an amount")]
    [InlineData("100.", "not an amount")]
    [InlineData(".5", "not an amount")]
    [InlineData("1e3", "not an amount")]
    [InlineData("NaN", "not an amount")]
    [InlineData("Infinity", "not an amount")]
    [InlineData("12,34", "not an amount")]
    [InlineData("1,2345.00", "not an amount")]
    [InlineData("1 000", "not an amount")]
    [InlineData("+5", "not an amount")]
    [InlineData("--5", "not an amount")]
    [InlineData("١٠٠", "not an amount")]
    [InlineData("100 CNYX", "not an amount")]
    public void Refuses_what_is_not_an_exact_amount_of_cents_and_says_why(string text, string why)
    {
        Assert.False(MoneyAmounts.TryParse(text, "CNY", out var money, out var error));
        Assert.Null(money);
        Assert.Contains(why, error);
        Assert.Contains(why, Assert.Throws<FormatException>(() => MoneyAmounts.Parse(text)).Message);
    }

    [Theory]
    [InlineData(0, 0, "0.00 CNY")]
    [InlineData(100, 0, "100.00 CNY")]
    [InlineData(1234, 500_000_000, "1,234.50 CNY")]
    [InlineData(1_000_000, 10_000_000, "1,000,000.01 CNY")]
    [InlineData(-12, -750_000_000, "-12.75 CNY")]
    [InlineData(0, -10_000_000, "-0.01 CNY")]
    [InlineData(0, 5_000_000, "0.005 CNY")]
    [InlineData(1, 1, "1.000000001 CNY")]
    public void Shows_two_decimals_and_the_currency_and_never_rounds_money_away(long units, int nanos, string expected)
    {
        Assert.Equal(expected, new Money { CurrencyCode = "CNY", Units = units, Nanos = nanos }.Format());
    }

    [Fact]
    public void What_is_shown_reads_back_to_the_same_money()
    {
        foreach (var cents in new long[] { 0, 1, 99, 100, 123_456, 100_000_000_00, -5, -123_456 })
        {
            var money = MoneyAmounts.FromDecimal(cents / 100m);

            Assert.Equal(money, MoneyAmounts.Parse(money.Format()));
        }
    }

    [Fact]
    public void Decimals_convert_both_ways_exactly()
    {
        Assert.Equal(new Money { CurrencyCode = "CNY", Units = 19, Nanos = 440_000_000 }, MoneyAmounts.FromDecimal(19.44m));
        Assert.Equal(0.3m, (MoneyAmounts.Parse("0.1").ToDecimal() + MoneyAmounts.Parse("0.2").ToDecimal()));
        Assert.Equal(-0.07m, MoneyAmounts.FromDecimal(-0.07m).ToDecimal());
        Assert.Equal(0m, ((Money?)null).ToDecimal());
        Assert.Equal("", ((Money?)null).Format());
        Assert.Throws<ArgumentOutOfRangeException>(() => MoneyAmounts.FromDecimal(0.0000000001m));
        Assert.Throws<ArgumentOutOfRangeException>(() => MoneyAmounts.FromDecimal(decimal.MaxValue));
    }
}
