using System.Security.Cryptography;
using System.Text;

namespace Guance.Billing.Identity;

/// <summary>The operator token of internal tools, held only as a hash once the host has started.</summary>
public sealed class OperatorToken
{
    private readonly byte[] _hash;

    public OperatorToken(string token, bool generated)
    {
        _hash = SHA256.HashData(Encoding.UTF8.GetBytes(token));
        Generated = generated;
    }

    /// <summary>True when no token was configured and the host made one up for local use.</summary>
    public bool Generated { get; }

    public static string Generate() => "gco_" + RandomNumberGenerator.GetString("0123456789abcdefghjkmnpqrstvwxyz", 40);

    public bool Matches(string bearer) =>
        CryptographicOperations.FixedTimeEquals(_hash, SHA256.HashData(Encoding.UTF8.GetBytes(bearer)));
}
