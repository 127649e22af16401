using System.CommandLine;
using Google.Protobuf.WellKnownTypes;
using Guance.Billing.Cli.Infrastructure;
using Guance.Billing.V1;

namespace Guance.Billing.Cli.Commands.Usage;

/// <summary>usage points: one item's hourly or daily points over a time range, as a text chart.</summary>
public static class UsagePointsCommand
{
    public static Command Build()
    {
        var workspace = UsageCommands.Workspace();
        var item = UsageCommands.Item();
        var from = TimeArgument.Option("--from", "Start (inclusive): 2026-11-25 (00:00 site time), an instant, or how long ago (24h, 7d). Default: 24h ago, or 30d ago with --daily");
        var to = TimeArgument.Option("--to", "End (exclusive): a date, an instant, or how long ago. Default: now");
        var daily = new Option<bool>("--daily") { Description = "One point per billing day (the day's max or sum) instead of one per hour" };
        var command = new Command("points", "Chart one item's usage of a workspace, a bar per hour (or per day), in site time (Owner or Administrator)")
        {
            workspace, item, from, to, daily,
        };
        return command.Handle(async (context, cancellationToken) =>
        {
            var workspaceId = context.Get(workspace)!;
            var billingItem = CliEnum.Parse<BillingItem>(context.Get(item)!);
            var isDaily = context.Get(daily);
            var (zone, zoneName) = await SiteZoneAsync(context, workspaceId, cancellationToken);
            var now = DateTimeOffset.UtcNow;
            var start = context.Get(from) is { } fromText
                ? Align(fromText, now, zone, isDaily)
                : Align(new TimeArgument(null, null, isDaily ? TimeSpan.FromDays(30) : TimeSpan.FromHours(24)), now, zone, isDaily);
            var end = context.Get(to)?.Resolve(now, zone, ahead: false) ?? now;

            var request = new ListUsagePointsRequest
            {
                WorkspaceId = workspaceId,
                Item = billingItem,
                Granularity = isDaily ? UsagePointGranularity.Daily : UsagePointGranularity.Hourly,
                StartTime = Timestamp.FromDateTimeOffset(start),
                EndTime = Timestamp.FromDateTimeOffset(end),
                PageSize = 1000,
            };
            var response = await context.Client.Usage.ListUsagePointsAsync(request, cancellationToken: cancellationToken);
            while (response.NextPageToken.Length > 0)
            {
                request.PageToken = response.NextPageToken;
                var page = await context.Client.Usage.ListUsagePointsAsync(request, cancellationToken: cancellationToken);
                response.Points.AddRange(page.Points);
                response.NextPageToken = page.NextPageToken;
            }
            context.Output.Result(response, () =>
            {
                context.Output.Line($"{CliEnum.Name(billingItem)} of {workspaceId}, {(isDaily ? "daily" : "hourly")}, {zoneName}: " +
                                    $"{Label(start, zone, isDaily)} to {Label(end, zone, isDaily)}");
                foreach (var line in UsageChart.Render(response.Points, zone, isDaily, context.Output.Console.Profile.Capabilities.Unicode))
                {
                    context.Output.Line(line);
                }
            });
            return ExitCodes.Ok;
        });
    }

    /// <summary>A relative start is floored to its hour (or site day), so that the first bar is whole.</summary>
    private static DateTimeOffset Align(TimeArgument argument, DateTimeOffset now, TimeZoneInfo zone, bool daily)
    {
        var instant = argument.Resolve(now, zone, ahead: false);
        if (argument.Duration is null)
        {
            return instant;
        }
        var local = TimeZoneInfo.ConvertTime(instant, zone);
        var floored = daily
            ? new DateTime(local.Year, local.Month, local.Day, 0, 0, 0, DateTimeKind.Unspecified)
            : new DateTime(local.Year, local.Month, local.Day, local.Hour, 0, 0, DateTimeKind.Unspecified);
        return new DateTimeOffset(floored, zone.GetUtcOffset(floored));
    }

    private static string Label(DateTimeOffset time, TimeZoneInfo zone, bool daily) =>
        TimeZoneInfo.ConvertTime(time, zone).ToString(daily ? "yyyy-MM-dd" : "yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The time zone of the workspace's site (its billing day); UTC when this machine does not know it.</summary>
    private static async Task<(TimeZoneInfo Zone, string Name)> SiteZoneAsync(CliContext context, string workspaceId, CancellationToken cancellationToken)
    {
        var workspace = (await context.Client.Workspaces.GetWorkspaceAsync(new GetWorkspaceRequest { WorkspaceId = workspaceId }, cancellationToken: cancellationToken)).Workspace;
        var sites = await context.Client.Workspaces.ListSitesAsync(new ListSitesRequest(), cancellationToken: cancellationToken);
        var timeZone = sites.Sites.FirstOrDefault(s => s.Code == workspace.SiteCode)?.TimeZone;
        if (timeZone is not null && TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out var zone))
        {
            return (zone, $"site {workspace.SiteCode} ({timeZone})");
        }
        context.Output.Note($"The time zone of site {workspace.SiteCode} ({timeZone}) is unknown here: times are UTC.");
        return (TimeZoneInfo.Utc, "UTC");
    }
}
