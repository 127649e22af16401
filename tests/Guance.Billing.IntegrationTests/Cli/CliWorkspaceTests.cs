using System.Text.Json;

namespace Guance.Billing.IntegrationTests.Cli;

/// <summary>The support case end to end: an owner, a workspace, a colleague, a collector token; then every exit code.</summary>
[Collection(CliCollection.Name)]
public sealed class CliWorkspaceTests(CliHost fixture)
{
    private static CliRun As(string token, params string[] args) =>
        new(args) { Environment = new Dictionary<string, string?> { ["GUANCE_TOKEN"] = token } };

    private async Task<(CliProcess Cli, string OwnerToken, string WorkspaceId)> WorkspaceAsync(string name = "Production")
    {
        var owner = await fixture.SignUpAsync("owner");
        var cli = fixture.NewCli();
        var created = await cli.RunAsync(As(owner.Token, "workspaces", "create", "--name", name, "--site", "cn1", "-o", "json"));
        Assert.True(created.ExitCode == 0, created.ToString());
        return (cli, owner.Token, created.Json.GetProperty("workspace").GetProperty("workspaceId").GetString()!);
    }

    [Fact]
    public async Task Support_case_workspace_member_and_collector_token()
    {
        var owner = await fixture.SignUpAsync("owner");
        var colleague = await fixture.SignUpAsync("colleague");
        var cli = fixture.NewCli();

        var created = await cli.RunAsync(As(owner.Token, "workspaces", "create", "--name", "Production", "--site", "cn1", "--description", "prod"));
        Assert.True(created.ExitCode == 0, created.ToString());
        var workspaceId = System.Text.RegularExpressions.Regex.Match(created.Stdout, @"Workspace:\s+(ws_\w+)").Groups[1].Value;
        Assert.Contains("Plan:         experience", created.Stdout);
        Assert.Contains("Your role:    owner", created.Stdout);
        Assert.Matches(@"│ logs\s+│ 7d\s+│ 3 7 14 30 60\s+│", created.Stdout);

        var added = await cli.RunAsync(As(owner.Token, "workspaces", "members", "add", workspaceId, "--email", colleague.Email, "--role", "standard"));
        Assert.True(added.ExitCode == 0, added.ToString());
        Assert.Matches($@"│ {colleague.UserId}\s+│ {colleague.Email}\s+│ colleague\s+│ standard\s+│", added.Stdout);

        var members = await cli.RunAsync(As(owner.Token, "workspaces", "members", "list", workspaceId));
        Assert.True(members.ExitCode == 0, members.ToString());
        Assert.Matches($@"│ {owner.UserId}\s+│ {owner.Email}\s+│ owner\s+│ owner\s+│", members.Stdout);
        Assert.Matches($@"│ {colleague.UserId}\s+│ {colleague.Email}\s+│ colleague\s+│ standard\s+│", members.Stdout);

        var membersJson = await cli.RunAsync(As(owner.Token, "workspaces", "members", "list", workspaceId, "-o", "json"));
        Assert.Equal(["WORKSPACE_ROLE_OWNER", "WORKSPACE_ROLE_STANDARD"],
            membersJson.Json.GetProperty("members").EnumerateArray().Select(m => m.GetProperty("role").GetString()!).Order());
        Assert.Equal("", membersJson.Json.GetProperty("nextPageToken").GetString());

        var token = await cli.RunAsync(As(owner.Token, "workspaces", "collector-tokens", "create", workspaceId, "--name", "prod hosts", "-o", "json"));
        Assert.True(token.ExitCode == 0, token.ToString());
        Assert.StartsWith("gct_", token.Json.GetProperty("token").GetString());
        var tokenId = token.Json.GetProperty("collectorToken").GetProperty("collectorTokenId").GetString()!;

        var tokens = await cli.RunAsync(As(owner.Token, "workspaces", "collector-tokens", "list", workspaceId));
        Assert.Matches($@"│ {tokenId}\s+│ prod hosts\s+│", tokens.Stdout);

        var seenByColleague = await cli.RunAsync(As(colleague.Token, "workspaces", "list"));
        Assert.Matches($@"│ {workspaceId}\s+│ Production\s+│ cn1\s+│ experience\s+│ active\s+│ standard\s+│", seenByColleague.Stdout);
    }

    [Fact]
    public async Task Show_update_and_role_changes_by_email()
    {
        var (cli, ownerToken, workspaceId) = await WorkspaceAsync();
        var admin = await fixture.SignUpAsync("admin");
        Assert.Equal(0, (await cli.RunAsync(As(ownerToken, "workspaces", "members", "add", workspaceId, "--email", admin.Email))).ExitCode);

        var updated = await cli.RunAsync(As(ownerToken, "workspaces", "update", workspaceId, "--name", "Renamed", "-o", "json"));
        var promoted = await cli.RunAsync(As(ownerToken, "workspaces", "members", "role", workspaceId, admin.Email, "--role", "administrator", "-o", "json"));
        // The Owner is not a role that one gives: the CLI does not offer it (transfer does that).
        var owned = await cli.RunAsync(As(ownerToken, "workspaces", "members", "role", workspaceId, admin.Email, "--role", "owner"));
        Assert.Equal(2, owned.ExitCode);
        Assert.Contains("Argument 'owner' not recognized", owned.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("\t'owner'", owned.Stderr, StringComparison.Ordinal);
        var shown = await cli.RunAsync(As(admin.Token, "workspaces", "show", workspaceId));
        var nothingToUpdate = await cli.RunAsync(As(ownerToken, "workspaces", "update", workspaceId));

        Assert.Equal("Renamed", updated.Json.GetProperty("workspace").GetProperty("name").GetString());
        Assert.Equal("WORKSPACE_ROLE_ADMINISTRATOR", promoted.Json.GetProperty("member").GetProperty("role").GetString());
        Assert.Contains("Name:         Renamed", shown.Stdout);
        Assert.Contains("Your role:    administrator", shown.Stdout);
        Assert.Equal(2, nothingToUpdate.ExitCode);
        Assert.Contains("Nothing to update", nothingToUpdate.Stderr);
    }

    [Fact]
    public async Task Transfer_and_dissolve_need_confirmation_when_not_at_a_terminal()
    {
        var (cli, ownerToken, workspaceId) = await WorkspaceAsync();
        var heir = await fixture.SignUpAsync("heir");
        Assert.Equal(0, (await cli.RunAsync(As(ownerToken, "workspaces", "members", "add", workspaceId, "--email", heir.Email))).ExitCode);

        var unconfirmed = await cli.RunAsync(As(ownerToken, "workspaces", "transfer", workspaceId, "--to", heir.Email));
        var transferred = await cli.RunAsync(As(ownerToken, "workspaces", "transfer", workspaceId, "--to", heir.Email, "--yes", "-o", "json"));
        var dissolveUnconfirmed = await cli.RunAsync(As(heir.Token, "workspaces", "dissolve", workspaceId));
        var dissolved = await cli.RunAsync(As(heir.Token, "workspaces", "dissolve", workspaceId, "--yes", "-o", "json"));

        Assert.Equal(2, unconfirmed.ExitCode);
        Assert.Contains("Pass --yes to confirm", unconfirmed.Stderr);
        Assert.True(transferred.ExitCode == 0, transferred.ToString());
        Assert.Equal(heir.UserId, transferred.Json.GetProperty("workspace").GetProperty("ownerUserId").GetString());
        Assert.Equal(2, dissolveUnconfirmed.ExitCode);
        Assert.Equal("WORKSPACE_STATE_DISSOLVED", dissolved.Json.GetProperty("workspace").GetProperty("state").GetString());
    }

    [Fact]
    public async Task Members_are_removed_by_email()
    {
        var (cli, ownerToken, workspaceId) = await WorkspaceAsync();
        var member = await fixture.SignUpAsync("leaving");
        Assert.Equal(0, (await cli.RunAsync(As(ownerToken, "workspaces", "members", "add", workspaceId, "--email", member.Email, "--role", "read-only"))).ExitCode);

        var removed = await cli.RunAsync(As(ownerToken, "workspaces", "members", "remove", workspaceId, member.Email));
        var members = await cli.RunAsync(As(ownerToken, "workspaces", "members", "list", workspaceId, "-o", "json"));
        var unknown = await cli.RunAsync(As(ownerToken, "workspaces", "members", "remove", workspaceId, "nobody@example.com"));

        Assert.True(removed.ExitCode == 0, removed.ToString());
        Assert.Single(members.Json.GetProperty("members").EnumerateArray());
        Assert.Equal(4, unknown.ExitCode);
        Assert.Equal($"error: No member of {workspaceId} has the e-mail address nobody@example.com. (MEMBER_NOT_FOUND)", unknown.ErrorLines[0]);
    }

    [Fact]
    public async Task Lists_page_and_follow_every_page_with_all()
    {
        var owner = await fixture.SignUpAsync("pager");
        var cli = fixture.NewCli();
        foreach (var name in new[] { "One", "Two", "Three" })
        {
            Assert.Equal(0, (await cli.RunAsync(As(owner.Token, "workspaces", "create", "--name", name, "--site", "eu1"))).ExitCode);
        }

        var firstPage = await cli.RunAsync(As(owner.Token, "workspaces", "list", "--page-size", "2"));
        var firstPageJson = await cli.RunAsync(As(owner.Token, "workspaces", "list", "--page-size", "2", "-o", "json"));
        var next = firstPageJson.Json.GetProperty("nextPageToken").GetString()!;
        var secondPage = await cli.RunAsync(As(owner.Token, "workspaces", "list", "--page-size", "2", "--page-token", next, "-o", "json"));
        var all = await cli.RunAsync(As(owner.Token, "workspaces", "list", "--page-size", "2", "--all", "-o", "json"));

        Assert.Contains("│ One ", firstPage.Stdout);
        Assert.DoesNotContain("│ Three ", firstPage.Stdout);
        Assert.Contains($"More: add --page-token {next} (or --all).", firstPage.Stderr);
        Assert.Equal(["Three"], Names(secondPage.Json));
        Assert.Equal(["One", "Two", "Three"], Names(all.Json));
        Assert.Equal("", all.Json.GetProperty("nextPageToken").GetString());
    }

    [Fact]
    public async Task Sites_are_listed_without_a_token()
    {
        var cli = fixture.NewCli();

        var table = await cli.RunAsync("sites");
        var json = await cli.RunAsync("sites", "-o", "json");

        Assert.True(table.ExitCode == 0, table.ToString());
        Assert.Matches(@"│ cn1\s+│ China 1 \(Hangzhou\)\s+│ alibaba-cloud\s+│ Asia/Shanghai\s+│ cn\s+│", table.Stdout);
        Assert.Contains(json.Json.GetProperty("sites").EnumerateArray(), s => s.GetProperty("code").GetString() == "eu1");
    }

    [Fact]
    public async Task Alerts_are_set_listed_and_removed()
    {
        var (cli, ownerToken, workspaceId) = await WorkspaceAsync();
        (await cli.RunAsync(As(ownerToken, "workspaces", "alerts", "set", workspaceId, "--item", "logs", "--threshold", "12.50"))).Ok();
        var listed = await cli.RunAsync(As(ownerToken, "workspaces", "alerts", "list", workspaceId));
        Assert.Contains("12.50 CNY", listed.Stdout, StringComparison.Ordinal);

        var removed = await cli.RunAsync(As(ownerToken, "workspaces", "alerts", "remove", workspaceId, "--item", "logs"));
        Assert.Equal("Removed the threshold of logs.", removed.Stdout.Trim());
        var again = await cli.RunAsync(As(ownerToken, "workspaces", "alerts", "remove", workspaceId, "--item", "logs"));
        Assert.Equal("logs had no threshold; nothing changed.", again.Stdout.Trim());
        Assert.Equal("No thresholds.", (await cli.RunAsync(As(ownerToken, "workspaces", "alerts", "list", workspaceId))).Stdout.Trim());
    }

    [Fact]
    public async Task Exit_codes_tell_scripts_what_went_wrong()
    {
        var (cli, ownerToken, workspaceId) = await WorkspaceAsync();
        var standard = await fixture.SignUpAsync("standard");
        var outsider = await fixture.SignUpAsync("outsider");
        Assert.Equal(0, (await cli.RunAsync(As(ownerToken, "workspaces", "members", "add", workspaceId, "--email", standard.Email))).ExitCode);

        var invalid = await cli.RunAsync(As(ownerToken, "workspaces", "create", "--name", "", "--site", "mars1"));
        Assert.Equal(3, invalid.ExitCode);
        Assert.Equal(["error: The request has invalid fields (INVALID_ARGUMENT)", "  name: is required", "  site_code: must be the code of a site from ListSites"], invalid.ErrorLines);

        var notFound = await cli.RunAsync(As(outsider.Token, "workspaces", "show", workspaceId));
        Assert.Equal(4, notFound.ExitCode);
        Assert.Equal($"error: workspace '{workspaceId}' was not found. (WORKSPACE_NOT_FOUND)", Assert.Single(notFound.ErrorLines));

        var denied = await cli.RunAsync(As(standard.Token, "workspaces", "collector-tokens", "create", workspaceId, "--name", "mine"));
        Assert.Equal(5, denied.ExitCode);
        Assert.StartsWith("error: ", denied.ErrorLines[0]);

        var precondition = await cli.RunAsync(As(ownerToken, "workspaces", "retention", "set", workspaceId, "--data-type", "logs", "--days", "30"));
        Assert.Equal(6, precondition.ExitCode);
        Assert.EndsWith("(RETENTION_FIXED_ON_EXPERIENCE)", precondition.ErrorLines[0]);
        Assert.Equal($"  RETENTION_FIXED_ON_EXPERIENCE on workspaces/{workspaceId}", precondition.ErrorLines[1]);

        var exists = await cli.RunAsync(As(ownerToken, "workspaces", "members", "add", workspaceId, "--email", standard.Email));
        Assert.Equal(7, exists.ExitCode);
        Assert.EndsWith("(MEMBER_EXISTS)", exists.ErrorLines[0]);

        var unreachable = await cli.RunAsync(As(ownerToken, "workspaces", "list", "--server", "http://127.0.0.1:9"));
        Assert.Equal(9, unreachable.ExitCode);
        Assert.StartsWith("error: cannot reach the host at http://127.0.0.1:9/ (UNAVAILABLE)", unreachable.ErrorLines[0]);

        foreach (var args in new[]
                 {
                     new[] { "workspaces" },
                     ["workspaces", "create", "--site", "cn1"],
                     ["workspaces", "members", "add", workspaceId, "--email", standard.Email, "--role", "boss"],
                     ["workspaces", "list", "--bogus"],
                     ["workspaces", "list", "--output", "yaml"],
                     ["sites", "--timeout", "0"],
                     ["sites", "--server", "ftp://example.com"],
                 })
        {
            var usage = await cli.RunAsync(As(ownerToken, args));
            Assert.True(usage.ExitCode == 2, usage.ToString());
            Assert.StartsWith("error: ", usage.ErrorLines[0]);
            Assert.Contains("--help", usage.Stderr);
            Assert.DoesNotContain("   at ", usage.Stderr);
        }

        // A word that is no command is named alone, not beside "Required command was not provided".
        var unknown = await cli.RunAsync(As(ownerToken, "nosuch"));
        Assert.Equal(2, unknown.ExitCode);
        Assert.Equal(["error: Unrecognized command or argument 'nosuch'.", "  hint: see 'guance-billing --help'"], unknown.ErrorLines);
    }

    private static string[] Names(JsonElement list) =>
        list.GetProperty("workspaces").EnumerateArray().Select(w => w.GetProperty("name").GetString()!).ToArray();
}
