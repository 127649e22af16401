using Guance.Billing.IntegrationTests.Infrastructure;

namespace Guance.Billing.IntegrationTests.Hosting;

/// <summary>
/// The README's one-step commercial registration and the Huawei Cloud card lines of docs/api.md, through
/// <c>buf curl</c> and server reflection against a host process.
/// </summary>
public sealed class BufCurlRegistrationTests
{
    [Fact]
    public async Task The_readme_registration_and_the_Huawei_card_lines_run_against_a_host()
    {
        await using var host = await HostProcess.StartAsync();
        var s = host.Address;

        var registered = (await BufCurl.CallAsync(s, "guance.billing.v1.IdentityService/RegisterCommercial",
            """{"email":"cy@example.com","password":"correct horse battery","username":"cy-corp","display_name":"Cy","site_code":"cn4","workspace_name":"Production"}""")).Json();
        Assert.StartsWith("gcu_", registered.GetProperty("token").GetString());
        var billingToken = registered.GetProperty("billingToken").GetString()!;
        Assert.StartsWith("gcb_", billingToken);
        Assert.Equal("PLAN_COMMERCIAL", registered.GetProperty("workspace").GetProperty("plan").GetString());
        var ba = registered.GetProperty("billingAccount").GetProperty("billingAccountId").GetString()!;

        var submitted = (await BufCurl.CallAsync(s, "guance.billing.v1.BillingAccountService/SubmitHuaweiCardOrder",
            $$"""{"billing_account_id":"{{ba}}","huawei_account_id":"hw-cy","order_number":"CS2611020001"}""", billingToken)).Json();
        Assert.Equal("HUAWEI_CARD_ORDER_STATE_SUBMITTED", submitted.GetProperty("order").GetProperty("state").GetString());
        var confirmed = (await BufCurl.CallAsync(s, "guance.billing.v1.CloudMarketplaceService/ConfirmHuaweiCardOrder",
            """{"order_number":"CS2611020001","units":5}""", host.OperatorToken)).Json();
        Assert.Equal("PREPAID_CARD_ORIGIN_HUAWEI_CLOUD", confirmed.GetProperty("prepaidCard").GetProperty("origin").GetString());
        var orders = (await BufCurl.CallAsync(s, "guance.billing.v1.BillingAccountService/ListHuaweiCardOrders",
            $$"""{"billing_account_id":"{{ba}}"}""", billingToken)).Json().GetProperty("orders");
        Assert.Equal("HUAWEI_CARD_ORDER_STATE_CONFIRMED", orders[0].GetProperty("state").GetString());
    }
}
