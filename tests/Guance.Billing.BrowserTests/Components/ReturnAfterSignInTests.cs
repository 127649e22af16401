using Bunit;
using Grpc.Core;
using Guance.Billing.Console.Layout;
using Guance.Billing.Console.Pages;
using Guance.Billing.Console.Pages.Billing;
using Guance.Billing.Console.Pages.BillingCenter;
using Guance.Billing.V1;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace Guance.Billing.BrowserTests.Components;

/// <summary>After an expired session, signing in again returns to the page the person was on: a local path only (no open redirect), never a token.</summary>
public sealed class ReturnAfterSignInTests : ConsoleContext
{
    private const string AlertsPage = "workspaces/ws_test/billing/alerts";

    private NavigationManager Navigation => Services.GetRequiredService<NavigationManager>();

    [Fact]
    public async Task An_expired_console_session_returns_to_its_page_after_signing_in_again()
    {
        await SignInAsync();
        Host.On<GetWorkspaceRequest, GetWorkspaceResponse>("WorkspaceService/GetWorkspace",
            _ => throw FakeHost.Failure(StatusCode.Unauthenticated, "TOKEN_EXPIRED", "The token has expired."));
        Navigation.NavigateTo(AlertsPage);

        Render<ConsumptionAlertsPage>(p => p.Add(x => x.WorkspaceId, WorkspaceId));

        Assert.Equal("http://localhost/signin?return=workspaces%2Fws_test%2Fbilling%2Falerts", Navigation.Uri);
        SignInAgain();
        Assert.Equal("http://localhost/" + AlertsPage, Navigation.Uri);
        Assert.DoesNotContain("gcu_again", Navigation.Uri, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https%3A%2F%2Fevil.example%2F")]
    [InlineData("%2F%2Fevil.example")]
    [InlineData("%2F%5Cevil.example")]
    [InlineData("javascript%3Aalert(1)")]
    [InlineData("billing-center%2Fwallet")]
    [InlineData("signin%3Freturn%3Dsignin")]
    public void A_return_that_is_not_a_console_page_leads_to_the_start_page(string escaped)
    {
        Navigation.NavigateTo("signin?return=" + escaped);

        SignInAgain();

        Assert.Equal("http://localhost/", Navigation.Uri);
    }

    [Fact]
    public async Task An_expired_billing_center_session_returns_to_its_page_after_signing_in_again()
    {
        await SignInBillingCenterAsync();
        Host.On<GetWalletRequest, GetWalletResponse>("BillingAccountService/GetWallet",
            _ => throw FakeHost.Failure(StatusCode.Unauthenticated, "TOKEN_EXPIRED", "The token has expired."));
        Navigation.NavigateTo(BillingCenterRoute.Wallet + "?tab=cards");

        Render<WalletPage>();

        Assert.Equal("http://localhost/billing-center/signin?return=billing-center%2Fwallet%3Ftab%3Dcards", Navigation.Uri);
        Host.On<SignInBillingAccountRequest, SignInBillingAccountResponse>("BillingAccountService/SignInBillingAccount", _ => new SignInBillingAccountResponse
        {
            Token = "gcb_again", Session = new BillingSession { SessionId = "bs_2" },
            BillingAccount = new BillingAccount { BillingAccountId = BillingAccountId, Username = "acme", DisplayName = "Acme Ltd" },
        });
        var signIn = Render<BillingCenterSignIn>();
        signIn.Find("form").Submit();
        signIn.WaitForAssertion(() => Assert.Equal("http://localhost/billing-center/wallet?tab=cards", Navigation.Uri));
    }

    [Theory]
    [InlineData("workspaces/ws_1/billing", true)]
    [InlineData("billing-center/invoices?page=2", true)]
    [InlineData("", false)]
    [InlineData("/workspaces", false)]
    [InlineData("//evil.example/x", false)]
    [InlineData("workspaces//evil", false)]
    [InlineData("\\\\evil.example", false)]
    [InlineData("http://evil.example", false)]
    [InlineData("data:text/html,x", false)]
    [InlineData("../signin", false)]
    [InlineData("workspaces/a b", false)]
    public void Only_local_paths_are_returned_to(string path, bool local) => Assert.Equal(local, ReturnPath.IsLocal(path));

    private void SignInAgain()
    {
        Host.On<SignInRequest, SignInResponse>("IdentityService/SignIn", _ => new SignInResponse
        {
            Token = "gcu_again", ApiToken = new ApiToken { ApiTokenId = "tok_2" }, User = new User { UserId = "usr_1", Email = "ann@example.com", DisplayName = "Ann" },
        });
        var page = Render<SignIn>();
        page.Find("input[type=email]").Change("ann@example.com");
        page.Find("input[type=password]").Change("correct horse battery");
        page.Find("form").Submit();
        page.WaitForAssertion(() => Assert.Equal("gcu_again", Session.Token));
    }
}
