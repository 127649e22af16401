using Grpc.Core;
using Guance.Billing.V1;
using Microsoft.Playwright;

namespace Guance.Billing.BrowserTests.EndToEnd;

/// <summary>
/// A workspace's team in the browser against the real host: the Owner adds an Administrator by e-mail, creates a
/// collector token that an agent then reports usage with, and revokes it, after which the host refuses it.
/// </summary>
[Collection(ConsoleEndToEnd.Name)]
public sealed class TeamJourneyTests(ConsoleHost console)
{
    [Fact]
    public async Task The_owner_adds_an_administrator_and_gives_an_agent_a_token_that_works_until_revoked()
    {
        var (email, owner) = await console.SignUpAsync("team-owner");
        var workspaceId = (await console.Host.Api(owner).Workspaces.CreateWorkspaceAsync(new CreateWorkspaceRequest
        {
            Name = "Production", SiteCode = "cn1", ActivationChannel = ActivationChannel.OfficialWebsite,
        })).Workspace.WorkspaceId;
        var (colleague, _) = await console.SignUpAsync("colleague");
        await using var tab = await console.OpenAsync(nameof(The_owner_adds_an_administrator_and_gives_an_agent_a_token_that_works_until_revoked));
        var page = tab.Page;
        await tab.SignInAsync(email, ConsoleHost.Password);
        await page.GotoAsync($"workspaces/{workspaceId}");
        // The tab is named after the workspace, once it is read.
        await Assertions.Expect(page).ToHaveTitleAsync("Production · Guance console");

        await page.GetByRole(AriaRole.Link, new() { Name = "Members", Exact = true }).First.ClickAsync();
        await page.WaitForURLAsync($"**/workspaces/{workspaceId}/members");
        await tab.Input("member-email").FillAsync(colleague);
        await tab.ByTestId("member-new-role").ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = "Administrator" }).ClickAsync();
        await tab.ByTestId("add-member").ClickAsync();
        var added = page.Locator("[data-testid=members] tr", new() { HasText = colleague });
        await Assertions.Expect(added.Locator("[data-testid=member-name]")).ToHaveTextAsync("colleague");
        await tab.ScreenshotAsync("members");
        var members = await console.Host.Api(owner).Workspaces.ListMembersAsync(new ListMembersRequest { WorkspaceId = workspaceId });
        Assert.Equal(WorkspaceRole.Administrator, members.Members.Single(m => m.Email == colleague).Role);

        await page.GetByRole(AriaRole.Link, new() { Name = "Collector tokens", Exact = true }).First.ClickAsync();
        await page.WaitForURLAsync($"**/workspaces/{workspaceId}/collectors");
        await tab.Input("token-name").FillAsync("prod hosts");
        await tab.ByTestId("create-token").ClickAsync();
        var token = (await tab.ByTestId("collector-token").TextContentAsync())!.Trim();
        await tab.ScreenshotAsync("token-shown-once");
        var agent = console.Host.Api(token).Usage;
        Assert.False((await agent.ReportUsageAsync(Batch(1))).Duplicate);

        await tab.ByTestId("token-saved").ClickAsync();
        await page.Locator("[data-testid=collector-tokens] tr", new() { HasText = "prod hosts" }).Locator("[data-testid=revoke-token]").ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Revoke it" }).ClickAsync();
        await Assertions.Expect(tab.ByTestId("token-state")).ToContainTextAsync("Revoked at");
        await tab.ScreenshotAsync("token-revoked");
        var refused = await Assert.ThrowsAsync<RpcException>(async () => await agent.ReportUsageAsync(Batch(2)));
        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
        Assert.Empty(tab.Errors);
    }

    private static ReportUsageRequest Batch(long sequence) => new()
    {
        CollectorId = "web-01",
        Sequence = sequence,
        Records = { new UsageRecord { Item = BillingItem.Logs, Quantity = 1200, ObservedAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(ConsoleHost.Start) } },
    };
}
