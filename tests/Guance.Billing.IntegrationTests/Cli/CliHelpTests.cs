using System.CommandLine;
using Guance.Billing.Cli;

namespace Guance.Billing.IntegrationTests.Cli;

/// <summary>What <c>--help</c> shows a person, for every command of guance-billing.</summary>
public sealed class CliHelpTests
{
    // Help aligns every description after the longest label of its section: one long label pushes them all right.
    private const int MaxDescriptionColumn = 60;

    public static TheoryData<string> Commands()
    {
        var paths = new TheoryData<string>();
        void Walk(Command command, string path)
        {
            paths.Add(path);
            foreach (var sub in command.Subcommands)
            {
                Walk(sub, (path + " " + sub.Name).Trim());
            }
        }
        Walk(GuanceCli.Build(), "");
        return paths;
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public void Descriptions_start_near_the_left_margin(string command)
    {
        var output = new StringWriter();
        var parse = GuanceCli.Build().Parse([.. command.Split(' ', StringSplitOptions.RemoveEmptyEntries), "--help"]);
        parse.Invoke(new InvocationConfiguration { Output = output });

        var rows = output.ToString().Split('\n').Where(line => line.StartsWith("  -", StringComparison.Ordinal) || line.StartsWith("  <", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(rows);
        foreach (var row in rows)
        {
            var gap = row.IndexOf("  ", 2, StringComparison.Ordinal);
            var column = gap < 0 ? row.Length : gap + row[gap..].TakeWhile(c => c == ' ').Count();
            Assert.True(column <= MaxDescriptionColumn, $"'guance-billing {command} --help': the description starts at column {column}: {row.TrimEnd()}");
        }
    }

    [Fact]
    public void A_long_list_of_choices_is_named_in_the_description_instead_of_the_label()
    {
        var output = new StringWriter();
        GuanceCli.Build().Parse(["webhooks", "create", "--help"]).Invoke(new InvocationConfiguration { Output = output });

        var kind = output.ToString().Split('\n').Single(line => line.TrimStart().StartsWith("--kind", StringComparison.Ordinal));
        Assert.StartsWith("  --kind <kind>", kind);
        Assert.Contains("bill-ready", kind);
        Assert.Contains("workspace-locked", kind);
    }
}
