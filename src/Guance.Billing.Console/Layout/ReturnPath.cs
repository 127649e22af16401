using Microsoft.AspNetCore.Components;

namespace Guance.Billing.Console.Layout;

/// <summary>
/// The page to return to after signing in again (the <c>return</c> query of a sign-in page): a path of this
/// console relative to its base address, never an absolute address, <c>//host</c> or a scheme such as
/// <c>javascript:</c>, so that a link cannot send a person elsewhere (no open redirect). It carries only the
/// page's own path and query; the console never puts a token in an address.
/// </summary>
public static class ReturnPath
{
    private const int MaxLength = 512;

    /// <summary>The current page as a base-relative path with its query, without the fragment.</summary>
    public static string Current(NavigationManager navigation) => navigation.ToBaseRelativePath(navigation.Uri).Split('#')[0];

    /// <summary>Whether <paramref name="path"/> is a local page path of this console that is safe to navigate to.</summary>
    public static bool IsLocal(string? path)
    {
        if (string.IsNullOrEmpty(path) || path.Length > MaxLength || path[0] is '/' or '\\' or '.')
        {
            return false;
        }
        if (path.Contains("//", StringComparison.Ordinal) || path.Contains('\\', StringComparison.Ordinal) || path.Any(char.IsControl) || path.Any(char.IsWhiteSpace))
        {
            return false;
        }
        // A colon before the first '/' or '?' would be read as a scheme (http:, javascript:, data:).
        var end = path.IndexOfAny(['/', '?']);
        return !(end < 0 ? path : path[..end]).Contains(':', StringComparison.Ordinal);
    }

    /// <summary><paramref name="signIn"/> with the current page to return to, when <paramref name="returnable"/> accepts it.</summary>
    public static string SignInFrom(NavigationManager navigation, string signIn, Func<string, bool> returnable)
    {
        var current = Current(navigation);
        return IsLocal(current) && returnable(current) ? signIn + "?return=" + Uri.EscapeDataString(current) : signIn;
    }
}
