using System.Globalization;
using Guance.Billing.Common;
using Guance.Billing.Wallets;

namespace Guance.Billing.Pricing;

/// <summary>
/// Unit prices as the contract carries them (Money with nanos) and as they are kept (micro-CNY):
/// a price may go below a cent (backup logs cost 0.007 per GB), down to a millionth of a yuan.
/// </summary>
public static class UnitPrices
{
    private const int NanosPerMicro = 1_000;

    /// <summary>The largest unit price accepted: a million CNY per price unit per day.</summary>
    public const long MaxMicros = 1_000_000 * Rating.MicrosPerUnit;

    /// <summary>Validates a unit price (CNY, not negative, whole micro-CNY) and returns it in micro-CNY (0 when invalid).</summary>
    public static long UnitPrice(this RequestValidator validator, MoneyInput? money, string field)
    {
        if (money is not { } m)
        {
            validator.Check(false, field, "is required");
            return 0;
        }
        var ok = Check(validator, m.CurrencyCode == Cny.CurrencyCode, $"{field}.currency_code", $"must be {Cny.CurrencyCode}");
        ok &= Check(validator, m.Units >= 0 && m.Nanos >= 0, field, "must not be negative");
        ok &= Check(validator, m.Nanos is >= 0 and <= 999_999_999, $"{field}.nanos", "must be between 0 and 999,999,999");
        ok &= Check(validator, m.Nanos % NanosPerMicro == 0, $"{field}.nanos", "must be a whole number of micro-CNY (a multiple of 1,000 nanos)");
        ok &= Check(validator, m.Units <= MaxMicros / Rating.MicrosPerUnit, $"{field}.units", "must be at most 1,000,000");
        return ok ? m.Units * Rating.MicrosPerUnit + m.Nanos / NanosPerMicro : 0;
    }

    /// <summary>Whole units and nanos of a price in micro-CNY.</summary>
    public static (long Units, int Nanos) ToUnitsAndNanos(long micros) =>
        (micros / Rating.MicrosPerUnit, (int)(micros % Rating.MicrosPerUnit) * NanosPerMicro);

    /// <summary>For people: <c>0.007</c>, <c>19.44</c>, <c>3</c>.</summary>
    public static string Format(long micros) =>
        (micros / (decimal)Rating.MicrosPerUnit).ToString("0.######", CultureInfo.InvariantCulture);

    private static bool Check(RequestValidator validator, bool valid, string field, string description)
    {
        validator.Check(valid, field, description);
        return valid;
    }
}
