namespace Guance.Billing.IntegrationTests.Cli;

[Collection(CliCollection.Name)]
public sealed class CliAccountTests(CliHost fixture)
{
    [Fact]
    public async Task Signup_prints_the_account_and_its_token_once()
    {
        var cli = fixture.NewCli();
        var email = $"ann.{Guid.NewGuid():N}@example.com";

        var result = await cli.RunAsync("signup", "--email", email, "--name", "Ann", "--password", "correct horse battery");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"E-mail:  {email}", result.Stdout);
        Assert.Contains("Name:    Ann", result.Stdout);
        Assert.Matches(@"Token:\s+gcu_\w+", result.Stdout);
        Assert.Contains("shown only once", result.Stderr);
        Assert.False(File.Exists(cli.ConfigPath));
    }

    [Fact]
    public async Task Signup_as_json_is_the_response_message()
    {
        var email = $"json.{Guid.NewGuid():N}@example.com";

        var result = await fixture.NewCli().RunAsync("signup", "--email", email, "--name", "Jay", "--password", "correct horse battery", "-o", "json");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(email, result.Json.GetProperty("user").GetProperty("email").GetString());
        Assert.StartsWith("usr_", result.Json.GetProperty("user").GetProperty("userId").GetString());
        Assert.StartsWith("gcu_", result.Json.GetProperty("token").GetString());
        Assert.Equal("", result.Stderr);
    }

    [Fact]
    public async Task Invalid_fields_print_one_line_then_the_violations_and_exit_3()
    {
        var result = await fixture.NewCli().RunAsync("signup", "--email", "not-an-email", "--name", "A", "--password", "short");

        Assert.Equal(3, result.ExitCode);
        Assert.Equal("", result.Stdout);
        Assert.Equal("error: The request has invalid fields (INVALID_ARGUMENT)", result.ErrorLines[0]);
        Assert.Equal(["  email: ", "  password: "], result.ErrorLines[1..].Select(l => l[..(l.IndexOf(':') + 2)]).Order());
        Assert.DoesNotContain("   at ", result.Stderr);
    }

    [Fact]
    public async Task Login_saves_the_token_for_later_commands()
    {
        var (email, _, userId) = await fixture.SignUpAsync("login");
        var cli = fixture.NewCli();

        var login = await cli.RunAsync(new CliRun(["login", "--email", email, "--password-stdin"]) { Stdin = "correct horse battery\n" });
        var whoami = await cli.RunAsync("whoami");

        Assert.True(login.ExitCode == 0, login.ToString());
        Assert.Contains($"Logged in to {fixture.Host.Address}", login.Stdout);
        Assert.Contains(email, File.ReadAllText(cli.ConfigPath));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(cli.ConfigPath));
        }
        Assert.True(whoami.ExitCode == 0, whoami.ToString());
        Assert.Contains($"User:        {userId}", whoami.Stdout);
        Assert.Contains($"Token from:  {cli.ConfigPath}", whoami.Stdout);
    }

    [Fact]
    public async Task A_wrong_password_exits_5_and_saves_nothing()
    {
        var (email, _, _) = await fixture.SignUpAsync("wrongpw");
        var cli = fixture.NewCli();

        var result = await cli.RunAsync("login", "--email", email, "--password", "not the password");

        Assert.Equal(5, result.ExitCode);
        Assert.StartsWith("error: ", result.ErrorLines[0]);
        Assert.EndsWith("(INVALID_CREDENTIALS)", result.ErrorLines[0]);
        Assert.False(File.Exists(cli.ConfigPath));
    }

    [Fact]
    public async Task The_token_flag_beats_GUANCE_TOKEN_which_beats_the_config_file()
    {
        var saved = await fixture.SignUpAsync("saved");
        var fromEnvironment = await fixture.SignUpAsync("environment");
        var fromFlag = await fixture.SignUpAsync("flag");
        var cli = fixture.NewCli();
        Assert.Equal(0, (await cli.RunAsync("login", "--with-token", saved.Token)).ExitCode);
        var environment = new Dictionary<string, string?> { ["GUANCE_TOKEN"] = fromEnvironment.Token };

        var fromConfig = await cli.RunAsync("whoami", "-o", "json");
        var withVariable = await cli.RunAsync(new CliRun(["whoami", "-o", "json"]) { Environment = environment });
        var withFlag = await cli.RunAsync(new CliRun(["whoami", "-o", "json", "--token", fromFlag.Token]) { Environment = environment });

        Assert.Equal(saved.UserId, fromConfig.Json.GetProperty("user").GetProperty("userId").GetString());
        Assert.Equal(fromEnvironment.UserId, withVariable.Json.GetProperty("user").GetProperty("userId").GetString());
        Assert.Equal(fromFlag.UserId, withFlag.Json.GetProperty("user").GetProperty("userId").GetString());
    }

    [Fact]
    public async Task Login_takes_the_operator_token_which_sees_every_workspace()
    {
        var owner = await fixture.SignUpAsync("someone");
        var cli = fixture.NewCli();
        var created = await cli.RunAsync(new CliRun(["workspaces", "create", "--name", "Somebody's", "--site", "cn2", "-o", "json"])
        {
            Environment = new Dictionary<string, string?> { ["GUANCE_TOKEN"] = owner.Token },
        });
        var workspaceId = created.Json.GetProperty("workspace").GetProperty("workspaceId").GetString()!;

        var login = await cli.RunAsync("login", "--with-token", fixture.Host.OperatorToken!);
        var listed = await cli.RunAsync("workspaces", "list", "--all", "-o", "json");
        var badToken = await fixture.NewCli().RunAsync("login", "--with-token", "gcu_not_a_token");

        Assert.True(login.ExitCode == 0, login.ToString());
        Assert.Contains("not a console user's", login.Stdout);
        Assert.Contains(listed.Json.GetProperty("workspaces").EnumerateArray(), w => w.GetProperty("workspaceId").GetString() == workspaceId);
        Assert.Equal(5, badToken.ExitCode);
    }

    [Fact]
    public async Task Signup_with_login_saves_the_token()
    {
        var cli = fixture.NewCli();
        var email = $"saved.{Guid.NewGuid():N}@example.com";

        var signup = await cli.RunAsync(new CliRun(["signup", "--email", email, "--name", "Sam", "--password-stdin", "--login"]) { Stdin = "correct horse battery\n" });
        var whoami = await cli.RunAsync("whoami", "-o", "json");

        Assert.True(signup.ExitCode == 0, signup.ToString());
        Assert.Contains($"saved the token to {cli.ConfigPath}", signup.Stderr);
        Assert.Equal(email, whoami.Json.GetProperty("user").GetProperty("email").GetString());
    }

    [Fact]
    public async Task Without_a_token_whoami_exits_5_with_a_hint()
    {
        var result = await fixture.NewCli().RunAsync("whoami");

        Assert.Equal(5, result.ExitCode);
        Assert.Equal("error: Send 'authorization: Bearer <token>'. (TOKEN_MISSING)", result.ErrorLines[0]);
        Assert.Contains("hint: log in with 'guance-billing login'", result.ErrorLines[1]);
    }

    [Fact]
    public async Task Logout_revokes_the_token_that_login_created()
    {
        var (email, _, _) = await fixture.SignUpAsync("logout");
        var cli = fixture.NewCli();
        Assert.Equal(0, (await cli.RunAsync("login", "--email", email, "--password", "correct horse battery")).ExitCode);
        var token = System.Text.Json.JsonDocument.Parse(File.ReadAllText(cli.ConfigPath)).RootElement.GetProperty("token").GetString()!;

        var logout = await cli.RunAsync("logout");
        var withOldToken = await cli.RunAsync("whoami", "--token", token);
        var afterwards = await cli.RunAsync("whoami");

        Assert.True(logout.ExitCode == 0, logout.ToString());
        Assert.DoesNotContain(token, File.ReadAllText(cli.ConfigPath));
        Assert.Equal(5, withOldToken.ExitCode);
        Assert.Equal(5, afterwards.ExitCode);
    }

    [Fact]
    public async Task Api_tokens_are_created_listed_and_revoked()
    {
        var user = await fixture.SignUpAsync("tokens");
        var cli = fixture.NewCli();
        var environment = new Dictionary<string, string?> { ["GUANCE_TOKEN"] = user.Token };

        var created = await cli.RunAsync(new CliRun(["tokens", "create", "--name", "ci", "--expires-in", "90d", "-o", "json"]) { Environment = environment });
        var tokenId = created.Json.GetProperty("apiToken").GetProperty("apiTokenId").GetString()!;
        var listed = await cli.RunAsync(new CliRun(["tokens", "list"]) { Environment = environment });
        var revoked = await cli.RunAsync(new CliRun(["tokens", "revoke", tokenId]) { Environment = environment });
        var relisted = await cli.RunAsync(new CliRun(["tokens", "list", "-o", "json"]) { Environment = environment });
        var badLifetime = await cli.RunAsync(new CliRun(["tokens", "create", "--name", "x", "--expires-in", "soon"]) { Environment = environment });

        Assert.True(created.ExitCode == 0, created.ToString());
        Assert.StartsWith("gcu_", created.Json.GetProperty("token").GetString());
        Assert.Matches($@"│ {tokenId}\s+│ ci\s+│ \S+ \S+\s+│ \S+ \S+\s+│\s+│", listed.Stdout);
        Assert.Contains("TOKEN ID", listed.Stdout);
        Assert.Equal($"Revoked {tokenId} (ci).", revoked.Stdout.Trim());
        var ci = relisted.Json.GetProperty("apiTokens").EnumerateArray().Single(t => t.GetProperty("apiTokenId").GetString() == tokenId);
        Assert.NotEqual("", ci.GetProperty("revokeTime").GetString());
        Assert.Equal(2, badLifetime.ExitCode);
        Assert.Contains("'soon' is not a duration", badLifetime.Stderr);
    }
}
