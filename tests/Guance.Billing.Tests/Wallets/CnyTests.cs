using Guance.Billing.Common;
using Guance.Billing.Wallets;

namespace Guance.Billing.Tests.Wallets;

public sealed class CnyTests
{
    private static (long Cents, string[] Fields) Validate(MoneyInput? money, bool positive = true)
    {
        var validator = new RequestValidator();
        var cents = validator.Money(money, "amount", positive);
        if (validator.IsValid)
        {
            return (cents, []);
        }
        var error = Assert.Throws<BillingException>(validator.ThrowIfInvalid);
        return (cents, error.FieldViolations.Select(v => v.Field).Order().ToArray());
    }

    [Theory]
    [InlineData(12, 340_000_000, 1234)]
    [InlineData(0, 10_000_000, 1)]
    [InlineData(1_000_000_000_000, 0, 100_000_000_000_000)]
    public void Whole_cents_of_CNY_become_cents(long units, int nanos, long cents) =>
        Assert.Equal((cents, Array.Empty<string>()), Validate(new MoneyInput("CNY", units, nanos)));

    [Theory]
    [InlineData(null, 1, 0, "amount.currency_code")]
    [InlineData("USD", 1, 0, "amount.currency_code")]
    [InlineData("cny", 1, 0, "amount.currency_code")]
    [InlineData("CNY", 1, 5_000_000, "amount.nanos")]
    [InlineData("CNY", 0, 1, "amount.nanos")]
    [InlineData("CNY", 1, 1_000_000_000, "amount.nanos")]
    [InlineData("CNY", 1, -10_000_000, "amount")]
    [InlineData("CNY", 0, 0, "amount")]
    [InlineData("CNY", -1, 0, "amount")]
    [InlineData("CNY", long.MinValue, 0, "amount")]
    [InlineData("CNY", 1_000_000_000_001, 0, "amount.units")]
    public void Anything_else_names_the_exact_field(string? currency, long units, int nanos, string field) =>
        Assert.Equal([field], Validate(new MoneyInput(currency, units, nanos)).Fields);

    [Fact]
    public void A_missing_amount_is_required() => Assert.Equal(["amount"], Validate(null).Fields);

    [Fact]
    public void Negative_amounts_pass_where_sign_is_free() =>
        Assert.Equal((-150L, Array.Empty<string>()), Validate(new MoneyInput("CNY", -1, -500_000_000), positive: false));

    [Theory]
    [InlineData(123456, "1,234.56 CNY")]
    [InlineData(123456789, "1,234,567.89 CNY")]
    [InlineData(5, "0.05 CNY")]
    [InlineData(-250, "-2.50 CNY")]
    public void Amounts_are_formatted_for_people(long cents, string text) => Assert.Equal(text, Cny.Format(cents));

    [Fact]
    public void Cents_round_trip_to_units_and_nanos_with_one_sign()
    {
        Assert.Equal((12L, 340_000_000), Cny.ToUnitsAndNanos(1234));
        Assert.Equal((-12L, -340_000_000), Cny.ToUnitsAndNanos(-1234));
    }
}
