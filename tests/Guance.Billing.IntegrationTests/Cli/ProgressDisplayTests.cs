using Guance.Billing.Cli;
using Guance.Billing.Cli.Infrastructure;
using Guance.Billing.V1;

namespace Guance.Billing.IntegrationTests.Cli;

/// <summary>The progress bar of long work: on standard error at a terminal only; the result on standard output is never touched.</summary>
public sealed class ProgressDisplayTests
{
    private static (CliContext Context, StringWriter Out, StringWriter Error) Context(bool errorIsTerminal, string? term = "xterm-256color")
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var environment = new CliEnvironment(output, error, new StringReader(""),
            name => name == "TERM" ? term : null, InputRedirected: true, OutputRedirected: true)
        {
            ErrorRedirected = !errorIsTerminal,
        };
        var parse = GuanceCli.Build().Parse(["wallet", "vouchers", "--account", "ba_x", "--all", "--page-size", "1", "-o", "json"]);
        return (new CliContext(parse, environment), output, error);
    }

    private static Task<ListVouchersResponse> ReadThreePagesAsync(CliContext context) =>
        Pages.ReadAsync(context,
            async (size, token) =>
            {
                await Task.Delay(150);
                var page = new ListVouchersResponse { NextPageToken = token switch { "" => "p2", "p2" => "p3", _ => "" } };
                page.Vouchers.Add(new Voucher { VoucherId = "vch_" + (token.Length == 0 ? "p1" : token) });
                return page;
            },
            r => r.Vouchers, r => r.NextPageToken, (r, next) => r.NextPageToken = next, "vouchers");

    [Fact]
    public async Task At_a_terminal_all_pages_are_read_under_a_progress_bar_on_standard_error()
    {
        var (context, output, error) = Context(errorIsTerminal: true);

        var response = await ReadThreePagesAsync(context);

        Assert.Equal(["vch_p1", "vch_p2", "vch_p3"], response.Vouchers.Select(v => v.VoucherId));
        Assert.Equal("", response.NextPageToken);
        Assert.Contains("Reading vouchers", error.ToString());
        Assert.Contains("\u001b[", error.ToString());
        Assert.Equal("", output.ToString());
    }

    [Theory]
    [InlineData(false, "xterm-256color")]
    [InlineData(true, "dumb")]
    [InlineData(true, null)]
    public async Task In_scripts_and_on_dumb_terminals_nothing_is_drawn(bool errorIsTerminal, string? term)
    {
        var (context, output, error) = Context(errorIsTerminal, term);

        var response = await ReadThreePagesAsync(context);

        Assert.Equal(3, response.Vouchers.Count);
        Assert.Equal("", error.ToString());
        Assert.Equal("", output.ToString());
    }
}
