using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.V1;
using static Guance.Billing.IntegrationTests.Usage.UsageTestKit;

namespace Guance.Billing.IntegrationTests.Usage;

/// <summary>ListBillingItems, GetUsageStatistics and ListUsagePoints: results, bad input, permissions, the upgrade cut.</summary>
public sealed class UsageReportTests(BillingHost host) : IClassFixture<BillingHost>
{
    private DateTimeOffset Now => host.Clock.GetUtcNow();

    [Fact]
    public async Task The_catalog_lists_every_item_with_its_rules()
    {
        var items = (await host.Api().Usage.ListBillingItemsAsync(new ListBillingItemsRequest())).BillingItems;
        Assert.Equal(12, items.Count);
        var series = items.Single(i => i.Item == BillingItem.TimeSeries);
        Assert.Equal(("time_series", 1_000L, DailyAggregation.Max, 3_000L, true, DataType.Metrics),
            (series.Code, series.PriceUnit, series.DailyAggregation, series.ExperienceDailyQuota, series.ExperienceAllowed, series.RetentionDataType));
        var logs = items.Single(i => i.Item == BillingItem.Logs);
        Assert.Equal((DailyAggregation.Sum, 1_000_000L, 1_000_000L), (logs.DailyAggregation, logs.PriceUnit, logs.ExperienceDailyQuota));
        Assert.False(items.Single(i => i.Item == BillingItem.Sms).ExperienceAllowed);
        Assert.False(items.Single(i => i.Item == BillingItem.BackupLogs).ExperienceAllowed);
        Assert.True(items.Single(i => i.Item == BillingItem.SyntheticTests).ExperienceChinaOnly);
        Assert.False(items.Single(i => i.Item == BillingItem.Datakit).Enabled);
        Assert.All(items.Where(i => i.Item != BillingItem.Datakit), i => Assert.True(i.Enabled));
    }

    [Fact]
    public async Task Statistics_are_for_the_Owner_and_Administrators_only()
    {
        var workspace = await host.CreateWorkspaceAsync();
        var collector = await host.CollectorAsync(workspace);
        await collector.ReportAsync("a", 1, Record(BillingItem.Logs, 3, Now));
        var request = new GetUsageStatisticsRequest { WorkspaceId = workspace.Id };

        foreach (var allowed in new[] { workspace.Owner, workspace.Administrator })
        {
            var statistics = await allowed.Api.Usage.GetUsageStatisticsAsync(request);
            Assert.Equal(3, statistics.Items.Single(i => i.Item == BillingItem.Logs).Today);
            Assert.Equal(new BillingDay { Year = 2026, Month = 11, Day = 2 }, statistics.Today);
            Assert.Equal(new BillingDay { Year = 2026, Month = 11, Day = 1 }, statistics.Yesterday);
            Assert.Null(statistics.CountedSinceTime);
            // Experience workspaces see only the items they may report.
            Assert.DoesNotContain(statistics.Items, i => i.Item is BillingItem.Sms or BillingItem.BackupLogs or BillingItem.NetworkHosts or BillingItem.Datakit);
        }
        var standard = await RpcAssert.Fails(StatusCode.PermissionDenied, () => workspace.Standard.Api.Usage.GetUsageStatisticsAsync(request), "ROLE_NOT_PERMITTED");
        Assert.Equal("The Standard role may not do this in this workspace: it takes the Owner or Administrator role.", standard.Status.Detail);
        await RpcAssert.Fails(StatusCode.PermissionDenied, () => workspace.ReadOnly.Api.Usage.GetUsageStatisticsAsync(request), "ROLE_NOT_PERMITTED");
        await RpcAssert.NotFound(() => workspace.Outsider.Api.Usage.GetUsageStatisticsAsync(request));
        await RpcAssert.Fails(StatusCode.Unauthenticated, () => host.Api().Usage.GetUsageStatisticsAsync(request), "TOKEN_MISSING");
        await RpcAssert.Fails(StatusCode.PermissionDenied, () => collector.Usage.GetUsageStatisticsAsync(request), "CONSOLE_USER_REQUIRED");
        await RpcAssert.InvalidFields(() => workspace.Owner.Api.Usage.GetUsageStatisticsAsync(new GetUsageStatisticsRequest { WorkspaceId = "nope" }), "workspace_id");
    }

    [Fact]
    public async Task Points_are_for_the_Owner_and_Administrators_only_and_validate_their_range()
    {
        var workspace = await host.CreateWorkspaceAsync();
        var start = Timestamp.FromDateTimeOffset(Now.AddDays(-1));
        var end = Timestamp.FromDateTimeOffset(Now);
        ListUsagePointsRequest Request() => new() { WorkspaceId = workspace.Id, Item = BillingItem.Logs, Granularity = UsagePointGranularity.Hourly, StartTime = start, EndTime = end };

        await workspace.Administrator.Api.Usage.ListUsagePointsAsync(Request());
        await RpcAssert.Denied(() => workspace.Standard.Api.Usage.ListUsagePointsAsync(Request()));
        await RpcAssert.Denied(() => workspace.ReadOnly.Api.Usage.ListUsagePointsAsync(Request()));
        await RpcAssert.NotFound(() => workspace.Outsider.Api.Usage.ListUsagePointsAsync(Request()));
        await RpcAssert.Fails(StatusCode.Unauthenticated, () => host.Api().Usage.ListUsagePointsAsync(Request()), "TOKEN_MISSING");

        var owner = workspace.Owner.Api.Usage;
        await RpcAssert.InvalidFields(() => owner.ListUsagePointsAsync(new ListUsagePointsRequest { WorkspaceId = workspace.Id }), "item", "granularity", "start_time", "end_time");
        await RpcAssert.InvalidFields(() => owner.ListUsagePointsAsync(new ListUsagePointsRequest
        {
            WorkspaceId = workspace.Id, Item = (BillingItem)77, Granularity = UsagePointGranularity.Hourly, StartTime = end, EndTime = start, PageSize = -1,
        }), "item", "end_time", "page_size");
        await RpcAssert.InvalidFields(() => owner.ListUsagePointsAsync(new ListUsagePointsRequest
        {
            WorkspaceId = workspace.Id, Item = BillingItem.Logs, Granularity = UsagePointGranularity.Hourly,
            StartTime = Timestamp.FromDateTimeOffset(Now.AddDays(-32)), EndTime = end,
        }), "end_time");
        await owner.ListUsagePointsAsync(new ListUsagePointsRequest
        {
            WorkspaceId = workspace.Id, Item = BillingItem.Logs, Granularity = UsagePointGranularity.Daily,
            StartTime = Timestamp.FromDateTimeOffset(Now.AddDays(-32)), EndTime = end,
        });
        await RpcAssert.InvalidFields(() => owner.ListUsagePointsAsync(new ListUsagePointsRequest
        {
            WorkspaceId = workspace.Id, Item = BillingItem.Logs, Granularity = UsagePointGranularity.Hourly, StartTime = start, EndTime = end, PageToken = "garbage",
        }), "page_token");
    }

    [Fact]
    public async Task Points_are_paged_oldest_first()
    {
        var workspace = await host.CreateWorkspaceAsync();
        var collector = await host.CollectorAsync(workspace);
        var hour = new DateTimeOffset(2026, 11, 2, 1, 0, 0, TimeSpan.Zero);
        await collector.ReportAsync("a", 1, Record(BillingItem.RumPv, 1, hour.AddHours(-2)), Record(BillingItem.RumPv, 2, hour.AddHours(-1)), Record(BillingItem.RumPv, 3, hour));
        var request = new ListUsagePointsRequest
        {
            WorkspaceId = workspace.Id, Item = BillingItem.RumPv, Granularity = UsagePointGranularity.Hourly,
            StartTime = Timestamp.FromDateTimeOffset(hour.AddHours(-5)), EndTime = Timestamp.FromDateTimeOffset(hour.AddHours(1)), PageSize = 2,
        };
        var first = await workspace.Owner.Api.Usage.ListUsagePointsAsync(request);
        Assert.Equal([1L, 2L], first.Points.Select(p => p.Quantity));
        Assert.NotEmpty(first.NextPageToken);
        request.PageToken = first.NextPageToken;
        var second = await workspace.Owner.Api.Usage.ListUsagePointsAsync(request);
        Assert.Equal([3L], second.Points.Select(p => p.Quantity));
        Assert.Empty(second.NextPageToken);

        // The token is this list's: another item's, range's or workspace's list refuses it.
        var otherItem = request.Clone();
        otherItem.Item = BillingItem.Logs;
        await RpcAssert.InvalidFields(() => workspace.Owner.Api.Usage.ListUsagePointsAsync(otherItem), "page_token");
        var otherRange = request.Clone();
        otherRange.StartTime = Timestamp.FromDateTimeOffset(hour.AddHours(-4));
        await RpcAssert.InvalidFields(() => workspace.Owner.Api.Usage.ListUsagePointsAsync(otherRange), "page_token");
        var otherWorkspace = await host.CreateWorkspaceAsync();
        var elsewhere = request.Clone();
        elsewhere.WorkspaceId = otherWorkspace.Id;
        await RpcAssert.InvalidFields(() => otherWorkspace.Owner.Api.Usage.ListUsagePointsAsync(elsewhere), "page_token");
    }

    [Fact]
    public async Task After_the_upgrade_experience_usage_is_no_longer_shown()
    {
        var workspace = await host.CreateWorkspaceAsync();
        var collector = await host.CollectorAsync(workspace);
        var hour = new DateTimeOffset(2026, 11, 2, 1, 0, 0, TimeSpan.Zero); // 09:00 in Shanghai; the clock is at 09:30
        await collector.ReportAsync("a", 1, Record(BillingItem.Logs, 100, hour.AddMinutes(-50)), Record(BillingItem.Logs, 7, hour.AddMinutes(20)));
        await collector.ReportAsync("a", 2, Record(BillingItem.Logs, 50, hour.AddHours(-2)));

        // Upgraded now, at 09:30: the 09:20 and 09:29 records stay with the experience period, even inside the hour of the upgrade.
        await host.UpgradeAsync(workspace);
        var upgradedAt = Now;
        await collector.ReportAsync("a", 3, Record(BillingItem.Logs, 3, upgradedAt), Record(BillingItem.Logs, 9, hour.AddMinutes(29)));
        var response = await workspace.Owner.Api.Usage.GetUsageStatisticsAsync(new GetUsageStatisticsRequest { WorkspaceId = workspace.Id });
        Assert.Equal(upgradedAt, response.CountedSinceTime.ToDateTimeOffset());
        var logs = response.Items.Single(i => i.Item == BillingItem.Logs);
        Assert.Equal((3L, 0L, 3L, false), (logs.Today, logs.Yesterday, logs.MonthToDate, logs.HasQuota));
        Assert.Contains(response.Items, i => i.Item == BillingItem.Sms);
        var points = await workspace.PointsAsync(BillingItem.Logs, UsagePointGranularity.Hourly, Now.AddDays(-2), Now);
        Assert.Equal([3L], points.Select(p => p.Quantity));
        var days = await workspace.PointsAsync(BillingItem.Logs, UsagePointGranularity.Daily, Now.AddDays(-2), Now);
        Assert.Equal([3L], days.Select(p => p.Quantity));
    }
}
