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

    /// <summary>A data: address that saves <paramref name="csv"/> (UTF-8) when a link with a download name is followed; no script needed under the CSP.</summary>
    public static string DataUrl(string csv) => DataUrl(Encoding.UTF8.GetBytes(csv));

    public static string DataUrl(byte[] utf8) => "data:text/csv;charset=utf-8;base64," + Convert.ToBase64String(utf8);

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
