using System.CommandLine;
using System.CommandLine.Help;
using Guance.Billing.Cli.Infrastructure;

namespace Guance.Billing.Cli;

/// <summary>The root command: global options plus every <see cref="ICommandGroup"/> of this assembly.</summary>
public static partial class GuanceCli
{
    public static RootCommand Build()
    {
        var root = new RootCommand(
            "guance-billing: the command line of the Guance billing backend. Tables for people, --output json for scripts.\n" +
            "Exit codes: 0 ok, 1 other failure, 2 usage error, 3 invalid argument, 4 not found, 5 unauthenticated or denied, " +
            "6 failed precondition, 7 already exists or conflict, 8 quota or throttled, 9 host unavailable or timed out, 10 a check found problems.");
        foreach (var option in GlobalOptions.All)
        {
            root.Options.Add(option);
        }
        var groups = typeof(GuanceCli).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(ICommandGroup).IsAssignableFrom(t))
            .Select(t => (ICommandGroup)Activator.CreateInstance(t)!)
            .OrderBy(g => g.Order);
        foreach (var group in groups)
        {
            foreach (var command in group.Build())
            {
                root.Subcommands.Add(command);
            }
        }
        return root;
    }

    public static async Task<int> RunAsync(string[] args)
    {
        var parse = Build().Parse(args);
        if (parse.Errors.Count > 0 && parse.Action is not HelpAction)
        {
            // A word that is no command also leaves its parent without one: naming the word says it all.
            var unmatched = parse.Errors.Where(e => parse.UnmatchedTokens.Any(t => e.Message.Contains($"'{t}'", StringComparison.Ordinal))).ToList();
            foreach (var error in unmatched.Count > 0 ? unmatched : parse.Errors)
            {
                Console.Error.WriteLine("error: " + InWords(error.Message));
            }
            Console.Error.WriteLine(HelpHint(parse));
            return ExitCodes.Usage;
        }
        return await parse.InvokeAsync();
    }

    /// <summary>
    /// System.CommandLine's message for a value that is not of its option's type names the .NET type
    /// ("as expected type 'System.Int64'"); a person is told what the option takes instead.
    /// </summary>
    private static string InWords(string message)
    {
        var match = NotOfType().Match(message);
        if (!match.Success)
        {
            return message;
        }
        var (option, value, type) = (match.Groups["option"].Value, match.Groups["value"].Value, match.Groups["type"].Value);
        if (type.Contains("Int", StringComparison.Ordinal))
        {
            return value.TrimStart('-').All(char.IsAsciiDigit) && value.Trim('-').Length > 0
                ? $"{option}: '{value}' is too large."
                : $"{option}: '{value}' is not a whole number.";
        }
        if (type.Contains("Decimal", StringComparison.Ordinal) || type.Contains("Double", StringComparison.Ordinal))
        {
            return $"{option}: '{value}' is not a number.";
        }
        return $"{option}: '{value}' is not a value this option takes.";
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^Cannot parse argument '(?<value>.*)' for option '(?<option>[^']+)' as expected type '(?<type>[^']+)'\.$")]
    private static partial System.Text.RegularExpressions.Regex NotOfType();

    /// <summary>"  hint: see 'guance-billing workspaces create --help'" for the command that was parsed.</summary>
    public static string HelpHint(ParseResult parse) =>
        $"  hint: see '{string.Join(' ', CommandPath(parse).Prepend("guance-billing"))} --help'";

    private static Stack<string> CommandPath(ParseResult parse)
    {
        var names = new Stack<string>();
        for (var result = parse.CommandResult; result.Parent is System.CommandLine.Parsing.CommandResult parent; result = parent)
        {
            names.Push(result.Command.Name);
        }
        return names;
    }
}
