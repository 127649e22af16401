namespace Guance.Billing.BillingAccounts;

/// <summary>
/// China's unified social credit code (GB 32100-2015), the taxpayer ID of an enterprise: 18
/// characters from the 31 digits and capital letters without I, O, S, V and Z. The 18th is a check
/// character: with each character's value its index in that alphabet and weights 3^i mod 31 for the
/// first 17, the check is (31 - sum mod 31) mod 31.
/// </summary>
public static class UnifiedSocialCreditCode
{
    public const int Length = 18;
    private const string Alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";

    public static string Normalize(string? value) => (value ?? "").Trim().ToUpperInvariant();

    /// <summary>Whether the (normalized) code has the right length and characters.</summary>
    public static bool HasValidFormat(string code) => code.Length == Length && code.All(c => Alphabet.Contains(c));

    /// <summary>Whether the (normalized) code is well formed and its check character is right.</summary>
    public static bool IsValid(string code) => HasValidFormat(code) && CheckCharacter(code.AsSpan(0, Length - 1)) == code[Length - 1];

    public static char CheckCharacter(ReadOnlySpan<char> first17)
    {
        var sum = 0;
        var weight = 1;
        for (var i = 0; i < Length - 1; i++)
        {
            sum += Alphabet.IndexOf(first17[i]) * weight;
            weight = weight * 3 % Alphabet.Length;
        }
        return Alphabet[(Alphabet.Length - sum % Alphabet.Length) % Alphabet.Length];
    }
}
