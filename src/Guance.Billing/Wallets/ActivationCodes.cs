using System.Security.Cryptography;
using System.Text;

namespace Guance.Billing.Wallets;

/// <summary>Voucher activation codes: compared without case, dashes or spaces; stored only as a hash.</summary>
public static class ActivationCodes
{
    public const int MinLength = 8;
    public const int MaxLength = 64;

    /// <summary>The code in upper case without dashes and spaces, or null when it is not a code.</summary>
    public static string? Normalize(string? code)
    {
        if (string.IsNullOrWhiteSpace(code) || code.Length > MaxLength + 16)
        {
            return null;
        }
        var normalized = string.Concat(code.Where(c => c != '-' && c != ' ')).ToUpperInvariant();
        return normalized.Length is >= MinLength and <= MaxLength && normalized.All(c => c is >= 'A' and <= 'Z' or >= '0' and <= '9')
            ? normalized
            : null;
    }

    public static byte[] Hash(string normalized) => SHA256.HashData(Encoding.UTF8.GetBytes("voucher-activation:" + normalized));
}
