using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.RegularExpressions;
using Guance.Billing.V1;

namespace Guance.Billing.Client;

/// <summary>
/// Exact conversions of <see cref="Money"/>: from the text people type ("100.00", "1,250.5 CNY"),
/// to <see cref="decimal"/>, and to text with two decimals and the currency. Never a float: the
/// digits are read into whole units and nanos as they are written.
/// </summary>
public static partial class MoneyAmounts
{
    /// <summary>The currency the product bills in.</summary>
    public const string Cny = "CNY";

    private const int NanosPerUnit = 1_000_000_000;

    /// <summary>
    /// Reads an amount: digits (ASCII only), optionally grouped by commas in threes ("1,250"), then
    /// optionally a dot and one or two decimals; an optional leading minus; an optional ISO currency
    /// code before or after it ("CNY 12.30", "12.30 CNY"), else <paramref name="defaultCurrency"/>.
    /// More than two decimals are refused, never rounded: billing amounts are whole cents.
    /// </summary>
    /// <exception cref="FormatException">The text is not such an amount; the message says why.</exception>
    public static Money Parse(string text, string defaultCurrency = Cny) =>
        TryParse(text, defaultCurrency, out var money, out var error) ? money : throw new FormatException(error);

    /// <summary>See <see cref="Parse"/>; <paramref name="error"/> says why the text is not an amount.</summary>
    public static bool TryParse(string? text, string defaultCurrency, [NotNullWhen(true)] out Money? money, [NotNullWhen(false)] out string? error)
    {
        money = null;
        var trimmed = text?.Trim() ?? "";
        var match = AmountPattern().Match(trimmed);
        if (trimmed.Length == 0 || !match.Success)
        {
            error = $"'{trimmed}' is not an amount: write it like 100, 100.5 or 1,250.00 (a dot before at most 2 decimals, optionally the currency, e.g. 100.00 CNY).";
            return false;
        }
        var leading = match.Groups["leading"];
        var trailing = match.Groups["trailing"];
        if (leading.Success && trailing.Success)
        {
            error = $"'{trimmed}' names the currency twice.";
            return false;
        }
        var fraction = match.Groups["fraction"].Value;
        if (fraction.Length > 2)
        {
            error = $"'{trimmed}' has {fraction.Length} decimals: amounts are whole cents, at most 2 decimals (nothing is rounded).";
            return false;
        }
        if (!long.TryParse(match.Groups["whole"].Value.Replace(",", ""), NumberStyles.None, CultureInfo.InvariantCulture, out var units))
        {
            error = $"'{trimmed}' is too large.";
            return false;
        }
        var nanos = fraction.Length == 0 ? 0 : int.Parse(fraction.PadRight(9, '0'), NumberStyles.None, CultureInfo.InvariantCulture);
        var negative = match.Groups["minus"].Success;
        var currency = (leading.Success ? leading.Value : trailing.Success ? trailing.Value : defaultCurrency).ToUpperInvariant();
        money = new Money { CurrencyCode = currency, Units = negative ? -units : units, Nanos = negative ? -nanos : nanos };
        error = null;
        return true;
    }

    /// <summary>The exact value of a Money (units plus nanos); zero for null.</summary>
    public static decimal ToDecimal(this Money? money) =>
        money is null ? 0m : money.Units + (decimal)money.Nanos / NanosPerUnit;

    /// <summary>A Money of exactly this value.</summary>
    /// <exception cref="ArgumentOutOfRangeException">More than 9 decimals, or more whole units than an int64 holds.</exception>
    public static Money FromDecimal(decimal amount, string currencyCode = Cny)
    {
        if (decimal.Round(amount, 9) != amount)
        {
            throw new ArgumentOutOfRangeException(nameof(amount), amount, "Money holds at most 9 decimals (nanos).");
        }
        var whole = decimal.Truncate(amount);
        if (whole < long.MinValue || whole > long.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(amount), amount, "Too large for Money.");
        }
        return new Money { CurrencyCode = currencyCode, Units = (long)whole, Nanos = (int)((amount - whole) * NanosPerUnit) };
    }

    /// <summary>
    /// "1,234.50 CNY": grouped digits, two decimals (more only when the amount has them: nothing is
    /// rounded away), then the currency code. Empty for null.
    /// </summary>
    public static string Format(this Money? money)
    {
        if (money is null)
        {
            return "";
        }
        var number = money.ToDecimal().ToString("#,0.00#######", CultureInfo.InvariantCulture);
        return money.CurrencyCode.Length == 0 ? number : number + " " + money.CurrencyCode;
    }

    [GeneratedRegex(@"^(?:(?<leading>[A-Za-z]{3})\s+)?(?<minus>-)?(?<whole>[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.(?<fraction>[0-9]+))?(?:\s+(?<trailing>[A-Za-z]{3}))?$", RegexOptions.CultureInvariant)]
    private static partial Regex AmountPattern();
}
