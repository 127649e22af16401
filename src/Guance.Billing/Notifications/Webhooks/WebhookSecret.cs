using System.Security.Cryptography;

namespace Guance.Billing.Notifications.Webhooks;

/// <summary>Signing secrets in the Standard Webhooks form: <c>whsec_</c> + base64 of 24 random bytes.</summary>
public static class WebhookSecret
{
    public const string Prefix = "whsec_";
    private const int Bytes = 24;

    public static string New() => Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(Bytes));

    /// <summary>The HMAC key of a secret: the bytes after the prefix.</summary>
    public static byte[] Key(string secret) => Convert.FromBase64String(secret[Prefix.Length..]);
}
