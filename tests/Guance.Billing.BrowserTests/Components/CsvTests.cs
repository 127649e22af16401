using Guance.Billing.Console.Formatting;

namespace Guance.Billing.BrowserTests.Components;

/// <summary>The console's CSV files: RFC 4180 quoting, and no formula for a spreadsheet to run in a name someone else chose.</summary>
public sealed class CsvTests
{
    [Fact]
    public void A_field_is_quoted_only_when_it_must_be_and_a_formula_begins_with_an_apostrophe()
    {
        var csv = Csv.Write(["name", "amount"],
        [
            ["Production", "-12.34"],
            ["Logs, \"EU\"", "+0.01"],
            ["=HYPERLINK(\"http://x.example\")", "0.00"],
            ["@SUM(A1)", "1.00"],
            ["-2+3", "2.00"],
        ]);

        Assert.Equal(
            "name,amount\r\nProduction,-12.34\r\n\"Logs, \"\"EU\"\"\",+0.01\r\n\"'=HYPERLINK(\"\"http://x.example\"\")\",0.00\r\n'@SUM(A1),1.00\r\n'-2+3,2.00\r\n",
            csv);
    }
}
