using static Guance.Billing.IntegrationTests.Cli.CliScenario;

namespace Guance.Billing.IntegrationTests.Cli;

/// <summary>
/// settlement against the shared host on the system clock: what support reads on a workspace not yet
/// upgraded, and every refusal with its exit code and one clear line (nothing here depends on the time).
/// </summary>
[Collection(CliCollection.Name)]
public sealed class CliSettlementRefusalTests(CliHost fixture)
{
    [Fact]
    public async Task An_experience_workspace_shows_its_settlement_and_the_system_clock_cannot_be_advanced()
    {
        var workspace = await fixture.WorkspaceAsync();
        var cli = fixture.NewCli();
        var op = fixture.Host.OperatorToken!;

        var shown = await cli.RunAsync(As(workspace.OwnerToken, "settlement", "show", workspace.WorkspaceId));
        shown.Ok();
        Assert.Matches(@"Plan:\s+experience\n", shown.Stdout);
        Assert.Matches(@"Locked:\s+no\n", shown.Stdout);
        var overview = await cli.RunAsync(As(workspace.OwnerToken, "settlement", "overview", workspace.WorkspaceId, "-o", "json"));
        overview.Ok();
        Assert.Equal(["BILLING_ACTION_UPGRADE_TO_COMMERCIAL"], overview.Json.At("overview", "actions").EnumerateArray().Select(a => a.GetString()!));
        var bills = await cli.RunAsync(As(workspace.OwnerToken, "settlement", "bills", "-w", workspace.WorkspaceId, "--month", "2026-11"));
        bills.Ok();
        Assert.Contains("No daily bills in this month.", bills.Stdout);
        Assert.Contains("Month total 2026-11: 0.00 CNY", bills.Stdout);

        var standard = await cli.RunAsync(As(workspace.StandardToken, "settlement", "show", workspace.WorkspaceId));
        Assert.Equal(5, standard.ExitCode);
        Assert.EndsWith(")", standard.ErrorLines[0]);

        var badCode = await cli.RunAsync(As(workspace.OwnerToken, "workspaces", "upgrade", workspace.WorkspaceId, "--binding-code", "nope", "--yes"));
        Assert.Equal(3, badCode.ExitCode);
        Assert.Equal("error: The request has invalid fields (INVALID_ARGUMENT)", badCode.ErrorLines[0]);
        Assert.StartsWith("  binding_code: must be a binding code", badCode.ErrorLines[1]);

        var clock = await cli.RunAsync(As(op, "settlement", "clock", "show"));
        clock.Ok();
        Assert.Matches(@"Clock:\s+system\n", clock.Stdout);
        var advance = await cli.RunAsync(As(op, "settlement", "clock", "advance", "--by", "1d"));
        Assert.Equal(6, advance.ExitCode);
        Assert.Equal("error: AdvanceClock needs Guance:Clock:Mode=Simulated; this host runs on the system clock. (CLOCK_NOT_SIMULATED)", advance.ErrorLines[0]);
        Assert.StartsWith("  hint: only a host started with --Guance:Clock:Mode=Simulated", advance.ErrorLines[^1]);

        // A day that has not ended (tomorrow in any zone) cannot be closed; only the operator may close days.
        var tomorrow = DateTimeOffset.UtcNow.AddDays(2).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var early = await cli.RunAsync(As(op, "settlement", "close-day", "--site", "cn1", "--day", tomorrow));
        Assert.Equal(6, early.ExitCode);
        Assert.EndsWith("(DAY_NOT_ENDED)", early.ErrorLines[0]);
        Assert.Equal("", early.Stdout);
        var notOperator = await cli.RunAsync(As(workspace.OwnerToken, "settlement", "close-day", "--site", "cn1", "--day", tomorrow));
        Assert.Equal(5, notOperator.ExitCode);
        Assert.Equal("error: This call needs the operator token. (OPERATOR_REQUIRED)", notOperator.ErrorLines[0]);
        var arrears = await cli.RunAsync(As(workspace.OwnerToken, "settlement", "process-arrears"));
        Assert.Equal(5, arrears.ExitCode);
    }

    [Fact]
    public async Task Settlement_command_lines_are_checked_before_anything_is_sent()
    {
        var cli = fixture.NewCli();
        var op = fixture.Host.OperatorToken!;
        foreach (var args in new[]
                 {
                     new[] { "settlement", "close-day", "--site", "cn1", "--day", "2026-13-01" },
                     ["settlement", "close-day", "--site", "cn1", "--day", "2026-11-03", "--to", "2026-11-02"],
                     ["settlement", "clock", "advance"],
                     ["settlement", "clock", "advance", "--by", "1d", "--to", "2026-12-01"],
                     ["settlement", "clock", "advance", "--to", "7d"],
                     ["settlement", "bills", "--workspace", "ws_x", "--month", "2026-13"],
                     ["settlement", "bills", "--workspace", "ws_x", "--account", "ba_x"],
                     ["settlement", "change-method", "ws_x", "--method", "paypal"],
                     ["settlement", "prices", "show"],
                     ["settlement", "prices", "create", "--region", "cn", "--effective-day", "2027-01-01"],
                     ["settlement", "prices", "create", "--region", "cn", "--effective-day", "2027-01-01", "--price", "logs=-1"],
                 })
        {
            var usage = await cli.RunAsync(As(op, args));
            Assert.True(usage.ExitCode == 2, string.Join(' ', args) + "\n" + usage);
            Assert.StartsWith("error: ", usage.ErrorLines[0]);
            Assert.Contains("--help", usage.Stderr);
        }

        var lists = await cli.RunAsync("settlement", "prices", "list");
        lists.Ok();
        Assert.Matches(@"│ pl_\w+\s+│ cn\s+│ \d{4}-\d{2}-\d{2} │", lists.Stdout);
        Assert.Matches(@"│ pl_\w+\s+│ intl\s+│ \d{4}-\d{2}-\d{2} │", lists.Stdout);
        var intl = await cli.RunAsync("settlement", "prices", "show", "--site", "us1", "-o", "json");
        intl.Ok();
        Assert.Equal("PRICE_REGION_INTL", intl.Json.At("priceList", "region").GetString());
    }
}
