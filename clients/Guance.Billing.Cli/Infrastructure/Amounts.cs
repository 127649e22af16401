using System.CommandLine;
using System.Diagnostics.CodeAnalysis;
using Guance.Billing.Client;
using Guance.Billing.V1;

namespace Guance.Billing.Cli.Infrastructure;

/// <summary>
/// Options that take money: "100", "100.5", "1,250.00" or "100.00 CNY", read exactly by
/// <see cref="MoneyAmounts"/> (never through a float); more than 2 decimals, or an amount that is
/// not positive, is a usage error before anything is sent.
/// </summary>
public static class Amounts
{
    public static Option<Money?> Option(string name, string description, bool required = true) => new(name)
    {
        Description = description + " (e.g. 100 or 1,250.50; at most 2 decimals; CNY)",
        Required = required,
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
            if (!TryParsePositive(text, out var money, out var error))
            {
                result.AddError($"{name}: {error}");
                return null;
            }
            return money;
        },
    };

    /// <summary>A positive amount in CNY, or why the text is not one.</summary>
    public static bool TryParsePositive(string text, [NotNullWhen(true)] out Money? money, [NotNullWhen(false)] out string? error)
    {
        if (!MoneyAmounts.TryParse(text, MoneyAmounts.Cny, out money, out error))
        {
            return false;
        }
        if (money.ToDecimal() <= 0)
        {
            (money, error) = (null, $"'{text.Trim()}' is not positive.");
            return false;
        }
        return true;
    }
}
