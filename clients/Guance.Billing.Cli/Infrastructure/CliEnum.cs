using System.CommandLine;
using System.Reflection;
using System.Text;
using Google.Protobuf.Reflection;

namespace Guance.Billing.Cli.Infrastructure;

/// <summary>
/// Names of proto enum values on the command line and in tables: the proto name without the enum's
/// prefix, in lower case with hyphens (WORKSPACE_ROLE_READ_ONLY is "read-only"), so that what a
/// table shows is what an option accepts.
/// </summary>
public static class CliEnum
{
    public static string Name<T>(T value) where T : struct, Enum
    {
        var field = typeof(T).GetField(value.ToString());
        var original = field?.GetCustomAttribute<OriginalNameAttribute>()?.Name;
        if (original is null)
        {
            return value.ToString();
        }
        var prefix = UpperSnake(typeof(T).Name) + "_";
        var name = original.StartsWith(prefix, StringComparison.Ordinal) ? original[prefix.Length..] : original;
        return name == "UNSPECIFIED" ? "" : name.ToLowerInvariant().Replace('_', '-');
    }

    /// <summary>The names an option accepts: every value but UNSPECIFIED.</summary>
    public static string[] Names<T>() where T : struct, Enum =>
        Enum.GetValues<T>().Select(Name).Where(n => n.Length > 0).ToArray();

    /// <summary>
    /// Lets <paramref name="option"/> take only <paramref name="names"/>. Help names a short list in the option's
    /// label (<c>--mode &lt;cloud|wallet&gt;</c>) and a long one only in the description, which then lists it:
    /// help aligns every option's description after the longest label.
    /// </summary>
    public static void AcceptOnly<T>(Option<T> option, params string[] names)
    {
        option.AcceptOnlyFromAmong(names);
        if (string.Join('|', names).Length > MaxLabelChoices)
        {
            option.HelpName = option.Name.TrimStart('-');
        }
    }

    public const int MaxLabelChoices = 32;

    public static T Parse<T>(string name) where T : struct, Enum
    {
        var wanted = name.Trim().ToLowerInvariant();
        foreach (var value in Enum.GetValues<T>())
        {
            if (Name(value) is { Length: > 0 } candidate && candidate == wanted)
            {
                return value;
            }
        }
        throw new CommandLineException($"'{name}' is not one of: {string.Join(", ", Names<T>())}.");
    }

    private static string UpperSnake(string pascal)
    {
        var text = new StringBuilder();
        for (var i = 0; i < pascal.Length; i++)
        {
            if (i > 0 && char.IsUpper(pascal[i]))
            {
                text.Append('_');
            }
            text.Append(char.ToUpperInvariant(pascal[i]));
        }
        return text.ToString();
    }
}
