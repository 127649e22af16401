using static Guance.Billing.IntegrationTests.Cli.CliScenario;

namespace Guance.Billing.IntegrationTests.Cli;

/// <summary>register-commercial, then cards huawei: a new customer registers in one step and redeems a Huawei Cloud card order.</summary>
[Collection(CliCollection.Name)]
public sealed class CliRegistrationTests(CliHost fixture)
{
    [Fact]
    public async Task A_customer_registers_in_one_step_and_redeems_a_Huawei_Cloud_order()
    {
        var cli = fixture.NewCli();
        var suffix = Guid.NewGuid().ToString("N")[..10];
        var email = $"founder.{suffix}@example.com";
        var order = "CS" + suffix.ToUpperInvariant();

        var registered = await cli.RunAsync("register-commercial", "--email", email, "--username", "acme-" + suffix, "--name", "Founder",
            "--site", "cn4", "--workspace", "Production", "--password", Password, "--login");
        registered.Ok();
        Assert.Matches($@"E-mail:\s+{System.Text.RegularExpressions.Regex.Escape(email)}", registered.Stdout);
        Assert.Matches(@"Plan:\s+commercial", registered.Stdout);
        Assert.Matches(@"Billing token:\s+gcb_\w+", registered.Stdout);
        Assert.Contains("saved both tokens", registered.Stderr);

        // Both saved sessions work: the console's and the billing center's.
        (await cli.RunAsync("whoami")).Ok();
        var submitted = await cli.RunAsync("cards", "huawei", "submit", "--huawei-account", "hw-buyer", "--order", order);
        submitted.Ok();
        Assert.Contains("submitted", submitted.Stdout);

        var confirmed = await fixture.NewCli().RunAsync(As(fixture.Host.OperatorToken!, "cards", "huawei", "confirm", "--order", order, "--units", "2"));
        confirmed.Ok();
        Assert.Matches(@"Prepaid card:\s+card_\w+", confirmed.Stdout);

        var cards = await cli.RunAsync("wallet", "cards", "-o", "json");
        cards.Ok();
        var card = cards.Json.GetProperty("prepaidCards")[0];
        Assert.Equal("PREPAID_CARD_ORIGIN_HUAWEI_CLOUD", card.GetProperty("origin").GetString());
        Assert.Equal(200m, card.GetProperty("faceValue").Yuan());

        var again = await cli.RunAsync("cards", "huawei", "submit", "--huawei-account", "hw-buyer", "--order", order);
        Assert.EndsWith("(HUAWEI_ORDER_TAKEN)", again.ErrorLines[0]);
    }
}
