namespace Guance.Billing.BillingAccounts;

/// <summary>
/// Billing-center user names: 3 to 32 ASCII letters, digits, '_', '-' or '.', starting with a letter.
/// Unique without regard to case; never an e-mail address (no '@'), so they cannot collide with
/// console e-mails in shared keys.
/// </summary>
public static class Usernames
{
    public const int MinLength = 3;
    public const int MaxLength = 32;
    public const string Rule = "must be 3 to 32 letters, digits, '_', '-' or '.', starting with a letter";

    public static bool IsValid(string? username) =>
        username is { Length: >= MinLength and <= MaxLength }
        && char.IsAsciiLetter(username[0])
        && username.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.');

    public static string Normalize(string username) => username.Trim().ToLowerInvariant();
}
