namespace Guance.Billing.Pricing;

/// <summary>One rated quantity: the units charged (hundredths) and the amount (cents).</summary>
public readonly record struct RatedAmount(long UnitsHundredths, long AmountCents);

/// <summary>
/// The rating rule of docs/domain.md §3: <c>units = quantity / price unit</c>, truncated (never rounded
/// up) to 2 decimals; <c>amount = units × unit price</c>, rounded half-up to the cent. Integer
/// arithmetic only: units in hundredths, unit prices in micro-CNY, amounts in cents.
/// </summary>
public static class Rating
{
    public const long MicrosPerUnit = 1_000_000;

    public static RatedAmount Rate(long quantity, long priceUnit, long unitPriceMicros)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(quantity);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(priceUnit);
        ArgumentOutOfRangeException.ThrowIfNegative(unitPriceMicros);

        // Checked: a quantity too large to rate fails the rating rather than wrapping into a wrong amount.
        var unitsHundredths = checked((long)((Int128)quantity * 100 / priceUnit));
        // cents = units × price × 100 = (hundredths / 100) × (micros / 10^6) × 100 = hundredths × micros / 10^6
        var numerator = (Int128)unitsHundredths * unitPriceMicros;
        var cents = (numerator + MicrosPerUnit / 2) / MicrosPerUnit;
        return new RatedAmount(unitsHundredths, checked((long)cents));
    }
}
