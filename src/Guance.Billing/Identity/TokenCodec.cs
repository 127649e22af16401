using System.Security.Cryptography;
using System.Text;
using Guance.Billing.Common;

namespace Guance.Billing.Identity;

/// <summary>
/// The bearer token format: a kind prefix (<c>gcu_</c>, <c>gct_</c>, <c>gcb_</c>), the 26-character
/// body of the token's id, then 32 characters of secret (160 random bits). The id lets the host
/// find the row; the secret is checked against its stored hash in constant time.
/// </summary>
public static class TokenCodec
{
    private const int IdBodyLength = 26;
    private const int SecretLength = 32;
    private const string SecretAlphabet = "0123456789abcdefghjkmnpqrstvwxyz";

    public sealed record Issued(string Id, string Bearer, byte[] SecretHash);

    public sealed record Parsed(TokenKind Kind, string Id, byte[] SecretHash);

    public static Issued Create(TokenKind kind, TimeProvider clock)
    {
        var id = Ids.New(IdPrefix(kind), clock);
        var secret = RandomNumberGenerator.GetString(SecretAlphabet, SecretLength);
        var bearer = string.Concat(BearerPrefix(kind), id.AsSpan(id.Length - IdBodyLength), secret);
        return new Issued(id, bearer, Hash(secret));
    }

    public static Parsed? Parse(string bearer)
    {
        if (bearer.Length != 4 + IdBodyLength + SecretLength)
        {
            return null;
        }
        TokenKind? kind = bearer[..4] switch
        {
            "gcu_" => TokenKind.User,
            "gct_" => TokenKind.Collector,
            "gcb_" => TokenKind.BillingSession,
            _ => null,
        };
        if (kind is null)
        {
            return null;
        }
        var id = string.Concat(IdPrefix(kind.Value), "_", bearer.AsSpan(4, IdBodyLength));
        return Ids.IsWellFormed(id, IdPrefix(kind.Value))
            ? new Parsed(kind.Value, id, Hash(bearer[(4 + IdBodyLength)..]))
            : null;
    }

    public static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    public static string IdPrefix(TokenKind kind) => kind switch
    {
        TokenKind.User => "tok",
        TokenKind.Collector => "ct",
        TokenKind.BillingSession => "bs",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private static string BearerPrefix(TokenKind kind) => kind switch
    {
        TokenKind.User => "gcu_",
        TokenKind.Collector => "gct_",
        TokenKind.BillingSession => "gcb_",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
