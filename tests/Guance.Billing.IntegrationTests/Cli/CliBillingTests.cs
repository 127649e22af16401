using System.Text.Json;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.V1;
using static Guance.Billing.IntegrationTests.Cli.CliScenario;

namespace Guance.Billing.IntegrationTests.Cli;

/// <summary>billing: a billing-center account from registration to its cloud accounts, with the session saved beside the console login.</summary>
[Collection(CliCollection.Name)]
public sealed class CliBillingTests(CliHost fixture)
{
    private const string TaxpayerId = "91310000775785552L";

    [Fact]
    public async Task A_billing_account_registers_certifies_and_manages_itself_with_the_saved_session()
    {
        var cli = fixture.NewCli();
        var username = $"acme-{Guid.NewGuid():N}"[..20];
        var operatorToken = fixture.Host.OperatorToken!;

        var registered = await cli.RunAsync(new CliRun(["billing", "register", "--username", username, "--email", "finance@acme.example", "--password-stdin", "--login"]) { Stdin = Password + "\n" });
        registered.Ok();
        Assert.Contains($"User name:      {username}", registered.Stdout);
        Assert.Contains("Certification:  none", registered.Stdout);
        Assert.Matches(@"Token:\s+gcb_\w+", registered.Stdout);
        Assert.Contains($"saved the session to {cli.ConfigPath}", registered.Stderr);
        var saved = JsonDocument.Parse(File.ReadAllText(cli.ConfigPath)).RootElement.GetProperty("billing_center");
        var accountId = saved.GetProperty("billing_account_id").GetString()!;
        Assert.StartsWith("ba_", accountId);
        Assert.StartsWith("gcb_", saved.GetProperty("token").GetString());
        Assert.Equal(username, saved.GetProperty("username").GetString());

        var shown = await cli.RunAsync("billing", "show");
        shown.Ok();
        Assert.Contains($"Account:        {accountId}", shown.Stdout);

        var updated = await cli.RunAsync("billing", "update", "--name", "ACME Finance", "--phone", "+86 10 1234 5678", "-o", "json");
        updated.Ok();
        Assert.Equal("ACME Finance", updated.Json.At("billingAccount", "displayName").GetString());
        Assert.Equal("+86 10 1234 5678", updated.Json.At("billingAccount", "contactPhone").GetString());

        var submitted = await cli.RunAsync("billing", "certification", "submit", "--enterprise", "ACME Ltd", "--taxpayer-id", TaxpayerId);
        submitted.Ok();
        Assert.Contains("State:          pending", submitted.Stdout);

        var reviewedBySelf = await cli.RunAsync("billing", "certification", "review", "--account", accountId, "--approve");
        Assert.Equal(5, reviewedBySelf.ExitCode);
        Assert.Equal(["error: This call needs the operator token. (OPERATOR_REQUIRED)", "  hint: this needs the operator token: pass --token or GUANCE_TOKEN"], reviewedBySelf.ErrorLines);

        var approved = await cli.RunAsync("billing", "certification", "review", "--account", accountId, "--approve", "--token", operatorToken, "-o", "json");
        approved.Ok();
        Assert.Equal("CERTIFICATION_STATE_APPROVED", approved.Json.At("certification", "state").GetString());

        var added = await cli.RunAsync("billing", "cloud-accounts", "add", "--provider", "aws", "--provider-account-id", "123456789012", "--instance-id", "prod-abc", "--name", "AWS prod", "-o", "json");
        added.Ok();
        var cloudAccountId = added.Json.At("cloudAccount", "cloudAccountId").GetString()!;
        var listed = await cli.RunAsync("billing", "cloud-accounts", "list");
        Assert.Matches($@"│ {cloudAccountId}\s+│ aws\s+│ 123456789012\s+│ prod-abc\s+│ AWS prod\s+│", listed.Stdout);
        var removed = await cli.RunAsync("billing", "cloud-accounts", "remove", cloudAccountId);
        Assert.Equal($"Removed {cloudAccountId}.", removed.Stdout.Trim());

        var code = await cli.RunAsync("billing", "binding-code", "-o", "json");
        code.Ok();
        Assert.Matches("^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$", code.Json.GetProperty("bindingCode").GetString());
        var codeId = code.Json.GetProperty("bindingCodeId").GetString()!;
        var revoked = await cli.RunAsync("billing", "binding-codes", "revoke", codeId);
        revoked.Ok();
        Assert.Contains(codeId, revoked.Stdout, StringComparison.Ordinal);
        var codes = await cli.RunAsync("billing", "binding-codes", "list", "-o", "json");
        codes.Ok();
        Assert.Equal("BINDING_CODE_STATE_REVOKED", codes.Json.At("bindingCodes").EnumerateArray().Single().GetProperty("state").GetString());
        var bound = await cli.RunAsync("billing", "bound-workspaces");
        Assert.Equal($"No workspaces are bound to {accountId}.", bound.Stdout.Trim());

        await fixture.Host.Api().BillingAccounts.SignInBillingAccountAsync(new SignInBillingAccountRequest { Username = username, Password = Password });
        var changed = await cli.RunAsync(new CliRun(["billing", "password", "--password-stdin"]) { Stdin = $"{Password}\nanother long password\n" });
        changed.Ok();
        Assert.Equal($"Changed the password of {username}; 1 other session(s) ended.", changed.Stdout.Trim());

        var afterChange = await cli.RunAsync("wallet", "show", "-o", "json");
        afterChange.Ok();
        Assert.Equal(accountId, afterChange.Json.At("wallet", "billingAccountId").GetString());

        var session = JsonDocument.Parse(File.ReadAllText(cli.ConfigPath)).RootElement.GetProperty("billing_center").GetProperty("token").GetString()!;
        var loggedOut = await cli.RunAsync("billing", "logout");
        loggedOut.Ok();
        Assert.False(JsonDocument.Parse(File.ReadAllText(cli.ConfigPath)).RootElement.TryGetProperty("billing_center", out _));
        // The session is ended on the host, not only forgotten here.
        await RpcAssert.Fails(Grpc.Core.StatusCode.Unauthenticated,
            () => fixture.Host.Api(session).BillingAccounts.GetWalletAsync(new GetWalletRequest { BillingAccountId = accountId }), "TOKEN_REVOKED");
        var whichAccount = await cli.RunAsync("billing", "show");
        Assert.Equal(2, whichAccount.ExitCode);
        Assert.StartsWith("error: which billing account? Pass --account ba_...", whichAccount.ErrorLines[0]);
    }

    [Fact]
    public async Task Billing_login_sits_beside_the_console_login_and_errors_say_what_to_do()
    {
        var account = await fixture.BillingAccountAsync("login");
        var other = await fixture.BillingAccountAsync("other");
        var (email, consoleToken, _) = await fixture.SignUpAsync("console");
        var cli = fixture.NewCli();
        (await cli.RunAsync(new CliRun(["login", "--email", email, "--password-stdin"]) { Stdin = Password + "\n" })).Ok();

        var wrong = await cli.RunAsync(new CliRun(["billing", "login", "--username", account.Username, "--password-stdin"]) { Stdin = "not the password\n" });
        Assert.Equal(5, wrong.ExitCode);
        Assert.EndsWith("(INVALID_CREDENTIALS)", wrong.ErrorLines[0]);
        Assert.False(JsonDocument.Parse(File.ReadAllText(cli.ConfigPath)).RootElement.TryGetProperty("billing_center", out _));

        var login = await cli.RunAsync(new CliRun(["billing", "login", "--username", account.Username.ToUpperInvariant(), "--password-stdin"]) { Stdin = Password + "\n" });
        login.Ok();
        Assert.StartsWith($"Logged in to the billing center at {fixture.Host.Address} as {account.Username} ({account.BillingAccountId}) until ", login.Stdout);
        var config = JsonDocument.Parse(File.ReadAllText(cli.ConfigPath)).RootElement;
        Assert.StartsWith("gcu_", config.GetProperty("token").GetString());
        Assert.StartsWith("gcb_", config.At("billing_center", "token").GetString());

        // Console commands keep the console token; billing commands take the session.
        var whoami = await cli.RunAsync("whoami", "-o", "json");
        Assert.Equal(email, whoami.Json.At("user", "email").GetString());
        var mine = await cli.RunAsync("billing", "show", "-o", "json");
        Assert.Equal(account.BillingAccountId, mine.Json.At("billingAccount", "billingAccountId").GetString());

        var invalid = await cli.RunAsync("billing", "certification", "submit", "--enterprise", "A", "--taxpayer-id", "91310000775785552X");
        Assert.Equal(3, invalid.ExitCode);
        Assert.Equal("error: The request has invalid fields (INVALID_ARGUMENT)", invalid.ErrorLines[0]);
        Assert.Equal(["  enterprise_name: ", "  taxpayer_id: "], invalid.ErrorLines[1..].Select(l => l[..(l.IndexOf(':') + 2)]).Order());

        var othersAccount = await cli.RunAsync("billing", "show", "--account", other.BillingAccountId);
        Assert.Equal(4, othersAccount.ExitCode);

        var consoleUser = await cli.RunAsync(As(consoleToken, "billing", "show", "--account", account.BillingAccountId));
        Assert.Equal(5, consoleUser.ExitCode);
        Assert.EndsWith("(BILLING_CENTER_ONLY)", consoleUser.ErrorLines[0]);
        Assert.StartsWith("  hint: billing and wallet commands need a billing-center session", consoleUser.ErrorLines[1]);

        var expired = await cli.RunAsync(As("gcb_not_a_session", "billing", "show", "--account", account.BillingAccountId));
        Assert.Equal(5, expired.ExitCode);
        Assert.Equal("  hint: log in with 'guance-billing billing login', or pass --token or GUANCE_TOKEN", expired.ErrorLines[1]);

        var both = await cli.RunAsync("billing", "certification", "review", "--account", account.BillingAccountId, "--approve", "--reject", "no");
        Assert.Equal(2, both.ExitCode);
        Assert.Contains("Pass either --approve or --reject", both.Stderr);
    }
}
