using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace Guance.Billing.Notifications;

/// <summary>A notice as people read it: subject, plain text and HTML, in one language.</summary>
public sealed record RenderedNotice(string Subject, string Text, string Html);

/// <summary>
/// The templates of the notices: one embedded file per kind and language
/// (<c>Notifications/Templates/&lt;kind&gt;.&lt;language&gt;.txt</c>, kind in snake case), made of a
/// <c>Subject:</c> line, a <c>--- text</c> part and a <c>--- html</c> part. <c>{{name}}</c> is a figure
/// of the notice (HTML-encoded in the HTML part); <c>{{?flag}}…{{/flag}}</c> is kept when the flag is
/// set and <c>{{!flag}}…{{/flag}}</c> when it is not. A template without its file, or a figure the
/// notice lacks, is a bug: rendering throws, and the test that renders every kind finds it first.
/// </summary>
public static partial class NotificationTemplates
{
    private const string TextMarker = "--- text";
    private const string HtmlMarker = "--- html";
    private const string SubjectPrefix = "Subject:";

    /// <summary>The subject, which the HTML part repeats as its title.</summary>
    public const string TitleValue = "notice_title";

    /// <summary>The notice's id, which every HTML part shows (what support asks for).</summary>
    public const string IdValue = "notice_id";

    private static readonly ConcurrentDictionary<(NotificationKind, string), Template> Cache = new();

    /// <summary>Renders <paramref name="kind"/> in <paramref name="language"/> with <paramref name="values"/>, instants in <paramref name="zone"/>.</summary>
    public static RenderedNotice Render(NotificationKind kind, string language, NoticeValues values, TimeZoneInfo zone)
    {
        var normalized = NotificationLanguages.Normalize(language);
        var template = Cache.GetOrAdd((kind, normalized), key => Load(key.Item1, key.Item2));
        var subject = Fill(template.Subject, values, zone, normalized, html: false).Trim();
        values.Text(TitleValue, subject);
        return new RenderedNotice(
            subject,
            Fill(template.Text, values, zone, normalized, html: false).Trim() + "\n",
            Fill(template.Html, values, zone, normalized, html: true).Trim() + "\n");
    }

    /// <summary>The file name of a kind's template: <c>card_expiring_soon.zh-CN.txt</c>.</summary>
    public static string FileName(NotificationKind kind, string language) =>
        $"{SnakeCase().Replace(kind.ToString(), "$1_$2").ToLowerInvariant()}.{language}.txt";

    private static string ResourceName(NotificationKind kind, string language) =>
        typeof(NotificationTemplates).Namespace + ".Templates." + FileName(kind, language);

    private static Template Load(NotificationKind kind, string language)
    {
        var name = ResourceName(kind, language);
        using var stream = typeof(NotificationTemplates).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The notice kind {kind} has no {language} template ({FileName(kind, language)}).");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var content = reader.ReadToEnd().Replace("\r\n", "\n", StringComparison.Ordinal);
        var text = content.IndexOf("\n" + TextMarker + "\n", StringComparison.Ordinal);
        var html = content.IndexOf("\n" + HtmlMarker + "\n", StringComparison.Ordinal);
        if (!content.StartsWith(SubjectPrefix, StringComparison.Ordinal) || text < 0 || html < text)
        {
            throw new InvalidOperationException($"{FileName(kind, language)} must be a '{SubjectPrefix}' line, a '{TextMarker}' part and a '{HtmlMarker}' part.");
        }
        return new Template(
            content[SubjectPrefix.Length..text].Trim(),
            content[(text + TextMarker.Length + 2)..html],
            content[(html + HtmlMarker.Length + 2)..]);
    }

    private static string Fill(string part, NoticeValues values, TimeZoneInfo zone, string language, bool html)
    {
        var kept = Section().Replace(part, m =>
        {
            var name = m.Groups["name"].Value;
            if (!values.TryFlag(name, out var flag))
            {
                throw new InvalidOperationException($"The notice has no flag '{name}'.");
            }
            return flag == (m.Groups["sign"].Value == "?") ? m.Groups["body"].Value : "";
        });
        return Placeholder().Replace(kept, m =>
        {
            var value = values.Format(m.Groups["name"].Value, zone, language)
                ?? throw new InvalidOperationException($"The notice has no value '{m.Groups["name"].Value}'.");
            return html ? WebUtility.HtmlEncode(value) : value;
        });
    }

    [GeneratedRegex(@"([a-z])([A-Z])")]
    private static partial Regex SnakeCase();

    [GeneratedRegex(@"\{\{(?<sign>[?!])(?<name>[a-z_]+)\}\}(?<body>.*?)\{\{/\k<name>\}\}", RegexOptions.Singleline)]
    private static partial Regex Section();

    [GeneratedRegex(@"\{\{(?<name>[a-z_]+)\}\}")]
    private static partial Regex Placeholder();

    private sealed record Template(string Subject, string Text, string Html);
}
