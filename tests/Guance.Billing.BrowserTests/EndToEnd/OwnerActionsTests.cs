using System.Globalization;
using Guance.Billing.V1;
using Microsoft.Playwright;

namespace Guance.Billing.BrowserTests.EndToEnd;

/// <summary>
/// What a person does in the console beyond the first day, in a real browser against the real host:
/// the Owner of a marketplace workspace upgrades naming its cloud account (docs/domain.md §2), the
/// Owner dissolves a workspace (§2), a billing-center user finds tickets by the day they were submitted (§8).
/// </summary>
[Collection(ConsoleEndToEnd.Name)]
public sealed class OwnerActionsTests(ConsoleHost console)
{
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    [Fact]
    public async Task The_owner_of_an_aws_marketplace_workspace_upgrades_and_it_settles_through_the_named_aws_account()
    {
        var (email, ownerToken) = await console.SignUpAsync("owner");
        var workspaceId = (await console.Host.Api(ownerToken).Workspaces.CreateWorkspaceAsync(new CreateWorkspaceRequest
        {
            Name = "Ningxia", SiteCode = "cn2", ActivationChannel = ActivationChannel.AwsMarketplace,
        })).Workspace.WorkspaceId;
        var (username, accountId, session) = await BillingAccountAsync();
        var accounts = console.Host.Api(session).BillingAccounts;
        await accounts.AddCloudAccountAsync(new AddCloudAccountRequest
        {
            BillingAccountId = accountId, Provider = CloudProvider.AlibabaCloud, ProviderAccountId = "ali-1", MarketplaceInstanceId = "inst-1", DisplayName = "Alibaba main",
        });
        var aws = (await accounts.AddCloudAccountAsync(new AddCloudAccountRequest
        {
            BillingAccountId = accountId, Provider = CloudProvider.Aws, ProviderAccountId = "123456789012", MarketplaceInstanceId = "prod-e2e", DisplayName = "AWS main",
        })).CloudAccount;
        var code = (await accounts.CreateBindingCodeAsync(new CreateBindingCodeRequest { BillingAccountId = accountId })).BindingCode;

        // The Owner pays himself: signed in to the billing center in the same tab, he picks the account's AWS account.
        await using var tab = await console.OpenAsync(nameof(The_owner_of_an_aws_marketplace_workspace_upgrades_and_it_settles_through_the_named_aws_account));
        var page = tab.Page;
        await tab.SignInAsync(email, ConsoleHost.Password);
        await tab.SignInToBillingCenterAsync(username, ConsoleHost.Password);
        await page.GotoAsync($"workspaces/{workspaceId}/billing/upgrade");
        await Assertions.Expect(tab.ByTestId("marketplace-note")).ToContainTextAsync("AWS marketplace");
        // Only the account's AWS accounts are offered, not its Alibaba Cloud one.
        await page.Locator("[data-testid=cloud-account]").ClickAsync();
        var offered = page.Locator(".mud-popover-open .mud-list-item");
        await Assertions.Expect(offered).ToHaveTextAsync(["AWS main (123456789012)"]);
        await offered.ClickAsync();
        await tab.Input("binding-code").FillAsync(code);
        await tab.ScreenshotAsync("upgrade-marketplace");
        await page.Locator("[data-testid=upgrade]").ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Upgrade it" }).ClickAsync();
        await page.WaitForURLAsync($"**/workspaces/{workspaceId}/billing");
        await tab.ScreenshotAsync("overview-commercial");

        var settlement = (await console.Host.Api(ownerToken).Settlement.GetSettlementAsync(new GetSettlementRequest { WorkspaceId = workspaceId })).Settlement;
        Assert.Equal(Plan.Commercial, settlement.Plan);
        Assert.Equal(accountId, settlement.BillingAccountId);
        Assert.Equal(SettlementMethod.Aws, settlement.Method);
        Assert.Equal(aws.CloudAccountId, settlement.CloudAccountId);
        Assert.Empty(tab.Errors);
    }

    [Fact]
    public async Task The_owner_dissolves_a_workspace_and_it_leaves_the_list_while_an_administrator_is_not_offered_to()
    {
        var (ownerEmail, ownerToken) = await console.SignUpAsync("owner");
        var owner = console.Host.Api(ownerToken).Workspaces;
        var workspaceId = (await owner.CreateWorkspaceAsync(new CreateWorkspaceRequest { Name = "Production", SiteCode = "cn1", ActivationChannel = ActivationChannel.OfficialWebsite })).Workspace.WorkspaceId;
        await owner.CreateWorkspaceAsync(new CreateWorkspaceRequest { Name = "Staging", SiteCode = "cn1", ActivationChannel = ActivationChannel.OfficialWebsite });
        var (administratorEmail, _) = await console.SignUpAsync("administrator");
        await owner.AddMemberAsync(new AddMemberRequest { WorkspaceId = workspaceId, Email = administratorEmail, Role = WorkspaceRole.Administrator });

        await using (var administrator = await console.OpenAsync(nameof(The_owner_dissolves_a_workspace_and_it_leaves_the_list_while_an_administrator_is_not_offered_to) + "-administrator"))
        {
            await administrator.SignInAsync(administratorEmail, ConsoleHost.Password);
            await administrator.Page.GotoAsync($"workspaces/{workspaceId}");
            await Assertions.Expect(administrator.ByTestId("role")).ToHaveTextAsync("Administrator");
            Assert.Equal(0, await administrator.ByTestId("dissolve").CountAsync());
            Assert.Empty(administrator.Errors);
        }

        await using var tab = await console.OpenAsync(nameof(The_owner_dissolves_a_workspace_and_it_leaves_the_list_while_an_administrator_is_not_offered_to));
        var page = tab.Page;
        await tab.SignInAsync(ownerEmail, ConsoleHost.Password);
        await page.GotoAsync($"workspaces/{workspaceId}");
        await page.Locator("[data-testid=dissolve]").ClickAsync();
        var dialog = page.Locator(".mud-dialog");
        await Assertions.Expect(dialog).ToContainTextAsync("Dissolve Production?");
        await Assertions.Expect(dialog).ToContainTextAsync("cannot be undone");
        await tab.ScreenshotAsync("dissolve-confirmation");
        await page.GetByRole(AriaRole.Button, new() { Name = "Dissolve it" }).ClickAsync();

        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/");
        await Assertions.Expect(page.Locator("[data-testid=workspaces] tbody tr td:first-child")).ToHaveTextAsync(["Staging"]);
        await tab.ScreenshotAsync("workspaces-after");
        var all = (await owner.ListWorkspacesAsync(new ListWorkspacesRequest { ShowDissolved = true })).Workspaces;
        Assert.Equal(WorkspaceState.Dissolved, all.Single(w => w.WorkspaceId == workspaceId).State);
        Assert.Empty(tab.Errors);
    }

    [Fact]
    public async Task Tickets_are_found_by_the_day_they_were_submitted()
    {
        var (username, accountId, session) = await BillingAccountAsync();
        var firstDay = await CreateTicketAsync(session, accountId, "Recharge not credited");
        // The host's clock moves to the next day; the first session would outlive its 12 hours.
        await console.AdvanceToAsync((await console.NowAsync()).AddDays(1));
        session = (await console.Host.Api().BillingAccounts.SignInBillingAccountAsync(new SignInBillingAccountRequest { Username = username, Password = ConsoleHost.Password })).Token;
        var secondDay = await CreateTicketAsync(session, accountId, "Invoice title wrong");
        Assert.Equal(firstDay.AddDays(1), secondDay);

        await using var tab = await console.OpenAsync(nameof(Tickets_are_found_by_the_day_they_were_submitted));
        var page = tab.Page;
        await tab.SignInToBillingCenterAsync(username, ConsoleHost.Password);
        await page.GotoAsync("billing-center/tickets");
        var titles = page.Locator("[data-testid=ticket-link]");
        await Assertions.Expect(titles).ToHaveTextAsync(["Invoice title wrong", "Recharge not credited"]);

        await SetDateAsync(tab, "filter-from", secondDay);
        await SetDateAsync(tab, "filter-to", secondDay);
        await page.Locator("[data-testid=search-tickets]").ClickAsync();
        await Assertions.Expect(titles).ToHaveTextAsync(["Invoice title wrong"]);
        await tab.ScreenshotAsync("tickets-second-day");

        await SetDateAsync(tab, "filter-from", firstDay);
        await SetDateAsync(tab, "filter-to", firstDay);
        await page.Locator("[data-testid=search-tickets]").ClickAsync();
        await Assertions.Expect(titles).ToHaveTextAsync(["Recharge not credited"]);
        await tab.ScreenshotAsync("tickets-first-day");
        Assert.Empty(tab.Errors);
    }

    /// <summary>Types a day into an editable date field and leaves it, as a person does.</summary>
    private static async Task SetDateAsync(ConsolePage tab, string testId, DateOnly day)
    {
        var input = tab.Input(testId);
        await input.FillAsync(day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await input.PressAsync("Tab");
    }

    /// <summary>Creates a ticket through the API; returns its China-time day.</summary>
    private async Task<DateOnly> CreateTicketAsync(string session, string accountId, string title)
    {
        var ticket = (await console.Host.Api(session).Tickets.CreateTicketAsync(new CreateTicketRequest
        {
            BillingAccountId = accountId, Type = TicketType.BillingQuestion, Title = title, Description = "See the wallet.", RequestId = "e2e-" + Guid.NewGuid().ToString("N"),
        })).Ticket;
        return DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(ticket.CreateTime.ToDateTimeOffset(), Shanghai).DateTime);
    }

    private async Task<(string Username, string AccountId, string Session)> BillingAccountAsync()
    {
        var username = $"acme-{Guid.NewGuid():N}"[..20];
        var registered = await console.Host.Api().BillingAccounts.RegisterBillingAccountAsync(new RegisterBillingAccountRequest
        {
            Username = username, Password = ConsoleHost.Password, Email = $"{username}@example.com", DisplayName = "Acme Finance",
        });
        return (username, registered.BillingAccount.BillingAccountId, registered.Token);
    }
}
