using Bunit;
using Google.Protobuf.WellKnownTypes;
using Guance.Billing.Console.Pages.Billing;
using Guance.Billing.V1;

namespace Guance.Billing.BrowserTests.Components;

/// <summary>Usage analysis: a chart of one item's points up to the host's present, headed by a flow's total or a stock's peak.</summary>
public sealed class UsageAnalysisPageTests : ConsoleContext
{
    // 09:30 at the site (UTC+8) on 2026-11-20.
    private static readonly DateTimeOffset AsOf = new(2026, 11, 20, 1, 30, 0, TimeSpan.Zero);

    public UsageAnalysisPageTests()
    {
        Host.On<GetUsageStatisticsRequest, GetUsageStatisticsResponse>("UsageService/GetUsageStatistics", _ => new GetUsageStatisticsResponse
        {
            Today = new BillingDay { Year = 2026, Month = 11, Day = 20 },
            AsOfTime = Timestamp.FromDateTimeOffset(AsOf),
            // Upgraded on 2026-11-19 at 10:00 at the site.
            CountedSinceTime = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 11, 19, 2, 0, 0, TimeSpan.Zero)),
        });
        Host.On<ListUsagePointsRequest, ListUsagePointsResponse>("UsageService/ListUsagePoints", r => new ListUsagePointsResponse
        {
            // The same two hours for every item: 08:00 and 09:00 at the site.
            Points =
            {
                new UsagePoint { StartTime = Timestamp.FromDateTimeOffset(AsOf.AddMinutes(-90)), Quantity = r.Item == BillingItem.TimeSeries ? 2_000 : 700 },
                new UsagePoint { StartTime = Timestamp.FromDateTimeOffset(AsOf.AddMinutes(-30)), Quantity = r.Item == BillingItem.TimeSeries ? 3_000 : 500 },
            },
        });
    }

    [Fact]
    public async Task A_stock_is_headed_by_its_peak_over_yesterday_and_today()
    {
        await SignInAsync();
        Workspace(WorkspaceRole.Owner, Plan.Commercial);

        var page = Render<UsageAnalysisPage>(p => p.Add(x => x.WorkspaceId, WorkspaceId));

        page.WaitForAssertion(() => Assert.Equal("Time series, per hour (UTC+8): peak 3,000", page.Find("[data-testid=headline]").TextContent.Trim()));
        // The range begins before the upgrade: its hours there are not usage of zero, and the page says so.
        Assert.Equal("Usage before the upgrade at 2026-11-19 10:00 UTC+8 is not shown: the experience period is not billed.", page.Find("[data-testid=before-upgrade]").TextContent.Trim());
        // Yesterday and today, from the site's midnight (the chart ends at the present hour: ChartArithmeticTests).
        var asked = Host.CallsOf<ListUsagePointsRequest>("UsageService/ListUsagePoints").Single();
        Assert.Equal(new DateTimeOffset(2026, 11, 19, 0, 0, 0, TimeSpan.FromHours(8)), asked.StartTime.ToDateTimeOffset());
    }

    [Fact]
    public async Task A_flow_is_headed_by_its_total()
    {
        await SignInAsync();
        Workspace(WorkspaceRole.Owner, Plan.Commercial);
        var page = Render<UsageAnalysisPage>(p => p.Add(x => x.WorkspaceId, WorkspaceId));
        page.WaitForElement("[data-testid=headline]");

        await page.InvokeAsync(() => page.FindComponent<MudBlazor.MudSelect<BillingItem>>().Instance.ValueChanged.InvokeAsync(BillingItem.Logs));

        page.WaitForAssertion(() => Assert.Equal("Logs, per hour (UTC+8): 1,200 in total", page.Find("[data-testid=headline]").TextContent.Trim()));

        // Today alone begins after the upgrade: nothing to say.
        await page.InvokeAsync(() => page.FindComponent<MudBlazor.MudDateRangePicker>().Instance.DateRangeChanged.InvokeAsync(
            new MudBlazor.DateRange(new DateTime(2026, 11, 20), new DateTime(2026, 11, 20))));
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid=before-upgrade]")));
    }

    [Fact]
    public async Task A_page_left_open_follows_the_hosts_present_to_the_next_day()
    {
        await SignInAsync();
        Workspace(WorkspaceRole.Owner, Plan.Commercial);
        var calls = 0;
        // From the second read on, the host's clock is at 09:30 of the next day.
        Host.On<GetUsageStatisticsRequest, GetUsageStatisticsResponse>("UsageService/GetUsageStatistics", _ => ++calls == 1
            ? new GetUsageStatisticsResponse { Today = new BillingDay { Year = 2026, Month = 11, Day = 20 }, AsOfTime = Timestamp.FromDateTimeOffset(AsOf) }
            : new GetUsageStatisticsResponse { Today = new BillingDay { Year = 2026, Month = 11, Day = 21 }, AsOfTime = Timestamp.FromDateTimeOffset(AsOf.AddDays(1)) });
        var page = Render<UsageAnalysisPage>(p => p.Add(x => x.WorkspaceId, WorkspaceId));
        page.WaitForElement("[data-testid=headline]");

        await page.InvokeAsync(() => page.FindComponent<MudBlazor.MudDateRangePicker>().Instance.DateRangeChanged.InvokeAsync(
            new MudBlazor.DateRange(new DateTime(2026, 11, 21), new DateTime(2026, 11, 21))));

        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=headline]")));
        Assert.Empty(page.FindAll("[data-testid=range-not-begun]"));
    }

    [Fact]
    public async Task A_range_that_has_not_begun_says_so_instead_of_drawing_zeros()
    {
        await SignInAsync();
        Workspace(WorkspaceRole.Owner, Plan.Commercial);
        var page = Render<UsageAnalysisPage>(p => p.Add(x => x.WorkspaceId, WorkspaceId));
        page.WaitForElement("[data-testid=headline]");

        await page.InvokeAsync(() => page.FindComponent<MudBlazor.MudDateRangePicker>().Instance.DateRangeChanged.InvokeAsync(
            new MudBlazor.DateRange(new DateTime(2026, 11, 22), new DateTime(2026, 11, 23))));

        page.WaitForAssertion(() => Assert.Contains("has not begun yet: today is 2026-11-20 (UTC+8)", page.Find("[data-testid=range-not-begun]").TextContent, StringComparison.Ordinal));
        Assert.Empty(page.FindAll("[data-testid=usage-chart]"));
    }
}
