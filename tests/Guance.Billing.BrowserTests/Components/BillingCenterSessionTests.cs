using Bunit;
using Grpc.Core;
using Guance.Billing.Console.Api;
using Guance.Billing.Console.Layout;
using Guance.Billing.Console.Pages.BillingCenter;
using Guance.Billing.V1;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace Guance.Billing.BrowserTests.Components;

/// <summary>
/// The billing center's own session (the billing-center user name, its own token beside the console
/// account's), its menu, sign-out and an expired session.
/// </summary>
public sealed class BillingCenterSessionTests : ConsoleContext
{
    private NavigationManager Navigation => Services.GetRequiredService<NavigationManager>();

    [Fact]
    public async Task Signing_in_keeps_the_billing_center_token_beside_the_console_token_and_opens_the_wallet()
    {
        await SignInAsync();
        Host.On<SignInBillingAccountRequest, SignInBillingAccountResponse>("BillingAccountService/SignInBillingAccount", _ => new SignInBillingAccountResponse
        {
            Token = "gcb_secret_value",
            Session = new BillingSession { SessionId = "bs_9" },
            BillingAccount = new BillingAccount { BillingAccountId = "ba_9", Username = "acme", DisplayName = "Acme Ltd" },
        });
        var page = Render<BillingCenterSignIn>();

        page.FindAll("input")[0].Change("acme");
        page.Find("input[type=password]").Change("correct horse battery");
        page.Find("form").Submit();

        page.WaitForAssertion(() => Assert.Equal("gcb_secret_value", BillingCenter.Token));
        var signIn = Host.CallsOf<SignInBillingAccountRequest>("BillingAccountService/SignInBillingAccount").Single();
        Assert.Equal(("acme", "correct horse battery"), (signIn.Username, signIn.Password));
        Assert.Equal(Token, Session.Token);
        Assert.Equal(2, Store.Items.Count);
        Assert.Contains(Store.Items.Values, v => v.Contains("gcb_secret_value", StringComparison.Ordinal));
        Assert.EndsWith("/billing-center/wallet", Navigation.Uri);
        Assert.DoesNotContain("gcb_secret_value", Navigation.Uri);
    }

    [Fact]
    public async Task Registering_a_billing_center_account_signs_in_with_its_first_session_and_opens_the_wallet()
    {
        await SignInAsync();
        Host.On<RegisterBillingAccountRequest, RegisterBillingAccountResponse>("BillingAccountService/RegisterBillingAccount", _ => new RegisterBillingAccountResponse
        {
            Token = "gcb_first_session",
            Session = new BillingSession { SessionId = "bs_1" },
            BillingAccount = new BillingAccount { BillingAccountId = "ba_1", Username = "acme", DisplayName = "Acme Ltd" },
        });
        var page = Render<BillingCenterRegister>();

        page.Find("input[data-testid=username], [data-testid=username] input").Change("acme");
        page.Find("input[data-testid=display-name], [data-testid=display-name] input").Change("Acme Ltd");
        page.Find("input[data-testid=email], [data-testid=email] input").Change("billing@acme.example");
        page.Find("input[data-testid=password], [data-testid=password] input").Change("correct horse battery");
        page.Find("input[data-testid=password-again], [data-testid=password-again] input").Change("correct horse battery");
        page.Find("form").Submit();

        page.WaitForAssertion(() => Assert.Equal("gcb_first_session", BillingCenter.Token));
        var sent = Host.CallsOf<RegisterBillingAccountRequest>("BillingAccountService/RegisterBillingAccount").Single();
        Assert.Equal(("acme", "Acme Ltd", "billing@acme.example", "correct horse battery"), (sent.Username, sent.DisplayName, sent.Email, sent.Password));
        Assert.Equal("ba_1", BillingCenter.User!.BillingAccountId);
        Assert.EndsWith("/billing-center/wallet", Navigation.Uri);
    }

    [Fact]
    public void Two_different_passwords_are_refused_before_anything_is_sent()
    {
        var page = Render<BillingCenterRegister>();

        page.Find("input[data-testid=password], [data-testid=password] input").Change("correct horse battery");
        page.Find("input[data-testid=password-again], [data-testid=password-again] input").Change("correct horse batery");
        page.Find("form").Submit();

        page.WaitForAssertion(() => Assert.Contains("is not the same password", page.Markup));
        Assert.Empty(Host.CallsOf<RegisterBillingAccountRequest>("BillingAccountService/RegisterBillingAccount"));
        Assert.Null(BillingCenter.User);
    }

    [Fact]
    public void The_sign_in_page_leads_to_the_registration()
    {
        var page = Render<BillingCenterSignIn>();

        Assert.Equal(BillingCenterRoute.Register, page.Find("[data-testid=register-link]").GetAttribute("href"));
    }

    [Fact]
    public void A_refused_sign_in_shows_the_hosts_words_next_to_the_field()
    {
        Host.On<SignInBillingAccountRequest, SignInBillingAccountResponse>("BillingAccountService/SignInBillingAccount",
            _ => throw FakeHost.BadRequest(("username", "The user name must be 3 to 32 characters.")));
        var page = Render<BillingCenterSignIn>();

        page.Find("form").Submit();

        page.WaitForAssertion(() => Assert.Contains("The user name must be 3 to 32 characters.", page.Markup));
        Assert.Null(BillingCenter.User);
        Assert.DoesNotContain("INVALID_FIELD", page.Markup);
    }

    [Fact]
    public async Task The_menu_lists_every_billing_center_page_and_the_calls_carry_the_billing_center_token()
    {
        await SignInAsync();
        await SignInBillingCenterAsync();
        Host.On<GetWalletRequest, GetWalletResponse>("BillingAccountService/GetWallet", _ => new GetWalletResponse { Wallet = new Wallet() });

        var layout = Render<BillingCenterLayout>(p => p.Add(x => x.Body, (RenderFragment)(b =>
        {
            b.OpenComponent<WalletPage>(0);
            b.CloseComponent();
        })));

        var menu = layout.Find("[data-testid=billing-center-menu]");
        var links = menu.QuerySelectorAll("a").Select(a => (a.TextContent.Trim(), a.GetAttribute("href"))).ToList();
        Assert.Equal(
            [
                ("Wallet", "billing-center/wallet"),
                ("Income and expenditure", "billing-center/transactions"),
                ("Vouchers", "billing-center/vouchers"),
                ("Prepaid cards", "billing-center/prepaid-cards"),
                ("Workspaces", "billing-center/workspaces"),
                ("Binding codes", "billing-center/binding-codes"),
                ("Consumption details", "billing-center/consumption"),
                ("Monthly bills", "billing-center/monthly-bills"),
                ("Invoices", "billing-center/invoices"),
                ("Tickets", "billing-center/tickets"),
                ("Notifications", "billing-center/notifications"),
                ("Account", "billing-center/account"),
                ("Console", ""),
            ],
            links);
        Assert.Contains("Acme Ltd (acme)", layout.Find("[data-testid=billing-center-user]").TextContent);
        layout.WaitForElement("[data-testid=cash]");
        var call = Assert.Single(Host.Calls, c => c.Method == "BillingAccountService/GetWallet");
        Assert.Equal((BillingAccountId, BillingCenterToken), (((GetWalletRequest)call.Request).BillingAccountId, call.Token));
    }

    [Fact]
    public void A_signed_out_person_is_sent_to_the_billing_center_sign_in()
    {
        Render<BillingCenterLayout>(p => p.Add(x => x.Body, (RenderFragment)(_ => { })));

        Assert.EndsWith("/billing-center/signin", Navigation.Uri);
    }

    [Fact]
    public async Task An_expired_billing_center_session_returns_to_its_sign_in_with_a_message_and_keeps_the_console_session()
    {
        await SignInAsync();
        await SignInBillingCenterAsync();
        Host.On<GetWalletRequest, GetWalletResponse>("BillingAccountService/GetWallet",
            _ => throw FakeHost.Failure(StatusCode.Unauthenticated, "TOKEN_EXPIRED", "The token has expired."));

        Render<WalletPage>();

        Assert.EndsWith("/billing-center/signin", Navigation.Uri);
        Assert.Null(BillingCenter.User);
        Assert.Equal(Token, Session.Token);
        var signIn = Render<BillingCenterSignIn>();
        Assert.Contains(BillingCenterApi.ExpiredMessage, signIn.Find("[data-testid=sign-in-message]").TextContent);
    }

    [Fact]
    public async Task Signing_out_of_the_billing_center_ends_its_session_on_the_host_and_keeps_the_console_session()
    {
        await SignInAsync();
        await SignInBillingCenterAsync();
        var billingToken = BillingCenter.Token;
        Host.On<SignOutBillingAccountRequest, SignOutBillingAccountResponse>("BillingAccountService/SignOutBillingAccount", _ => new SignOutBillingAccountResponse());

        await Services.GetRequiredService<BillingCenterApi>().SignOutAsync();

        var signOut = Assert.Single(Host.Calls, c => c.Method == "BillingAccountService/SignOutBillingAccount");
        Assert.Equal(billingToken, signOut.Token);
        Assert.Null(BillingCenter.User);
        Assert.Equal(Token, Session.Token);
        Assert.Single(Store.Items);
    }
}
