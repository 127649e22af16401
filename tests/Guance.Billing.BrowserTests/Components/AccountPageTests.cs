using Bunit;
using Guance.Billing.Console.Pages.BillingCenter;
using Guance.Billing.V1;

namespace Guance.Billing.BrowserTests.Components;

/// <summary>The billing center's account page (docs/domain.md §8): profile, password, certification, cloud accounts; and how the account is named to Guance.</summary>
public sealed class AccountPageTests : ConsoleContext
{
    private BillingAccount _account = new() { BillingAccountId = BillingAccountId, Username = "acme", Email = "finance@acme.example", DisplayName = "Acme" };

    public AccountPageTests()
    {
        Host.On<GetBillingAccountRequest, GetBillingAccountResponse>("BillingAccountService/GetBillingAccount", _ => new GetBillingAccountResponse { BillingAccount = _account });
        Host.On<ListCloudAccountsRequest, ListCloudAccountsResponse>("BillingAccountService/ListCloudAccounts", _ => new ListCloudAccountsResponse());
    }

    [Fact]
    public async Task The_profile_is_saved_with_its_fields_named_and_a_bad_e_mail_is_explained_next_to_it()
    {
        await SignInBillingCenterAsync();
        Host.On<UpdateBillingAccountRequest, UpdateBillingAccountResponse>("BillingAccountService/UpdateBillingAccount", _ => throw FakeHost.BadRequest(("billing_account.email", "must be an e-mail address")));
        var page = Render<AccountPage>();

        page.WaitForElement("[data-testid=account-email] input, input[data-testid=account-email]").Change("nope");
        page.Find("[data-testid=save-profile]").Closest("form")!.Submit();

        Assert.Contains("must be an e-mail address", page.WaitForElement(".mud-input-helper-text.mud-input-error").TextContent, StringComparison.Ordinal);
        var sent = Host.CallsOf<UpdateBillingAccountRequest>("BillingAccountService/UpdateBillingAccount").Single();
        Assert.Equal((BillingAccountId, "nope", "Acme"), (sent.BillingAccountId, sent.BillingAccount.Email, sent.BillingAccount.DisplayName));
        Assert.Equal(["display_name", "email", "contact_phone"], sent.UpdateMask.Paths);
    }

    [Fact]
    public async Task The_account_is_named_by_its_user_name_and_its_id_which_finance_and_support_ask_for()
    {
        await SignInBillingCenterAsync();
        var page = Render<AccountPage>();

        Assert.Equal("acme", page.WaitForElement("[data-testid=username]").TextContent);
        Assert.Equal(BillingAccountId, page.Find("[data-testid=account-id]").TextContent);
    }

    [Fact]
    public async Task The_wallet_says_to_quote_the_user_name_and_the_account_id_with_a_bank_transfer()
    {
        await SignInBillingCenterAsync();
        Host.On<GetWalletRequest, GetWalletResponse>("BillingAccountService/GetWallet", _ => new GetWalletResponse { Wallet = new Wallet() });

        var page = Render<WalletPage>();

        Assert.Equal(BillingAccountId, page.WaitForElement("[data-testid=recharge-account-id]").TextContent);
    }

    [Fact]
    public async Task The_profile_links_the_notifications_page_where_the_notices_language_and_webhooks_are()
    {
        await SignInBillingCenterAsync();
        var page = Render<AccountPage>();

        var link = page.WaitForElement("[data-testid=notices-link] a");
        Assert.Equal("billing-center/notifications", link.GetAttribute("href"));
    }

    [Fact]
    public async Task A_wrong_current_password_is_explained_next_to_it()
    {
        await SignInBillingCenterAsync();
        Host.On<ChangeBillingAccountPasswordRequest, ChangeBillingAccountPasswordResponse>("BillingAccountService/ChangeBillingAccountPassword",
            _ => throw FakeHost.BadRequest(("current_password", "is not the account's current password")));
        var page = Render<AccountPage>();

        page.WaitForElement("[data-testid=current-password] input, input[data-testid=current-password]").Change("wrong");
        page.Find("[data-testid=new-password] input, input[data-testid=new-password]").Change("another long password");
        page.Find("[data-testid=change-password]").Closest("form")!.Submit();

        Assert.Contains("is not the account's current password", page.WaitForElement(".mud-input-helper-text.mud-input-error").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_certification_is_submitted_and_while_it_waits_for_review_no_other_can_be()
    {
        await SignInBillingCenterAsync();
        Host.On<SubmitEnterpriseCertificationRequest, SubmitEnterpriseCertificationResponse>("BillingAccountService/SubmitEnterpriseCertification", r =>
        {
            _account = new BillingAccount(_account) { Certification = new EnterpriseCertification { EnterpriseName = r.EnterpriseName, TaxpayerId = r.TaxpayerId, State = CertificationState.Pending } };
            return new SubmitEnterpriseCertificationResponse { Certification = _account.Certification };
        });
        var page = Render<AccountPage>();

        Assert.Contains("Not submitted", page.WaitForElement("[data-testid=certification-state]").TextContent, StringComparison.Ordinal);
        page.Find("[data-testid=enterprise-name] input, input[data-testid=enterprise-name]").Change("Acme Ltd");
        page.Find("[data-testid=taxpayer-id] input, input[data-testid=taxpayer-id]").Change("91310000775785552L");
        page.Find("[data-testid=certify]").Closest("form")!.Submit();

        page.WaitForAssertion(() => Assert.Contains("Waiting for review: Acme Ltd", page.Find("[data-testid=certification-state]").TextContent, StringComparison.Ordinal));
        Assert.Empty(page.FindAll("[data-testid=certify]"));
    }

    [Fact]
    public async Task A_rejected_taxpayer_id_is_explained_next_to_it()
    {
        await SignInBillingCenterAsync();
        Host.On<SubmitEnterpriseCertificationRequest, SubmitEnterpriseCertificationResponse>("BillingAccountService/SubmitEnterpriseCertification",
            _ => throw FakeHost.BadRequest(("taxpayer_id", "has a wrong check character (the 18th)")));
        var page = Render<AccountPage>();

        page.WaitForElement("[data-testid=taxpayer-id] input, input[data-testid=taxpayer-id]").Change("91310000775785552X");
        page.Find("[data-testid=certify]").Closest("form")!.Submit();

        Assert.Contains("wrong check character", page.WaitForElement(".mud-input-helper-text.mud-input-error").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cloud_account_is_added_and_listed_and_a_bad_id_is_explained_next_to_it()
    {
        await SignInBillingCenterAsync();
        var clouds = new List<CloudAccount>();
        Host.On<ListCloudAccountsRequest, ListCloudAccountsResponse>("BillingAccountService/ListCloudAccounts", _ => new ListCloudAccountsResponse { CloudAccounts = { clouds } });
        Host.On<AddCloudAccountRequest, AddCloudAccountResponse>("BillingAccountService/AddCloudAccount", r =>
        {
            if (r.ProviderAccountId.Length == 0)
            {
                throw FakeHost.BadRequest(("provider_account_id", "is required"));
            }
            clouds.Add(new CloudAccount { CloudAccountId = "ca_1", Provider = r.Provider, ProviderAccountId = r.ProviderAccountId, DisplayName = r.DisplayName });
            return new AddCloudAccountResponse { CloudAccount = clouds[0] };
        });
        var page = Render<AccountPage>();

        page.WaitForElement("[data-testid=add-cloud-account]").Closest("form")!.Submit();
        Assert.Contains("is required", page.WaitForElement(".mud-input-helper-text.mud-input-error").TextContent, StringComparison.Ordinal);
        page.Find("[data-testid=provider-account-id] input, input[data-testid=provider-account-id]").Change("acme-ali");
        page.Find("[data-testid=cloud-display-name] input, input[data-testid=cloud-display-name]").Change("Ali prod");
        page.Find("[data-testid=add-cloud-account]").Closest("form")!.Submit();

        page.WaitForAssertion(() => Assert.Contains("Ali prod", page.Find("[data-testid=cloud-accounts] tr[data-id=ca_1]").TextContent, StringComparison.Ordinal));
        Assert.Equal(CloudProvider.AlibabaCloud, Host.CallsOf<AddCloudAccountRequest>("BillingAccountService/AddCloudAccount").Last().Provider);
        PhoneCards.AssertEveryCellNamed(page, "cloud-accounts");
    }
}
