using Bunit;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Guance.Billing.Console.Formatting;
using Guance.Billing.Console.Pages.Billing;
using Guance.Billing.V1;
using MudBlazor;

namespace Guance.Billing.BrowserTests.Components;

/// <summary>
/// Retention per data type (docs/domain.md §4): shown to the Owner and Administrators, changed by the Owner only
/// after a confirmation, when it takes effect as the host answers it, in the site's time zone.
/// </summary>
public sealed class RetentionPageTests : ConsoleContext
{
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
    private static readonly Timestamp NextDay = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 11, 3, 0, 0, 0, TimeSpan.FromHours(8)));
    private static readonly Timestamp Now = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 11, 2, 9, 31, 0, TimeSpan.FromHours(8)));

    public RetentionPageTests()
    {
        Host.On<ListBillingItemsRequest, ListBillingItemsResponse>("UsageService/ListBillingItems", _ => new ListBillingItemsResponse
        {
            BillingItems =
            {
                new BillingItemInfo { Item = BillingItem.TimeSeries, DisplayName = "Time series", Enabled = true, RetentionDataType = DataType.Metrics },
                new BillingItemInfo { Item = BillingItem.Logs, DisplayName = "Logs (log-class data)", Enabled = true, RetentionDataType = DataType.Logs },
                new BillingItemInfo { Item = BillingItem.Sms, DisplayName = "SMS", Enabled = true },
            },
        });
    }

    [Fact]
    public async Task Everyone_with_billing_sees_each_types_retention_its_pending_change_and_the_items_it_prices()
    {
        await SignInAsync();
        WorkspaceWith(WorkspaceRole.Administrator, Plan.Commercial, Retention(DataType.Metrics, 7), Retention(DataType.Logs, 14, pendingDays: 30));

        var page = Render<RetentionPage>(p => p.Add(x => x.WorkspaceId, WorkspaceId));

        var logs = page.WaitForElement($"[data-testid=retentions] tr[data-type={DataType.Logs}]");
        Assert.Equal("14 days", logs.QuerySelector("[data-testid=days]")!.TextContent.Trim());
        Assert.Equal("30 days from " + Display.Instant(NextDay, Shanghai), logs.QuerySelector("[data-testid=pending]")!.TextContent.Trim());
        Assert.Contains("Logs (log-class data)", logs.TextContent, StringComparison.Ordinal);
        var metrics = page.Find($"[data-testid=retentions] tr[data-type={DataType.Metrics}]");
        Assert.Equal("None", metrics.QuerySelector("[data-testid=pending]")!.TextContent.Trim());
        Assert.Contains("Time series", metrics.TextContent, StringComparison.Ordinal);
        PhoneCards.AssertEveryCellNamed(page, "retentions");
    }

    [Fact]
    public async Task An_administrator_sees_no_change_controls()
    {
        await SignInAsync();
        WorkspaceWith(WorkspaceRole.Administrator, Plan.Commercial, Retention(DataType.Logs, 14));

        var page = Render<RetentionPage>(p => p.Add(x => x.WorkspaceId, WorkspaceId));

        Assert.Contains("Only the workspace's Owner", page.WaitForElement("[data-testid=owner-only]").TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid=retention-form]"));
        Assert.Empty(page.FindAll("[data-testid=change-retention]"));
    }

    [Theory]
    [InlineData(WorkspaceRole.Standard)]
    [InlineData(WorkspaceRole.ReadOnly)]
    public async Task A_member_without_billing_gets_no_access(WorkspaceRole role)
    {
        await SignInAsync();
        WorkspaceWith(role, Plan.Commercial, Retention(DataType.Logs, 14));

        var page = Render<RetentionPage>(p => p.Add(x => x.WorkspaceId, WorkspaceId));

        page.WaitForElement("[data-testid=no-access]");
        Assert.Empty(page.FindAll("[data-testid=retentions]"));
    }

    [Fact]
    public async Task On_the_experience_plan_the_retention_is_shown_as_fixed_without_controls()
    {
        await SignInAsync();
        WorkspaceWith(WorkspaceRole.Owner, Plan.Experience, Retention(DataType.Metrics, 7), Retention(DataType.Logs, 7));

        var page = Render<RetentionPage>(p => p.Add(x => x.WorkspaceId, WorkspaceId));

        Assert.Contains("7 days, fixed", page.WaitForElement("[data-testid=retention-fixed]").TextContent, StringComparison.Ordinal);
        Assert.All(page.FindAll("[data-testid=days]"), cell => Assert.Equal("7 days (fixed)", cell.TextContent.Trim()));
        Assert.Empty(page.FindAll("[data-testid=retention-form]"));
    }

    [Fact]
    public async Task The_owners_first_change_of_the_day_asks_first_and_then_says_it_took_effect_at_once()
    {
        await SignInAsync();
        WorkspaceWith(WorkspaceRole.Owner, Plan.Commercial, Retention(DataType.Metrics, 7), Retention(DataType.Logs, 14));
        Host.On<UpdateRetentionRequest, UpdateRetentionResponse>("WorkspaceService/UpdateRetention", r => new UpdateRetentionResponse
        {
            Retention = Retention(r.DataType, r.Days), EffectiveTime = Now, Immediate = true,
        });
        var dialogs = Render<MudDialogProvider>();
        var page = Render<RetentionPage>(p => p.Add(x => x.WorkspaceId, WorkspaceId));

        await ChooseAsync(page, DataType.Logs, 30);
        page.Find("[data-testid=change-retention]").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("Keep Logs 30 days?", dialogs.Markup, StringComparison.Ordinal));
        Assert.Contains("billed at the 30-day retention", dialogs.Markup, StringComparison.Ordinal);
        Assert.Empty(Host.CallsOf<UpdateRetentionRequest>("WorkspaceService/UpdateRetention"));
        dialogs.FindAll("button").Single(b => b.TextContent.Contains("Change it", StringComparison.Ordinal)).Click();

        var changed = page.WaitForElement("[data-testid=retention-changed]").TextContent;
        Assert.Contains($"Logs is kept 30 days from {Display.Instant(Now, Shanghai)}, at once", changed, StringComparison.Ordinal);
        Assert.Contains("priced at the 30-day retention", changed, StringComparison.Ordinal);
        Assert.Equal("30 days", page.Find($"tr[data-type={DataType.Logs}] [data-testid=days]").TextContent.Trim());
        var sent = Host.CallsOf<UpdateRetentionRequest>("WorkspaceService/UpdateRetention").Single();
        Assert.Equal((WorkspaceId, DataType.Logs, 30), (sent.WorkspaceId, sent.DataType, sent.Days));
    }

    [Fact]
    public async Task A_later_change_of_the_day_is_shown_pending_from_the_effective_time_the_host_answers()
    {
        await SignInAsync();
        WorkspaceWith(WorkspaceRole.Owner, Plan.Commercial, Retention(DataType.Logs, 30));
        Host.On<UpdateRetentionRequest, UpdateRetentionResponse>("WorkspaceService/UpdateRetention", r => new UpdateRetentionResponse
        {
            Retention = Retention(r.DataType, 30, pendingDays: r.Days), EffectiveTime = NextDay, Immediate = false,
        });
        var dialogs = Render<MudDialogProvider>();
        var page = Render<RetentionPage>(p => p.Add(x => x.WorkspaceId, WorkspaceId));

        await ChooseAsync(page, DataType.Logs, 60);
        page.Find("[data-testid=change-retention]").Click();
        dialogs.WaitForAssertion(() => dialogs.FindAll("button").Single(b => b.TextContent.Contains("Change it", StringComparison.Ordinal)).Click());

        var changed = page.WaitForElement("[data-testid=retention-changed]").TextContent;
        Assert.Contains($"Logs will be kept 60 days from {Display.Instant(NextDay, Shanghai)}, the start of the next day", changed, StringComparison.Ordinal);
        var logs = page.Find($"tr[data-type={DataType.Logs}]");
        Assert.Equal("30 days", logs.QuerySelector("[data-testid=days]")!.TextContent.Trim());
        Assert.Equal("60 days from " + Display.Instant(NextDay, Shanghai), logs.QuerySelector("[data-testid=pending]")!.TextContent.Trim());
    }

    [Fact]
    public async Task Keeping_the_retention_in_the_dialog_changes_nothing()
    {
        await SignInAsync();
        WorkspaceWith(WorkspaceRole.Owner, Plan.Commercial, Retention(DataType.Logs, 14));
        var dialogs = Render<MudDialogProvider>();
        var page = Render<RetentionPage>(p => p.Add(x => x.WorkspaceId, WorkspaceId));

        await ChooseAsync(page, DataType.Logs, 30);
        page.Find("[data-testid=change-retention]").Click();
        dialogs.WaitForAssertion(() => dialogs.FindAll("button").Single(b => b.TextContent.Contains("Keep it as it is", StringComparison.Ordinal)).Click());

        dialogs.WaitForAssertion(() => Assert.DoesNotContain("Keep Logs 30 days?", dialogs.Markup, StringComparison.Ordinal));
        Assert.Empty(Host.CallsOf<UpdateRetentionRequest>("WorkspaceService/UpdateRetention"));
        Assert.Empty(page.FindAll("[data-testid=retention-changed]"));
    }

    [Fact]
    public async Task A_refusal_of_the_host_is_shown_in_words_without_its_code()
    {
        await SignInAsync();
        WorkspaceWith(WorkspaceRole.Owner, Plan.Commercial, Retention(DataType.Logs, 14));
        Host.On<UpdateRetentionRequest, UpdateRetentionResponse>("WorkspaceService/UpdateRetention",
            _ => throw FakeHost.Failure(StatusCode.PermissionDenied, "ROLE_NOT_PERMITTED", "Only the workspace's Owner may change retention."));
        var dialogs = Render<MudDialogProvider>();
        var page = Render<RetentionPage>(p => p.Add(x => x.WorkspaceId, WorkspaceId));

        await ChooseAsync(page, DataType.Logs, 30);
        page.Find("[data-testid=change-retention]").Click();
        dialogs.WaitForAssertion(() => dialogs.FindAll("button").Single(b => b.TextContent.Contains("Change it", StringComparison.Ordinal)).Click());

        Assert.Contains("Only the workspace's Owner may change retention.", page.WaitForElement("[data-testid=error]").TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("ROLE_NOT_PERMITTED", page.Markup, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid=retention-changed]"));
        Assert.Equal("14 days", page.Find($"tr[data-type={DataType.Logs}] [data-testid=days]").TextContent.Trim());
    }

    /// <summary>Picks the data type and the days in the form's two selects, as a person's picks would set them.</summary>
    private static async Task ChooseAsync(IRenderedComponent<RetentionPage> page, DataType type, int days)
    {
        page.WaitForElement("[data-testid=change-retention]");
        var typeSelect = page.FindComponent<MudSelect<DataType>>();
        await page.InvokeAsync(() => typeSelect.Instance.ValueChanged.InvokeAsync(type));
        var daysSelect = page.FindComponent<MudSelect<int>>();
        await page.InvokeAsync(() => daysSelect.Instance.ValueChanged.InvokeAsync(days));
    }

    private static Retention Retention(DataType type, int days, int pendingDays = 0)
    {
        var retention = new Retention { DataType = type, Days = days, PendingDays = pendingDays, PendingEffectiveTime = pendingDays > 0 ? NextDay : null };
        retention.AllowedDays.Add(type == DataType.Metrics ? [3, 7, 14, 30, 180, 360] : [3, 7, 14, 30, 60]);
        return retention;
    }

    /// <summary>The workspace with its retentions, as GetWorkspace answers it to a caller of <paramref name="role"/>.</summary>
    private void WorkspaceWith(WorkspaceRole role, Plan plan, params Retention[] retentions)
    {
        Workspace(role, plan);
        Host.On<GetWorkspaceRequest, GetWorkspaceResponse>("WorkspaceService/GetWorkspace", _ => new GetWorkspaceResponse
        {
            Workspace = new Workspace
            {
                WorkspaceId = WorkspaceId, Name = "Production", SiteCode = "cn1", CallerRole = role, Plan = plan, State = WorkspaceState.Active,
                Retentions = { retentions },
            },
        });
    }
}
