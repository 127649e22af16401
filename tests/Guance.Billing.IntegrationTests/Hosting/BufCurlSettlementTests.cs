using System.Text.Json;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.V1;

namespace Guance.Billing.IntegrationTests.Hosting;

/// <summary>
/// The SettlementService cheat sheet of docs/api.md, line by line through <c>buf curl</c> and server
/// reflection, against a host process on a simulated clock (so that a day can pass).
/// </summary>
public sealed class BufCurlSettlementTests
{
    private const string Password = "correct horse battery";

    [Fact]
    public async Task The_settlement_cheat_sheet_runs_against_a_host()
    {
        await using var host = await HostProcess.StartAsync(new HostProcessOptions
        {
            Settings =
            {
                ["Guance:Security:PasswordHashIterations"] = "1000",
                ["Guance:Clock:Mode"] = "Simulated",
                ["Guance:Clock:Start"] = "2026-11-02T01:30:00Z",
            },
        });
        var s = host.Address;
        var op = host.OperatorToken!;
        const string Service = "guance.billing.v1.SettlementService/";

        // What the earlier sections of the sheet made: a workspace, two billing accounts of one enterprise.
        var api = host.Api();
        var owner = (await api.Identity.SignUpAsync(new SignUpRequest { Email = "ann@example.com", Password = Password, DisplayName = "Ann" })).Token;
        var ws = (await host.Api(owner).Workspaces.CreateWorkspaceAsync(new CreateWorkspaceRequest
        {
            Name = "Production", SiteCode = "cn1", ActivationChannel = ActivationChannel.OfficialWebsite,
        })).Workspace.WorkspaceId;
        var (ba, session) = await CertifiedAccountAsync(host, "acme-finance");
        var (otherBa, otherSession) = await CertifiedAccountAsync(host, "acme-finance-2");
        var code = (await host.Api(session).BillingAccounts.CreateBindingCodeAsync(new CreateBindingCodeRequest { BillingAccountId = ba })).BindingCode;

        var upgraded = (await BufCurl.CallAsync(s, Service + "UpgradeToCommercial", $$"""{"workspace_id":"{{ws}}","binding_code":"{{code}}"}""", owner)).Json();
        Assert.Equal("PLAN_COMMERCIAL", upgraded.GetProperty("workspace").GetProperty("plan").GetString());
        var settlement = (await BufCurl.CallAsync(s, Service + "GetSettlement", $$"""{"workspace_id":"{{ws}}"}""", owner)).Json().GetProperty("settlement");
        Assert.Equal((ba, "SETTLEMENT_METHOD_BILLING_CENTER"), (settlement.GetProperty("billingAccountId").GetString(), settlement.GetProperty("method").GetString()));
        var overview = (await BufCurl.CallAsync(s, Service + "GetBillingOverview", $$"""{"workspace_id":"{{ws}}"}""", owner)).Json().GetProperty("overview");
        Assert.Contains("BILLING_ACTION_CHANGE_BINDING", overview.GetProperty("actions").EnumerateArray().Select(a => a.GetString()));

        // The binding-code and alert lines of docs/api.md: revoke an unused code, list the codes; set and remove a threshold.
        var spare = (await host.Api(session).BillingAccounts.CreateBindingCodeAsync(new CreateBindingCodeRequest { BillingAccountId = ba })).BindingCodeId;
        var revoked = (await BufCurl.CallAsync(s, "guance.billing.v1.BillingAccountService/RevokeBindingCode", $$"""{"billing_account_id":"{{ba}}","binding_code_id":"{{spare}}"}""", session)).Json();
        Assert.Equal("BINDING_CODE_STATE_REVOKED", revoked.GetProperty("bindingCode").GetProperty("state").GetString());
        var codes = (await BufCurl.CallAsync(s, "guance.billing.v1.BillingAccountService/ListBindingCodes", $$"""{"billing_account_id":"{{ba}}","page_size":20}""", session)).Json();
        Assert.Equal(["BINDING_CODE_STATE_REVOKED", "BINDING_CODE_STATE_USED"], codes.GetProperty("bindingCodes").EnumerateArray().Select(c => c.GetProperty("state").GetString()));
        const string Alerts = "guance.billing.v1.ConsumptionAlertService/";
        await BufCurl.CallAsync(s, Alerts + "SetConsumptionAlert", $$$"""{"workspace_id":"{{{ws}}}","item":"BILLING_ITEM_LOGS","threshold":{"currency_code":"CNY","units":"50"}}""", owner);
        Assert.Single((await BufCurl.CallAsync(s, Alerts + "ListConsumptionAlerts", $$"""{"workspace_id":"{{ws}}"}""", owner)).Json().GetProperty("alerts").EnumerateArray());
        var removed = (await BufCurl.CallAsync(s, Alerts + "RemoveConsumptionAlert", $$"""{"workspace_id":"{{ws}}","item":"BILLING_ITEM_LOGS"}""", owner)).Json();
        Assert.True(removed.GetProperty("removed").GetBoolean());

        var otherCode = (await host.Api(otherSession).BillingAccounts.CreateBindingCodeAsync(new CreateBindingCodeRequest { BillingAccountId = otherBa })).BindingCode;
        var moved = (await BufCurl.CallAsync(s, Service + "ChangeBinding", $$"""{"workspace_id":"{{ws}}","binding_code":"{{otherCode}}"}""", owner)).Json();
        Assert.Equal((ba, otherBa), (moved.GetProperty("previousBillingAccountId").GetString(), moved.GetProperty("settlement").GetProperty("billingAccountId").GetString()));

        var arbitrary = (await BufCurl.CallAsync(s, Service + "EnableArbitrarySettlement", $$"""{"workspace_id":"{{ws}}","enabled":true}""", op)).Json();
        Assert.True(arbitrary.GetProperty("settlement").GetProperty("arbitrarySelection").GetBoolean());
        var cloud = (await host.Api(otherSession).BillingAccounts.AddCloudAccountAsync(new AddCloudAccountRequest
        {
            BillingAccountId = otherBa, Provider = CloudProvider.AlibabaCloud, ProviderAccountId = "1234567890123456", MarketplaceInstanceId = "ali-prod", DisplayName = "Aliyun prod",
        })).CloudAccount.CloudAccountId;
        var changed = (await BufCurl.CallAsync(s, Service + "ChangeSettlementMethod",
            $$"""{"workspace_id":"{{ws}}","method":"SETTLEMENT_METHOD_ALIBABA_CLOUD","cloud_account_id":"{{cloud}}"}""", owner)).Json().GetProperty("settlement");
        Assert.Equal(("SETTLEMENT_METHOD_ALIBABA_CLOUD", cloud), (changed.GetProperty("method").GetString(), changed.GetProperty("cloudAccountId").GetString()));

        var lists = (await BufCurl.CallAsync(s, Service + "ListPriceLists", """{"region":"PRICE_REGION_CN"}""")).Json().GetProperty("priceLists");
        Assert.All(lists.EnumerateArray(), l => Assert.Equal("PRICE_REGION_CN", l.GetProperty("region").GetString()));
        var inForce = (await BufCurl.CallAsync(s, Service + "GetPriceList", """{"site_code":"cn1","day":{"year":2026,"month":11,"day":2}}""")).Json().GetProperty("priceList");
        var baseList = inForce.GetProperty("priceListId").GetString()!;
        Assert.Equal("1.5", UnitPrice(inForce, "BILLING_ITEM_LOGS", 14));
        var created = (await BufCurl.CallAsync(s, Service + "CreatePriceList",
            $$$"""{"region":"PRICE_REGION_CN","effective_day":{"year":2027,"month":1,"day":1},"base_price_list_id":"{{{baseList}}}","prices":[{"item":"BILLING_ITEM_LOGS","retention_days":14,"unit_price":{"currency_code":"CNY","units":"1","nanos":600000000}}],"description":"logs 14d at 1.60"}""",
            op)).Json().GetProperty("priceList");
        Assert.Equal("1.6", UnitPrice(created, "BILLING_ITEM_LOGS", 14));

        // A day passes on the simulated clock: the day close runs on the way.
        var advanced = (await BufCurl.CallAsync(s, Service + "AdvanceClock", """{"duration":"86400s"}""", op)).Json();
        Assert.Equal("2026-11-03T01:30:00Z", advanced.GetProperty("now").GetString());
        var closed = (await BufCurl.CallAsync(s, Service + "CloseDay", """{"site_code":"cn1","day":{"year":2026,"month":11,"day":2}}""", op)).Json().GetProperty("dayClose");
        // The workspace settles through Alibaba Cloud: its bill is settled at the close (vouchers and cards first, the rest metered).
        Assert.Equal(("DAY_CLOSE_STATE_COMPLETED", 1), (closed.GetProperty("state").GetString(), closed.GetProperty("billsCharged").GetInt32()));
        var bills = (await BufCurl.CallAsync(s, Service + "ListDailyBills", $$"""{"workspace_id":"{{ws}}","year":2026,"month":11}""", owner)).Json();
        var bill = Assert.Single(bills.GetProperty("dailyBills").EnumerateArray());
        Assert.Equal(("DAILY_BILL_STATUS_CHARGED", "ALIBABA_CLOUD"), (bill.GetProperty("status").GetString(), bill.GetProperty("method").GetString()!.Replace("SETTLEMENT_METHOD_", "")));
        var freshSession = (await host.Api().BillingAccounts.SignInBillingAccountAsync(new SignInBillingAccountRequest { Username = "acme-finance-2", Password = Password })).Token;
        var accountBills = (await BufCurl.CallAsync(s, Service + "ListDailyBills", $$"""{"billing_account_id":"{{otherBa}}","year":2026,"month":11}""", freshSession)).Json();
        Assert.Single(accountBills.GetProperty("dailyBills").EnumerateArray());
        var summary = (await BufCurl.CallAsync(s, Service + "GetConsumptionSummary", $$"""{"workspace_id":"{{ws}}"}""", owner)).Json().GetProperty("summary");
        Assert.True(summary.GetProperty("yesterdayClosed").GetBoolean());
        var arrears = (await BufCurl.CallAsync(s, Service + "ProcessArrears", null, op)).Json();
        // buf curl leaves out fields at their default: nothing warned, nothing locked.
        Assert.False(arrears.TryGetProperty("locks", out _));
        Assert.False(arrears.TryGetProperty("lockWarnings", out _));
        var clock = (await BufCurl.CallAsync(s, Service + "GetClock", null, op)).Json();
        Assert.Equal(("CLOCK_MODE_SIMULATED", "2026-11-03T01:30:00Z"), (clock.GetProperty("mode").GetString(), clock.GetProperty("now").GetString()));
        var target = (await BufCurl.CallAsync(s, Service + "AdvanceClock", """{"target_time":"2026-12-01T00:00:00Z"}""", op)).Json();
        Assert.Equal("2026-12-01T00:00:00Z", target.GetProperty("now").GetString());
    }

    private static async Task<(string Id, string Session)> CertifiedAccountAsync(HostProcess host, string username)
    {
        var registered = await host.Api().BillingAccounts.RegisterBillingAccountAsync(new RegisterBillingAccountRequest
        {
            Username = username, Password = Password, Email = username + "@acme.example",
        });
        var id = registered.BillingAccount.BillingAccountId;
        await host.Api(registered.Token).BillingAccounts.SubmitEnterpriseCertificationAsync(new SubmitEnterpriseCertificationRequest
        {
            BillingAccountId = id, EnterpriseName = "ACME Ltd", TaxpayerId = "91310000775785552L",
        });
        await host.Api(host.OperatorToken).BillingAccounts.ReviewEnterpriseCertificationAsync(new ReviewEnterpriseCertificationRequest
        {
            BillingAccountId = id, Decision = CertificationDecision.Approve,
        });
        return (id, registered.Token);
    }

    /// <summary>The unit price of an item at a retention, as buf curl prints it ("1.5" from units and nanos).</summary>
    private static string UnitPrice(JsonElement list, string item, int retentionDays)
    {
        var price = list.GetProperty("prices").EnumerateArray()
            .Single(p => p.GetProperty("item").GetString() == item && p.TryGetProperty("retentionDays", out var days) && days.GetInt32() == retentionDays)
            .GetProperty("unitPrice");
        var units = price.TryGetProperty("units", out var u) ? long.Parse(u.GetString()!, System.Globalization.CultureInfo.InvariantCulture) : 0;
        var nanos = price.TryGetProperty("nanos", out var n) ? n.GetInt32() : 0;
        return (units + nanos / 1_000_000_000m).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
