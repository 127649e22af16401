using static Guance.Billing.IntegrationTests.Cli.CliScenario;

namespace Guance.Billing.IntegrationTests.Cli;

/// <summary>A command line that is not what a command takes: one error line in words and exit 2, nothing sent, never a stack trace.</summary>
[Collection(CliCollection.Name)]
public sealed class CliCommandLineTests(CliHost fixture)
{
    public static TheoryData<string[], string> Refused => new()
    {
        { ["usage", "report", "--collector-id", "web-01", "--item", "logs", "--quantity", "1.5"], "error: --quantity: '1.5' is not a whole number." },
        { ["usage", "report", "--collector-id", "web-01", "--item", "logs", "--quantity", "abc"], "error: --quantity: 'abc' is not a whole number." },
        { ["usage", "report", "--collector-id", "web-01", "--item", "logs", "--quantity", "99999999999999999999"], "error: --quantity: '99999999999999999999' is too large." },
        { ["usage", "report", "--collector-id", "web-01", "--sequence", "abc", "--item", "logs", "--quantity", "1"], "error: --sequence: 'abc' is not a whole number." },
        { ["usage", "report", "--collector-id", "web-01", "--item", "nope", "--quantity", "1"], "error: Argument 'nope' not recognized. Must be one of:" },
        { ["wallet", "charge", "-a", "ba_x", "--reference", "r-1", "--line", "logs=-1"], "error: --line logs: '-1' is not positive." },
        { ["wallet", "charge", "-a", "ba_x", "--reference", "r-1", "--line", "logs=0"], "error: --line logs: '0' is not positive." },
        { ["invoices", "request", "--info", "ii_x", "--source", "mb_x=0"], "error: --source: '0' is not positive." },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task A_value_of_the_wrong_kind_is_one_error_line(string[] args, string error)
    {
        var result = await fixture.NewCli().RunAsync(As(fixture.Host.OperatorToken!, args));

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.StartsWith(error, result.ErrorLines[0]);
        Assert.DoesNotContain("Unhandled", result.Stderr);
        Assert.DoesNotContain("System.", result.Stderr);
        Assert.DoesNotContain("   at ", result.Stderr);
    }

    [Fact]
    public async Task Login_with_token_reads_the_token_from_standard_input_when_given_no_value()
    {
        var cli = fixture.NewCli();

        var empty = await cli.RunAsync(new CliRun(["login", "--with-token"]) { Stdin = "" });
        Assert.Equal(2, empty.ExitCode);
        Assert.Equal("error: --with-token: standard input had no token.", empty.ErrorLines[0]);

        var piped = await cli.RunAsync(new CliRun(["login", "--with-token"]) { Stdin = fixture.Host.OperatorToken + "\n" });
        piped.Ok();
        Assert.StartsWith("Saved the token (not a console user's)", piped.Stdout);
        Assert.Contains(fixture.Host.OperatorToken!, await File.ReadAllTextAsync(cli.ConfigPath));
        Assert.DoesNotContain(fixture.Host.OperatorToken!, piped.Stdout + piped.Stderr);
    }
}
