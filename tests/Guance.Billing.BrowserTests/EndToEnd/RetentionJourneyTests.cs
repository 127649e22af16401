using Guance.Billing.V1;
using Microsoft.Playwright;

namespace Guance.Billing.BrowserTests.EndToEnd;

/// <summary>
/// Retention in the browser against the real host (docs/domain.md §4): the Owner's first change of a day takes
/// effect at once, a second one waits for the next day; an Administrator sees both without the controls.
/// </summary>
[Collection(ConsoleEndToEnd.Name)]
public sealed class RetentionJourneyTests(ConsoleHost console)
{
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    [Fact]
    public async Task The_owner_changes_a_retention_at_once_and_a_second_change_of_the_day_waits_for_the_next_day()
    {
        var (email, owner, workspaceId) = await CommercialWorkspaceAsync("retention-owner");
        await using var tab = await console.OpenAsync(nameof(The_owner_changes_a_retention_at_once_and_a_second_change_of_the_day_waits_for_the_next_day));
        var page = tab.Page;
        await tab.SignInAsync(email, ConsoleHost.Password);
        await page.GotoAsync($"workspaces/{workspaceId}");
        await page.GetByRole(AriaRole.Link, new() { Name = "Retention", Exact = true }).ClickAsync();
        await page.WaitForURLAsync($"**/workspaces/{workspaceId}/billing/retention");
        var logs = page.Locator($"[data-testid=retentions] tr[data-type={DataType.Logs}]");
        await Assertions.Expect(logs.Locator("[data-testid=days]")).ToHaveTextAsync("14 days");
        await tab.ScreenshotAsync("retention");

        await ChangeAsync(tab, "Logs", "30 days");
        await Assertions.Expect(tab.ByTestId("retention-changed")).ToContainTextAsync("Logs is kept 30 days from");
        await Assertions.Expect(tab.ByTestId("retention-changed")).ToContainTextAsync("at once");
        await Assertions.Expect(logs.Locator("[data-testid=days]")).ToHaveTextAsync("30 days");
        await tab.ScreenshotAsync("changed-at-once");
        var afterFirst = await LogsRetentionAsync(owner, workspaceId);
        Assert.Equal((30, 0), (afterFirst.Days, afterFirst.PendingDays));

        await ChangeAsync(tab, "Logs", "60 days");
        await Assertions.Expect(tab.ByTestId("retention-changed")).ToContainTextAsync("Logs will be kept 60 days from");
        await Assertions.Expect(tab.ByTestId("retention-changed")).ToContainTextAsync("the start of the next day");
        await Assertions.Expect(logs.Locator("[data-testid=days]")).ToHaveTextAsync("30 days");
        await Assertions.Expect(logs.Locator("[data-testid=pending]")).ToContainTextAsync("60 days from");
        await tab.ScreenshotAsync("pending-next-day");
        var afterSecond = await LogsRetentionAsync(owner, workspaceId);
        Assert.Equal((30, 60), (afterSecond.Days, afterSecond.PendingDays));

        // Read afresh, the page shows what the host keeps.
        await page.ReloadAsync();
        await Assertions.Expect(logs.Locator("[data-testid=pending]")).ToContainTextAsync("60 days from");
        Assert.Empty(tab.Errors);
    }

    [Fact]
    public async Task An_administrator_sees_the_retentions_and_a_pending_change_without_controls()
    {
        var (_, owner, workspaceId) = await CommercialWorkspaceAsync("retention-admin");
        var workspaces = console.Host.Api(owner).Workspaces;
        await workspaces.UpdateRetentionAsync(new UpdateRetentionRequest { WorkspaceId = workspaceId, DataType = DataType.Metrics, Days = 30 });
        await workspaces.UpdateRetentionAsync(new UpdateRetentionRequest { WorkspaceId = workspaceId, DataType = DataType.Metrics, Days = 180 });
        var (adminEmail, _) = await console.SignUpAsync("administrator");
        await workspaces.AddMemberAsync(new AddMemberRequest { WorkspaceId = workspaceId, Email = adminEmail, Role = WorkspaceRole.Administrator });
        await using var tab = await console.OpenAsync(nameof(An_administrator_sees_the_retentions_and_a_pending_change_without_controls));

        await tab.SignInAsync(adminEmail, ConsoleHost.Password);
        await tab.Page.GotoAsync($"workspaces/{workspaceId}");
        await tab.Page.GetByRole(AriaRole.Link, new() { Name = "Retention", Exact = true }).ClickAsync();

        var metrics = tab.Page.Locator($"[data-testid=retentions] tr[data-type={DataType.Metrics}]");
        await Assertions.Expect(metrics.Locator("[data-testid=days]")).ToHaveTextAsync("30 days");
        await Assertions.Expect(metrics.Locator("[data-testid=pending]")).ToContainTextAsync("180 days from");
        await Assertions.Expect(tab.ByTestId("owner-only")).ToBeVisibleAsync();
        Assert.Equal(0, await tab.ByTestId("retention-form").CountAsync());
        Assert.Equal(0, await tab.ByTestId("change-retention").CountAsync());
        await tab.ScreenshotAsync("administrator-retention");
        Assert.Empty(tab.Errors);
    }

    /// <summary>Picks the type and the days, presses Change and confirms.</summary>
    private static async Task ChangeAsync(ConsolePage tab, string type, string days)
    {
        await tab.ByTestId("retention-type").ClickAsync();
        await tab.Page.Locator(".mud-popover-open .mud-list-item", new() { HasText = type }).First.ClickAsync();
        await tab.ByTestId("retention-days").ClickAsync();
        await tab.Page.Locator(".mud-popover-open .mud-list-item", new() { HasTextRegex = new System.Text.RegularExpressions.Regex($"^{days}$") }).ClickAsync();
        await tab.ByTestId("change-retention").ClickAsync();
        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Change it" }).ClickAsync();
    }

    private async Task<Retention> LogsRetentionAsync(string token, string workspaceId) =>
        (await console.Host.Api(token).Workspaces.GetWorkspaceAsync(new GetWorkspaceRequest { WorkspaceId = workspaceId }))
            .Workspace.Retentions.Single(r => r.DataType == DataType.Logs);

    /// <summary>
    /// A commercial workspace of a new Owner on cn1, bound to a new billing account, with the site's day far from its end
    /// (the shared clock may stand anywhere), so that two changes fall on one day; returns the Owner's e-mail and token and the workspace.
    /// </summary>
    private async Task<(string Email, string Owner, string WorkspaceId)> CommercialWorkspaceAsync(string name)
    {
        var now = await console.NowAsync();
        if (TimeZoneInfo.ConvertTime(now, Shanghai).Hour >= 20)
        {
            await console.AdvanceToAsync(now.AddHours(6));
        }
        var host = console.Host;
        var (email, owner) = await console.SignUpAsync(name);
        var workspaceId = (await host.Api(owner).Workspaces.CreateWorkspaceAsync(new CreateWorkspaceRequest
        {
            Name = "Production", SiteCode = "cn1", ActivationChannel = ActivationChannel.OfficialWebsite,
        })).Workspace.WorkspaceId;
        var username = $"acme{Guid.NewGuid():N}"[..16];
        var registered = await host.Api().BillingAccounts.RegisterBillingAccountAsync(new RegisterBillingAccountRequest
        {
            Username = username, Password = ConsoleHost.Password, Email = $"{username}@example.com", DisplayName = "Acme Finance",
        });
        var code = (await host.Api(registered.Token).BillingAccounts.CreateBindingCodeAsync(new CreateBindingCodeRequest { BillingAccountId = registered.BillingAccount.BillingAccountId })).BindingCode;
        await host.Api(owner).Settlement.UpgradeToCommercialAsync(new UpgradeToCommercialRequest { WorkspaceId = workspaceId, BindingCode = code });
        return (email, owner, workspaceId);
    }
}
