using static Guance.Billing.IntegrationTests.Cli.CliScenario;

namespace Guance.Billing.IntegrationTests.Cli;

/// <summary>webhooks: a billing account registers an endpoint, changes, disables, rotates and deletes it; another account sees none of it.</summary>
[Collection(CliCollection.Name)]
public sealed class CliWebhookTests(CliHost fixture)
{
    [Fact]
    public async Task An_account_manages_its_webhook_endpoint()
    {
        var account = await fixture.BillingAccountAsync("webhooks");
        var me = account.SessionToken;
        var cli = fixture.NewCli();

        var created = await cli.RunAsync(As(me, "webhooks", "create", "-a", account.BillingAccountId, "--url", "https://hooks.example.com/guance",
            "--kind", "bill-ready", "-d", "finance system", "-o", "json"));
        created.Ok();
        var endpoint = created.Json.At("webhookEndpoint", "webhookEndpointId").GetString()!;
        Assert.StartsWith("whsec_", created.Json.GetProperty("secret").GetString(), StringComparison.Ordinal);
        var shown = await cli.RunAsync(As(me, "webhooks", "create", "-a", account.BillingAccountId, "--url", "https://hooks.example.com/second"));
        shown.Ok();
        Assert.Matches(@"Secret: whsec_", shown.Stdout);
        Assert.Matches(@"Kinds:\s+all", shown.Stdout);

        var plain = await cli.RunAsync(As(me, "webhooks", "create", "-a", account.BillingAccountId, "--url", "http://hooks.example.com/x"));
        Assert.Equal(3, plain.ExitCode);
        Assert.Contains("webhook_endpoint.url", plain.Stderr);

        var listed = await cli.RunAsync(As(me, "webhooks", "list", "-a", account.BillingAccountId));
        listed.Ok();
        Assert.Contains(endpoint, listed.Stdout);
        Assert.Contains("bill-ready", listed.Stdout);

        var updated = await cli.RunAsync(As(me, "webhooks", "update", endpoint, "--url", "https://hooks.example.com/v2", "--all-kinds", "-d", "ledger"));
        updated.Ok();
        Assert.Matches(@"URL:\s+https://hooks.example.com/v2", updated.Stdout);
        Assert.Matches(@"Kinds:\s+all", updated.Stdout);
        Assert.Matches(@"Description:\s+ledger", updated.Stdout);
        Assert.Equal(2, (await cli.RunAsync(As(me, "webhooks", "update", endpoint))).ExitCode);

        Assert.Matches(@"Enabled:\s+no", (await cli.RunAsync(As(me, "webhooks", "disable", endpoint))).Stdout);
        Assert.Matches(@"Enabled:\s+yes", (await cli.RunAsync(As(me, "webhooks", "update", endpoint, "--enable"))).Stdout);

        var rotated = await cli.RunAsync(As(me, "webhooks", "rotate-secret", endpoint, "-o", "json"));
        rotated.Ok();
        Assert.NotEqual(created.Json.GetProperty("secret").GetString(), rotated.Json.GetProperty("secret").GetString());

        var deliveries = await cli.RunAsync(As(me, "webhooks", "deliveries", endpoint));
        deliveries.Ok();
        Assert.Contains("No deliveries.", deliveries.Stdout + deliveries.Stderr);
        var unknown = await cli.RunAsync(As(me, "webhooks", "retry", "ndl_" + endpoint["whe_".Length..]));
        Assert.Equal(4, unknown.ExitCode);
        var malformed = await cli.RunAsync(As(me, "webhooks", "retry", "x"));
        Assert.Equal(3, malformed.ExitCode);
        Assert.Contains("delivery_id", malformed.Stderr);

        var other = await fixture.BillingAccountAsync("webhooks-other");
        Assert.Equal(4, (await cli.RunAsync(As(other.SessionToken, "webhooks", "disable", endpoint))).ExitCode);

        Assert.Equal(2, (await cli.RunAsync(As(me, "webhooks", "delete", endpoint))).ExitCode); // not at a terminal: --yes needed
        (await cli.RunAsync(As(me, "webhooks", "delete", endpoint, "--yes"))).Ok();
        var after = await cli.RunAsync(As(me, "webhooks", "list", "-a", account.BillingAccountId, "-o", "json"));
        Assert.Equal(1, after.Json.GetProperty("webhookEndpoints").GetArrayLength());
    }
}
