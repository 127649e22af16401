using System.Security.Cryptography;
using System.Text;

namespace Guance.Billing.Common;

/// <summary>
/// Opaque page tokens for keyset pagination: the last key of a page, tied to the list it came from (its name,
/// owner and filters: a hash of them, so that the token neither echoes them nor grows with them) so that a token
/// of one list is refused by another.
/// </summary>
public static class Paging
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 1000;

    public static int Size(int requested) => requested == 0 ? DefaultPageSize : requested;

    public static string Encode(string list, string lastKey) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"v2\n{ListHash(list)}\n{lastKey}"))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public const string InvalidTokenDescription = "is not a page token of this list; pass the next_page_token of the previous call";

    /// <summary>The last key of the previous page, or null for the first page.</summary>
    public static string? Decode(string? token, string list) =>
        TryDecode(token, list, out var after) ? after : throw Errors.InvalidArgument("page_token", InvalidTokenDescription);

    /// <summary>False for a token that is not one of this list; <paramref name="after"/> is null for the first page.</summary>
    public static bool TryDecode(string? token, string list, out string? after)
    {
        after = null;
        if (string.IsNullOrEmpty(token))
        {
            return true;
        }
        try
        {
            var base64 = token.Replace('-', '+').Replace('_', '/');
            base64 = base64.PadRight(base64.Length + (4 - base64.Length % 4) % 4, '=');
            var parts = Encoding.UTF8.GetString(Convert.FromBase64String(base64)).Split('\n', 3);
            if (parts.Length == 3 && parts[0] == "v2" && parts[1] == ListHash(list) && parts[2].Length > 0)
            {
                after = parts[2];
                return true;
            }
        }
        catch (FormatException)
        {
        }
        return false;
    }

    private static string ListHash(string list) =>
        Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(list)).AsSpan(0, 16)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>Splits a fetched page of size+1 rows into the page and the next token.</summary>
    public static (IReadOnlyList<T> Items, string NextPageToken) Page<T>(List<T> fetched, int size, string list, Func<T, string> key)
    {
        if (fetched.Count <= size)
        {
            return (fetched, "");
        }
        fetched.RemoveAt(fetched.Count - 1);
        return (fetched, Encode(list, key(fetched[^1])));
    }
}
