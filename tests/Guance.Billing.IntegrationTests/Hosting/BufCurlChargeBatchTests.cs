using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.V1;

namespace Guance.Billing.IntegrationTests.Hosting;

/// <summary>The README's "Bulk charging" example through <c>buf curl</c> and server reflection, against a host process.</summary>
public sealed class BufCurlChargeBatchTests
{
    [Fact]
    public async Task The_readme_charge_batch_example_charges_each_entry_and_refuses_the_unknown_account_alone()
    {
        await using var host = await HostProcess.StartAsync(new HostProcessOptions { Settings = { ["Guance:Security:PasswordHashIterations"] = "1000" } });
        var ba = (await host.Api().BillingAccounts.RegisterBillingAccountAsync(new RegisterBillingAccountRequest
        {
            Username = "acme-batch", Password = "correct horse battery", Email = "finance@example.com",
        })).BillingAccount.BillingAccountId;
        // As in the README, with the account's id for ba_...
        var body = $$$"""{"charges":[{"billing_account_id":"{{{ba}}}","reference":"bill-2026-11-01-ws1","lines":[{"item_code":"logs","amount":{"currency_code":"CNY","units":"12"}}]},{"billing_account_id":"ba_01kb0000000000000000000000","reference":"bill-2026-11-01-ws2","lines":[{"item_code":"logs","amount":{"currency_code":"CNY","units":"3"}}]}]}""";

        var outcomes = (await BufCurl.CallAsync(host.Address, "guance.billing.v1.BillingAccountService/ChargeBatch", body, host.OperatorToken)).Json().GetProperty("outcomes");

        Assert.Equal(2, outcomes.GetArrayLength());
        var charged = outcomes[0].GetProperty("charged");
        Assert.Equal("12", charged.GetProperty("result").GetProperty("addedArrears").GetProperty("units").GetString());
        var refused = outcomes[1].GetProperty("refused");
        Assert.Equal(("BILLING_ACCOUNT_NOT_FOUND", 5), (refused.GetProperty("reason").GetString(), refused.GetProperty("code").GetInt32()));

        var again = (await BufCurl.CallAsync(host.Address, "guance.billing.v1.BillingAccountService/ChargeBatch", body, host.OperatorToken)).Json().GetProperty("outcomes");
        Assert.True(again[0].GetProperty("charged").GetProperty("replayed").GetBoolean());
    }
}
