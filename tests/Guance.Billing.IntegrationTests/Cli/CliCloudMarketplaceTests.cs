using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.V1;
using static Guance.Billing.IntegrationTests.Cli.CliScenario;

namespace Guance.Billing.IntegrationTests.Cli;

/// <summary>
/// cloud: an operator follows an AWS customer's metering record by hand, from pending through a refusal and AWS's six
/// hours to a reissue, and finds the record that AWS metered twice.
/// </summary>
[Collection(CliCloudClockCollection.Name)]
public sealed class CliCloudMarketplaceTests(CliCloudClockHost fixture)
{
    private HostProcess Host => fixture.Host;

    [Fact]
    public async Task An_operator_reissues_an_expired_aws_record_and_finds_the_one_metered_twice()
    {
        var op = Host.OperatorToken!;
        var cli = fixture.NewCli();
        var workspace = await Host.WorkspaceAsync("cn2");
        var ws = workspace.WorkspaceId;
        var account = await Host.BillingAccountAsync("aws");
        (await cli.RunAsync(As(workspace.OwnerToken, "workspaces", "upgrade", ws, "--binding-code", await Host.BindingCodeAsync(account), "--yes"))).Ok();
        var added = await cli.RunAsync(As(account.SessionToken, "billing", "cloud-accounts", "add", "-a", account.BillingAccountId,
            "--provider", "aws", "--provider-account-id", "123456789012", "--instance-id", "prod-" + Guid.NewGuid().ToString("N")[..8], "-o", "json"));
        added.Ok();
        var cloudAccount = added.Json.At("cloudAccount", "cloudAccountId").GetString()!;
        (await cli.RunAsync(As(workspace.OwnerToken, "settlement", "change-method", ws, "--method", "aws", "--cloud-account", cloudAccount))).Ok();

        // Logs of 2026-11-02 in Ningxia: 10,000,000 / 1,000,000 = 10.00 units x 1.50 = 15.00 CNY, metered to AWS as 1,500.
        (await cli.RunAsync(As(op, "settlement", "clock", "advance", "--by", "1h"))).Ok();
        await Host.ReportAsync(workspace, 1, (BillingItem.Logs, 10_000_000));
        (await cli.RunAsync(As(op, "settlement", "clock", "advance", "--to", "2026-11-02T16:30:00Z"))).Ok();
        var pending = await cli.RunAsync(As(op, "cloud", "records", "--provider", "aws"));
        pending.Ok();
        Assert.Matches($@"│ cmr_\w+ │ {cloudAccount} │ 2026-11-02 │ logs\s+│\s+1,500 │\s+15\.00 CNY │ [^│]+│ pending\s+│\s+0 │", pending.Stdout);
        var record = (await cli.RunAsync(As(op, "cloud", "records", "--provider", "aws", "-o", "json"))).Json.At("batches")[0].At("records")[0];
        var recordId = record.At("recordId").GetString()!;

        var refused = await cli.RunAsync(As(op, "cloud", "acknowledge", recordId, "--failed", "ThrottlingException: Rate exceeded"));
        refused.Ok();
        Assert.Matches($@"│ {recordId} │ .+│ failed\s+│\s+1 │\s+│ ThrottlingException: Rate exceeded │", refused.Stdout);
        var both = await cli.RunAsync(As(op, "cloud", "acknowledge", recordId, "--sent", "--failed", "x"));
        Assert.Equal(2, both.ExitCode);
        Assert.Equal("error: Give either --sent or --failed REASON.", both.ErrorLines[0]);
        var alibaba = await cli.RunAsync(As(op, "cloud", "records", "--provider", "alibaba-cloud", "--expired"));
        Assert.Equal(3, alibaba.ExitCode);
        Assert.StartsWith("  expired: ", alibaba.ErrorLines[1]);

        // Six hours after its hour AWS would refuse it: it leaves the records to send for the expired ones.
        (await cli.RunAsync(As(op, "settlement", "clock", "advance", "--by", "6h"))).Ok();
        var toSend = await cli.RunAsync(As(op, "cloud", "records", "--provider", "aws"));
        toSend.Ok();
        Assert.Contains("No records to send.", toSend.Stdout);
        var expired = await cli.RunAsync(As(op, "cloud", "records", "--provider", "aws", "--expired", "-o", "json"));
        expired.Ok();
        Assert.Equal((recordId, "METERING_RECORD_STATUS_EXPIRED"),
            (expired.Json.At("batches")[0].At("records")[0].At("recordId").GetString(), expired.Json.At("batches")[0].At("records")[0].At("status").GetString()));

        // AWS's reports show it was not metered: reissued, once the operator confirms.
        var unconfirmed = await cli.RunAsync(As(op, "cloud", "reissue", recordId));
        Assert.Equal(2, unconfirmed.ExitCode);
        Assert.Contains($"Reissue {recordId}? Do it only if AWS's usage reports show it was not metered, or AWS meters it twice. Pass --yes to confirm.", unconfirmed.Stderr);
        Assert.Single((await cli.RunAsync(As(op, "cloud", "records", "--provider", "aws", "--expired", "-o", "json"))).Json.At("batches").EnumerateArray());
        var reissued = await cli.RunAsync(As(op, "cloud", "reissue", recordId, "--yes", "-o", "json"));
        reissued.Ok();
        var replacement = reissued.Json.At("replacement");
        var replacementId = replacement.At("recordId").GetString()!;
        Assert.Equal(("METERING_RECORD_STATUS_REISSUED", replacementId), (reissued.Json.At("record", "status").GetString(), reissued.Json.At("record", "replacedBy").GetString()));
        Assert.Equal(("METERING_RECORD_STATUS_PENDING", 1, "1500"),
            (replacement.At("status").GetString(), replacement.At("part").GetInt32(), replacement.At("quantity").GetString()));
        var again = await cli.RunAsync(As(op, "cloud", "reissue", recordId, "--yes"));
        again.Ok();
        Assert.Contains($"{recordId} was reissued before: nothing changed. {replacementId} meters its quantity.", again.Stderr);
        Assert.Matches($@"│ {replacementId} │ .+│ pending\s+│", (await cli.RunAsync(As(op, "cloud", "records", "--provider", "aws"))).Stdout);

        // The replacement is accepted and settles the bill; then AWS's answer to the first send turns up: metered twice.
        (await cli.RunAsync(As(op, "cloud", "acknowledge", replacementId, "--sent"))).Ok();
        var bills = await cli.RunAsync(As(workspace.OwnerToken, "settlement", "bills", "--workspace", ws, "--month", "2026-11", "-o", "json"));
        bills.Ok();
        Assert.Equal("DAILY_BILL_STATUS_CHARGED", Assert.Single(bills.Json.At("dailyBills").EnumerateArray()).At("status").GetString());
        Assert.Contains("No records metered twice.", (await cli.RunAsync(As(op, "cloud", "records", "--provider", "aws", "--metered-twice"))).Stdout);
        (await cli.RunAsync(As(op, "cloud", "acknowledge", recordId, "--sent"))).Ok();
        var twice = await cli.RunAsync(As(op, "cloud", "records", "--provider", "aws", "--metered-twice"));
        twice.Ok();
        Assert.Matches($@"│ {recordId} │ {cloudAccount} │ 2026-11-02 │ logs\s+│\s+1,500 │\s+15\.00 CNY │ [^│]+│ sent\s+│\s+2 │ {replacementId} │", twice.Stdout);
        var standard = await cli.RunAsync(As(workspace.OwnerToken, "cloud", "records", "--provider", "aws", "--metered-twice"));
        Assert.Equal(5, standard.ExitCode);

        // The customer cancels the subscription: the workspace starts its 14 days to the lock.
        var cancelled = await cli.RunAsync(As(op, "cloud", "cancel-subscription", cloudAccount, "--yes"));
        cancelled.Ok();
        Assert.Matches($@"│ {ws} │ aws\s+│ 2026-11-1\d \d\d:\d\d:\d\dZ │", cancelled.Stdout);
        var repeated = await cli.RunAsync(As(op, "cloud", "cancel-subscription", cloudAccount, "--yes"));
        repeated.Ok();
        Assert.Contains($"No workspace changed: the cancellation of {cloudAccount} was recorded before, or none settles through it.", repeated.Stdout);
    }
}
