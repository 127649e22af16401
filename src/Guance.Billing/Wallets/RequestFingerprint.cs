using System.Security.Cryptography;
using System.Text;

namespace Guance.Billing.Wallets;

/// <summary>A hash of a money request's parameters: a replay must carry the same ones.</summary>
public static class RequestFingerprint
{
    public static string Of(params object?[] parts)
    {
        var canonical = string.Join('\u001f', parts.Select(p => p switch
        {
            null => "",
            DateTimeOffset t => t.UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture),
            IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
            _ => p.ToString() ?? "",
        }));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }
}
