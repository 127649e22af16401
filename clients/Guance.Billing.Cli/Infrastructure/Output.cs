using Google.Protobuf;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Guance.Billing.Cli.Infrastructure;

/// <summary>
/// Writes results: the response message as proto JSON with <c>--output json</c> (field names as
/// in buf curl and grpcurl, defaults included, so that scripts find every key), tables otherwise.
/// Notes and hints go to standard error, so that standard output stays the result alone.
/// </summary>
public sealed class Output
{
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true).WithIndentation());

    private readonly CliEnvironment _environment;

    public Output(CliEnvironment environment, bool json)
    {
        _environment = environment;
        Json = json;
        Console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(environment.Out),
            Ansi = AnsiSupport.Detect,
            ColorSystem = ColorSystemSupport.Detect,
            Interactive = environment.InputRedirected ? InteractionSupport.No : InteractionSupport.Detect,
        });
        if (environment.OutputRedirected)
        {
            // Wide enough that ids and e-mail addresses never wrap when the output goes to a file or a pipe.
            Console.Profile.Width = 240;
        }
    }

    public bool Json { get; }

    public IAnsiConsole Console { get; }

    /// <summary>The response as JSON for scripts, or what <paramref name="forPeople"/> writes.</summary>
    public void Result(IMessage response, Action forPeople)
    {
        if (Json)
        {
            _environment.Out.WriteLine(Formatter.Format(response));
        }
        else
        {
            forPeople();
        }
    }

    /// <summary>
    /// A table with a header row; <paramref name="empty"/> instead when there are no rows. Columns
    /// whose index is in <paramref name="right"/> (amounts, quantities) are aligned right.
    /// </summary>
    public void Table(string[] columns, IEnumerable<string[]> rows, string empty, int[]? right = null)
    {
        var table = new Table().Border(TableBorder.Rounded);
        for (var i = 0; i < columns.Length; i++)
        {
            var column = new TableColumn(new Text(columns[i])).NoWrap();
            table.AddColumn(right?.Contains(i) == true ? column.RightAligned() : column);
        }
        var any = false;
        foreach (var row in rows)
        {
            table.AddRow(row.Select(cell => (IRenderable)new Text(cell)).ToArray());
            any = true;
        }
        if (any)
        {
            Console.Write(table);
        }
        else
        {
            Line(empty);
        }
    }

    /// <summary>Label and value pairs, one a line, values aligned.</summary>
    public void Fields(params (string Label, string Value)[] fields)
    {
        var width = fields.Max(f => f.Label.Length) + 3;
        foreach (var (label, value) in fields)
        {
            _environment.Out.WriteLine((label + ":").PadRight(width) + value);
        }
    }

    public void Line(string text) => _environment.Out.WriteLine(text);

    /// <summary>A remark for the person at the terminal (standard error).</summary>
    public void Note(string text) => _environment.Error.WriteLine(text);
}
