using Guance.Billing.Workspaces;

namespace Guance.Billing.Notifications;

/// <summary>
/// The languages notices are written in (docs/domain.md §9): the billing account's own choice, else
/// Simplified Chinese for a workspace on a China site and English on the others, else the host's default.
/// </summary>
public static class NotificationLanguages
{
    public const string SimplifiedChinese = "zh-CN";
    public const string English = "en";

    public static readonly IReadOnlyList<string> All = [SimplifiedChinese, English];

    /// <summary>Whether <paramref name="language"/> is one notices are written in (case as listed).</summary>
    public static bool IsSupported(string? language) => language is SimplifiedChinese or English;

    /// <summary>A supported language as written in <see cref="All"/>, or English.</summary>
    public static string Normalize(string? language) =>
        All.FirstOrDefault(l => string.Equals(l, language, StringComparison.OrdinalIgnoreCase)) ?? English;

    /// <summary>The language of a site's notices when the account chose none.</summary>
    public static string OfSite(Site site) => Sites.IsChina(site) ? SimplifiedChinese : English;
}
