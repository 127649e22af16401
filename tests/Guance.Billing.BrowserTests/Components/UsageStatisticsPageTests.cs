using Bunit;
using Google.Protobuf.WellKnownTypes;
using Guance.Billing.Console.Pages.Billing;
using Guance.Billing.V1;

namespace Guance.Billing.BrowserTests.Components;

/// <summary>Usage statistics: today so far, yesterday, month to date, and the experience quota left (docs/domain.md §2, §5).</summary>
public sealed class UsageStatisticsPageTests : ConsoleContext
{
    [Fact]
    public async Task Each_item_shows_its_figures_and_the_quota_left_as_a_bar()
    {
        await SignInAsync();
        Workspace(WorkspaceRole.Owner);
        Host.On<GetUsageStatisticsRequest, GetUsageStatisticsResponse>("UsageService/GetUsageStatistics", _ => new GetUsageStatisticsResponse
        {
            Today = new BillingDay { Year = 2026, Month = 11, Day = 20 },
            AsOfTime = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 11, 20, 1, 0, 0, TimeSpan.Zero)),
            Items =
            {
                new ItemUsageStatistics { Item = BillingItem.TimeSeries, Today = 2_000, Yesterday = 2_500, MonthToDate = 40_000, HasQuota = true, DailyQuota = 3_000, RemainingToday = 1_000 },
                new ItemUsageStatistics { Item = BillingItem.Logs, Today = 1_000_000, HasQuota = true, DailyQuota = 1_000_000, RemainingToday = 0 },
            },
        });

        var page = Render<UsageStatisticsPage>(p => p.Add(x => x.WorkspaceId, WorkspaceId));

        var rows = page.WaitForElements("[data-testid=usage-statistics] tbody tr");
        Assert.Equal(["Time series", "2,000", "2,500", "40,000"], rows[0].QuerySelectorAll("td").Take(4).Select(td => td.TextContent.Trim()));
        Assert.Equal("1,000 of 3,000 left", rows[0].QuerySelector("[data-testid=quota]")!.TextContent.Trim());
        Assert.Equal("0 of 1,000,000 left", rows[1].QuerySelector("[data-testid=quota]")!.TextContent.Trim());
        PhoneCards.AssertEveryCellNamed(page, "usage-statistics");
        // Site time, and saying so: 01:00 UTC is 09:00 in Asia/Shanghai; the site's day is its own.
        Assert.Contains("Today at the site is 2026-11-20 (UTC+8); figures as of 2026-11-20 09:00 UTC+8.", page.Find("[data-testid=as-of]").TextContent);
    }

    [Fact]
    public async Task A_commercial_workspace_has_no_quota_column_and_a_level_is_said_to_be_one()
    {
        await SignInAsync();
        Workspace(WorkspaceRole.Owner, Plan.Commercial);
        Host.On<GetUsageStatisticsRequest, GetUsageStatisticsResponse>("UsageService/GetUsageStatistics", _ => new GetUsageStatisticsResponse
        {
            Today = new BillingDay { Year = 2026, Month = 11, Day = 20 },
            AsOfTime = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 11, 20, 1, 0, 0, TimeSpan.Zero)),
            Items =
            {
                new ItemUsageStatistics { Item = BillingItem.TimeSeries, Today = 2_000, Yesterday = 2_500, MonthToDate = 40_000 },
                new ItemUsageStatistics { Item = BillingItem.Logs, Today = 1_000_000 },
            },
        });

        var page = Render<UsageStatisticsPage>(p => p.Add(x => x.WorkspaceId, WorkspaceId));

        page.WaitForElements("[data-testid=usage-statistics] tbody tr");
        Assert.Equal(["Item", "Today so far", "Yesterday", "Month to date"], page.FindAll("[data-testid=usage-statistics] thead th").Select(th => th.TextContent.Trim()));
        Assert.All(page.FindAll("[data-testid=usage-statistics] tbody tr"), row => Assert.Equal(4, row.Children.Length));
        Assert.StartsWith("Time series counted as a level: a day's figure is its highest hour", page.Find("[data-testid=levels]").TextContent.Trim(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(3_000, 1_000, 33.3)]
    [InlineData(3_000, 0, 0)]
    [InlineData(3_000, 3_000, 100)]
    [InlineData(0, 0, 0)]
    public void The_bar_is_the_part_of_the_quota_still_left(long quota, long left, double percent) =>
        Assert.Equal(percent, UsageStatisticsPage.QuotaLeftPercent(new ItemUsageStatistics { DailyQuota = quota, RemainingToday = left }));
}
