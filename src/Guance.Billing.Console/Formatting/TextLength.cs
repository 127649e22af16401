namespace Guance.Billing.Console.Formatting;

/// <summary>
/// A text's length as the host bounds it: in Unicode code points (docs/api.md), so that an emoji counts once, where a
/// browser's maxlength and MudBlazor's counter count UTF-16 units and would stop a person short of the host's bound.
/// </summary>
public static class TextLength
{
    public static int Of(string? text) => text?.EnumerateRunes().Count() ?? 0;

    /// <summary>"12 / 100".</summary>
    public static string Counter(string? text, int bound) => $"{Of(text)} / {bound}";

    /// <summary>The field's own error, else "at most N characters" when the text is longer; null when neither.</summary>
    public static string? Error(string? text, int bound, string? hostError) =>
        hostError ?? (Of(text) > bound ? $"must be at most {bound} characters" : null);
}
