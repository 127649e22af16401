using System.Text;

namespace Guance.Billing.Console.Formatting;

/// <summary>CSV (RFC 4180) written in the browser: a field with a comma, a quote or a line break is quoted.</summary>
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
            if (field.AsSpan().IndexOfAny(",\"\r\n") >= 0)
            {
                text.Append('"').Append(field.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
            }
            else
            {
                text.Append(field);
            }
        }
        text.Append("\r\n");
    }
}
