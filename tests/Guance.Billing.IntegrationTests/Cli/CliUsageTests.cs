using static Guance.Billing.IntegrationTests.Cli.CliScenario;

namespace Guance.Billing.IntegrationTests.Cli;

/// <summary>usage: support reproduces an agent's reports and reads them back as the Owner.</summary>
[Collection(CliCollection.Name)]
public sealed class CliUsageTests(CliHost fixture)
{
    [Fact]
    public async Task Support_reports_as_an_agent_and_reads_the_usage_back()
    {
        var workspace = await fixture.WorkspaceAsync();
        var cli = fixture.NewCli();
        var ws = workspace.WorkspaceId;
        string[] agent = ["--collector-token", workspace.CollectorToken, "--collector-id", "web-01"];

        var items = await cli.RunAsync("usage", "items");
        items.Ok();
        Assert.Matches(@"│ logs\s+│ Logs \(log-class data\)\s+│ records\s+│ per 1,000,000\s+│ sum\s+│ 1,000,000\s+│ yes\s+│", items.Stdout);
        Assert.Matches(@"│ synthetic-tests\s+│ .+│ 200,000 \(China sites\)\s+│ yes\s+│", items.Stdout);
        Assert.Matches(@"│ datakit\s+│ .+│ not available\s+│ no\s+│", items.Stdout);

        var reported = await cli.RunAsync(["usage", "report", .. agent, "--sequence", "1", "--item", "logs", "--quantity", "1200", "--item", "time-series", "--quantity", "850"]);
        reported.Ok();
        Assert.Contains("Sequence:   1", reported.Stdout);
        Assert.Contains("Records:    2", reported.Stdout);
        Assert.Contains("Result:     committed", reported.Stdout);

        var again = await cli.RunAsync(["usage", "report", .. agent, "--sequence", "1", "--item", "logs", "--quantity", "1200", "-o", "json"]);
        again.Ok();
        Assert.True(again.Json.GetProperty("duplicate").GetBoolean());
        Assert.Equal("1", again.Json.GetProperty("sequence").GetString());

        var overQuota = await cli.RunAsync(["usage", "report", .. agent, "--item", "logs", "--quantity", "999999"]);
        Assert.Equal(8, overQuota.ExitCode);
        Assert.Matches(@"^Sequence \d{16} \(generated: repeat it with --sequence \d{16} to retry this batch\)\.$", overQuota.ErrorLines[0]);
        Assert.StartsWith("error: ", overQuota.ErrorLines[1]);
        Assert.EndsWith("(EXPERIENCE_QUOTA_EXHAUSTED)", overQuota.ErrorLines[1]);
        Assert.Equal("  quota BILLING_ITEM_LOGS", overQuota.ErrorLines[2]);

        var stats = await cli.RunAsync(As(workspace.OwnerToken, "usage", "stats", "--workspace", ws));
        stats.Ok();
        Assert.Contains($"Workspace:  {ws}", stats.Stdout);
        Assert.Matches(@"Today:\s+\d{4}-\d\d-\d\d \(the billing day at the workspace's site\)", stats.Stdout);
        Assert.Matches(@"│ logs\s+│\s+1,200 │\s+0 │\s+1,200 │\s+1,000,000 │\s+998,800 │", stats.Stdout);
        Assert.Matches(@"│ time-series\s+│\s+850 │\s+0 │\s+850 │\s+3,000 │\s+2,150 │", stats.Stdout);

        var statsJson = await cli.RunAsync(As(workspace.OwnerToken, "usage", "stats", "-w", ws, "-o", "json"));
        var logs = statsJson.Json.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("item").GetString() == "BILLING_ITEM_LOGS");
        Assert.Equal("1200", logs.GetProperty("today").GetString());
        Assert.Equal("998800", logs.GetProperty("remainingToday").GetString());

        var chart = await cli.RunAsync(As(workspace.OwnerToken, "usage", "points", "-w", ws, "--item", "logs"));
        chart.Ok();
        var lines = chart.Stdout.TrimEnd().Split('\n');
        Assert.StartsWith($"logs of {ws}, hourly, site cn1 (Asia/Shanghai): ", lines[0]);
        Assert.Matches(@"^\d{4}-\d\d-\d\d \d\d:00 │█{55} 1,200$", lines[1]);
        Assert.Equal("max 1,200, 1 hour with usage", lines[2]);
        Assert.All(lines[1..], line => Assert.True(line.Length <= 80, line));

        var daily = await cli.RunAsync(As(workspace.OwnerToken, "usage", "points", "-w", ws, "--item", "time-series", "--daily", "--from", "7d", "-o", "json"));
        daily.Ok();
        Assert.Equal("850", Assert.Single(daily.Json.GetProperty("points").EnumerateArray()).GetProperty("quantity").GetString());

        var standard = await cli.RunAsync(As(workspace.StandardToken, "usage", "stats", "-w", ws));
        Assert.Equal(5, standard.ExitCode);
        Assert.StartsWith("error: ", standard.ErrorLines[0]);

        var noToken = await cli.RunAsync("usage", "report", "--collector-id", "web-01", "--item", "logs", "--quantity", "1");
        Assert.Equal(2, noToken.ExitCode);
        Assert.Equal("error: a collector token is needed: pass --collector-token (or GUANCE_COLLECTOR_TOKEN).", noToken.ErrorLines[0]);

        var unpaired = await cli.RunAsync(["usage", "report", .. agent, "--item", "logs", "--quantity", "1", "--quantity", "2"]);
        Assert.Equal(2, unpaired.ExitCode);
        Assert.Contains("Give one --quantity per --item", unpaired.Stderr);
    }

    [Fact]
    public async Task The_operator_resets_a_collectors_sequence_once_per_request_id()
    {
        var workspace = await fixture.WorkspaceAsync();
        var cli = fixture.NewCli();
        var op = fixture.Host.OperatorToken!;
        string[] agent = ["--collector-token", workspace.CollectorToken, "--collector-id", "web-09"];
        (await cli.RunAsync(["usage", "report", .. agent, "--sequence", "50", "--item", "logs", "--quantity", "1"])).Ok();
        string[] reset = ["usage", "reset-sequence", "-w", workspace.WorkspaceId, "--collector-id", "web-09", "--to", "10", "--reason", "agent restored an old spool", "--request-id", "reset-1"];

        var denied = await cli.RunAsync(As(workspace.OwnerToken, reset));
        Assert.Equal(5, denied.ExitCode);
        Assert.Equal("error: This call needs the operator token. (OPERATOR_REQUIRED)", denied.ErrorLines[0]);

        var done = await cli.RunAsync(As(op, reset));
        done.Ok();
        Assert.Matches(@"Previous mark:\s+50", done.Stdout);
        Assert.Matches(@"New mark:\s+10", done.Stdout);
        Assert.Matches(@"By:\s+operator", done.Stdout);
        var replayed = await cli.RunAsync(As(op, [.. reset, "-o", "json"]));
        replayed.Ok();
        Assert.True(replayed.Json.GetProperty("replayed").GetBoolean());
        Assert.Equal("50", replayed.Json.GetProperty("previousSequence").GetString());

        var applied = await cli.RunAsync(["usage", "report", .. agent, "--sequence", "11", "--item", "logs", "--quantity", "1", "-o", "json"]);
        applied.Ok();
        Assert.False(applied.Json.GetProperty("duplicate").GetBoolean());
    }

    [Fact]
    public async Task Stream_replays_a_file_of_records_and_says_what_was_refused()
    {
        var workspace = await fixture.WorkspaceAsync();
        var cli = fixture.NewCli();
        var collector = new Dictionary<string, string?> { ["GUANCE_COLLECTOR_TOKEN"] = workspace.CollectorToken };
        using var files = new Infrastructure.TemporaryDirectory("cli-stream");
        var now = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var accepted = Path.Combine(files.Path, "accepted.csv");
        File.WriteAllLines(accepted, ["item,quantity,observed_at", "# triggers of the replayed agent", .. Enumerable.Repeat($"triggers,1,{now}", 3000), "logs,7", "apm_trace,5"]);
        var overQuota = Path.Combine(files.Path, "over-quota.csv");
        File.WriteAllLines(overQuota, [.. Enumerable.Repeat("apm-profile,1", 100), "logs,3"]);
        var broken = Path.Combine(files.Path, "broken.csv");
        File.WriteAllLines(broken, ["logs,1", "", "logs,many"]);

        var streamed = await cli.RunAsync(new CliRun(["usage", "stream", "--collector-id", "replay-01", "-f", accepted, "-o", "json"]) { Environment = collector });
        streamed.Ok();
        Assert.Equal(3002, streamed.Json.GetProperty("recordsRead").GetInt32());
        Assert.Equal(3002, streamed.Json.GetProperty("recordsAcknowledged").GetInt32());
        Assert.Equal(0, streamed.Json.GetProperty("recordsDropped").GetInt32());
        Assert.Equal(0, streamed.Json.GetProperty("rejections").GetArrayLength());
        Assert.Equal("", streamed.Stderr);

        var refused = await cli.RunAsync(new CliRun(["usage", "stream", "--collector-id", "replay-02", "-f", overQuota]) { Environment = collector });
        Assert.True(refused.ExitCode == 8, refused.ToString());
        Assert.Contains("Records read:  101", refused.Stdout);
        Assert.Contains("Acknowledged:  1", refused.Stdout);
        Assert.Contains("Dropped:       100", refused.Stdout);
        Assert.Matches(@"Stopped apm-profile until \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ: EXPERIENCE_QUOTA_EXHAUSTED", refused.Stdout);
        Assert.Matches(@"^error: batch \d+ refused: .+ \(EXPERIENCE_QUOTA_EXHAUSTED\)$", refused.ErrorLines[0]);

        var bad = await cli.RunAsync(new CliRun(["usage", "stream", "--collector-id", "replay-03", "-f", broken]) { Environment = collector });
        Assert.Equal(2, bad.ExitCode);
        Assert.Equal($"error: {broken}:3: 'many' is not a whole quantity.", bad.ErrorLines[0]);

        var stats = await cli.RunAsync(As(workspace.OwnerToken, "usage", "stats", "-w", workspace.WorkspaceId, "-o", "json"));
        var today = stats.Json.GetProperty("items").EnumerateArray().ToDictionary(i => i.GetProperty("item").GetString()!, i => i.GetProperty("today").GetString());
        Assert.Equal("3000", today["BILLING_ITEM_TRIGGERS"]);
        Assert.Equal("10", today["BILLING_ITEM_LOGS"]);
        Assert.Equal("5", today["BILLING_ITEM_APM_TRACE"]);
        Assert.Equal("0", today["BILLING_ITEM_APM_PROFILE"]);
    }
}
