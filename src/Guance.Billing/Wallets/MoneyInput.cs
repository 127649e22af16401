using System.Globalization;
using Guance.Billing.Common;

namespace Guance.Billing.Wallets;

/// <summary>An amount as the contract carries it (google.type.Money: currency, units, nanos), before validation.</summary>
public readonly record struct MoneyInput(string? CurrencyCode, long Units, int Nanos);

/// <summary>
/// The product's one currency. Amounts are exact integers of cents (fen) everywhere inside; an input
/// must be CNY, in whole cents, and within <see cref="MaxUnits"/>.
/// </summary>
public static class Cny
{
    public const string CurrencyCode = "CNY";
    public const long CentsPerUnit = 100;

    /// <summary>The largest single amount accepted: one trillion CNY.</summary>
    public const long MaxUnits = 1_000_000_000_000;

    private const int NanosPerCent = 10_000_000;
    private const int MaxNanos = 999_999_999;

    /// <summary>
    /// Validates <paramref name="money"/> as field <paramref name="field"/> and returns it in cents (0
    /// when invalid). Violations name the exact sub-field: <c>.currency_code</c>, <c>.nanos</c>,
    /// <c>.units</c>, or the field itself for a missing, mixed-sign or non-positive amount.
    /// </summary>
    public static long Money(this RequestValidator validator, MoneyInput? money, string field, bool positive = true)
    {
        if (money is not { } m)
        {
            validator.Check(false, field, "is required");
            return 0;
        }
        var ok = true;
        ok &= Check(validator, m.CurrencyCode == CurrencyCode, $"{field}.currency_code", $"must be {CurrencyCode}, the only currency billed");
        ok &= Check(validator, m.Nanos is >= -MaxNanos and <= MaxNanos, $"{field}.nanos", "must be between -999,999,999 and 999,999,999");
        ok &= Check(validator, !(m.Units > 0 && m.Nanos < 0) && !(m.Units < 0 && m.Nanos > 0), field, "units and nanos must have the same sign");
        ok &= Check(validator, m.Nanos % NanosPerCent == 0, $"{field}.nanos", "must be whole cents (a multiple of 10,000,000 nanos): amounts have at most 2 decimals");
        var bound = MaxUnits.ToString("N0", CultureInfo.InvariantCulture);
        if (positive && m.Units < 0)
        {
            // Not "must be at most 1,000,000,000,000" of a very negative amount, which would point the caller the wrong way.
            ok &= Check(validator, false, field, "must be positive");
        }
        else
        {
            ok &= Check(validator, m.Units is >= -MaxUnits and <= MaxUnits, $"{field}.units", positive ? $"must be at most {bound}" : $"must be between -{bound} and {bound}");
        }
        if (!ok)
        {
            return 0;
        }
        var cents = m.Units * CentsPerUnit + m.Nanos / NanosPerCent;
        if (positive && !Check(validator, cents > 0, field, "must be positive"))
        {
            return 0;
        }
        return cents;
    }

    /// <summary>Whole units and nanos of an amount in cents, with the same sign.</summary>
    public static (long Units, int Nanos) ToUnitsAndNanos(long cents) => (cents / CentsPerUnit, (int)(cents % CentsPerUnit) * NanosPerCent);

    /// <summary>For people: <c>1,234.50 CNY</c>.</summary>
    public static string Format(long cents) =>
        (cents < 0 ? "-" : "") + (Math.Abs(cents) / CentsPerUnit).ToString("#,0", CultureInfo.InvariantCulture) + "."
        + (Math.Abs(cents) % CentsPerUnit).ToString("00", CultureInfo.InvariantCulture) + " " + CurrencyCode;

    private static bool Check(RequestValidator validator, bool valid, string field, string description)
    {
        validator.Check(valid, field, description);
        return valid;
    }
}
