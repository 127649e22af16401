using System.Text;

namespace Guance.Billing.Console.Formatting;

/// <summary>
/// CSV (RFC 4180) written in the browser: a field with a comma, a quote or a line break is quoted. A text that a
/// spreadsheet would take for a formula (it begins with =, +, -, @, a tab or a carriage return, and is not a number)
/// begins with an apostrophe instead: names come from other people (a workspace's Owner names it).
/// </summary>
public static class Csv
{
    public static string Write(IEnumerable<string> header, IEnumerable<IEnumerable<string>> rows)
    {
        var text = new StringBuilder();
        AppendRow(text, header);
        foreach (var row in rows)
        {
            AppendRow(text, row);
        }
        return text.ToString();
    }

    /// <summary>The type a saved CSV file is handed to the browser with.</summary>
    public const string ContentType = "text/csv;charset=utf-8";

    /// <summary>The CSV as the bytes of a file (UTF-8), ready for <see cref="Components.CsvDownload"/>.</summary>
    public static byte[] Utf8(IEnumerable<string> header, IEnumerable<IEnumerable<string>> rows) => Encoding.UTF8.GetBytes(Write(header, rows));

    private static void AppendRow(StringBuilder text, IEnumerable<string> fields)
    {
        var first = true;
        foreach (var field in fields)
        {
            if (!first)
            {
                text.Append(',');
            }
            first = false;
            var value = IsFormula(field) ? "'" + field : field;
            if (value.AsSpan().IndexOfAny(",\"\r\n") >= 0)
            {
                text.Append('"').Append(value.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
            }
            else
            {
                text.Append(value);
            }
        }
        text.Append("\r\n");
    }

    private static bool IsFormula(string field) =>
        field.Length > 0 && "=+-@\t\r".Contains(field[0], StringComparison.Ordinal)
        && !decimal.TryParse(field, System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.InvariantCulture, out _);
}
