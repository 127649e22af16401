using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.V1;

namespace Guance.Billing.IntegrationTests.Workspaces;

/// <summary>
/// UpdateRetention: commercial plan, Owner only; per data type, the first change of a site-day
/// takes effect at once, later ones at the start of the next site-day (the last one wins), and the
/// response says when. The clock of this class only moves forward, so each test works from "now".
/// </summary>
public sealed class RetentionTests(BillingHost host) : IClassFixture<BillingHost>
{
    private async Task<TestWorkspace> CommercialWorkspaceAsync(string site = "cn1")
    {
        var ws = await host.CreateWorkspaceAsync(site);
        await host.UpgradeAsync(ws);
        return ws;
    }

    private static UpdateRetentionRequest Change(TestWorkspace ws, DataType type, int days) =>
        new() { WorkspaceId = ws.Id, DataType = type, Days = days };

    private async Task<Retention> RetentionOfAsync(TestWorkspace ws, DataType type) =>
        (await host.WorkspaceAsync(ws.Id)).Retentions.Single(r => r.DataType == type);

    /// <summary>00:00 of the next local day in the zone, computed here independently of the host's code.</summary>
    private static DateTimeOffset NextLocalMidnight(DateTimeOffset now, string timeZone)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(timeZone);
        var local = TimeZoneInfo.ConvertTime(now, zone);
        var midnight = DateTime.SpecifyKind(local.Date.AddDays(1), DateTimeKind.Unspecified);
        return new DateTimeOffset(midnight, zone.GetUtcOffset(midnight));
    }

    [Fact]
    public async Task The_experience_plan_keeps_its_fixed_retention()
    {
        var ws = await host.CreateWorkspaceAsync();
        var before = await host.SnapshotAsync(ws.Id);

        var failure = await RpcAssert.Precondition(() => ws.Owner.Api.Workspaces.UpdateRetentionAsync(Change(ws, DataType.Logs, 30)), "RETENTION_FIXED_ON_EXPERIENCE");

        Assert.Equal($"workspaces/{ws.Id}", Assert.Single(failure.Violations).Subject);
        Assert.Equal(before, await host.SnapshotAsync(ws.Id));
    }

    [Fact]
    public async Task The_first_change_of_a_site_day_takes_effect_at_once()
    {
        var ws = await CommercialWorkspaceAsync();
        var now = host.Clock.GetUtcNow();

        var response = await ws.Owner.Api.Workspaces.UpdateRetentionAsync(Change(ws, DataType.Logs, 30));

        Assert.True(response.Immediate);
        Assert.Equal(now, response.EffectiveTime.ToDateTimeOffset());
        Assert.Equal((DataType.Logs, 30, 0), (response.Retention.DataType, response.Retention.Days, response.Retention.PendingDays));
        Assert.Null(response.Retention.PendingEffectiveTime);
        Assert.Equal([3, 7, 14, 30, 60], response.Retention.AllowedDays);
        Assert.Equal(response.Retention, await RetentionOfAsync(ws, DataType.Logs));
    }

    [Theory]
    [InlineData("cn1", "Asia/Shanghai")]
    [InlineData("us1", "America/Los_Angeles")]
    [InlineData("eu1", "Europe/Berlin")]
    public async Task Later_changes_of_the_same_site_day_wait_for_the_next_one_and_the_last_wins(string site, string timeZone)
    {
        var ws = await CommercialWorkspaceAsync(site);
        var api = ws.Owner.Api.Workspaces;
        await api.UpdateRetentionAsync(Change(ws, DataType.Apm, 14));
        host.Clock.Advance(TimeSpan.FromSeconds(1));
        var nextDay = NextLocalMidnight(host.Clock.GetUtcNow(), timeZone);

        var second = await api.UpdateRetentionAsync(Change(ws, DataType.Apm, 30));
        var third = await api.UpdateRetentionAsync(Change(ws, DataType.Apm, 3));

        foreach (var later in new[] { second, third })
        {
            Assert.False(later.Immediate);
            Assert.Equal(nextDay, later.EffectiveTime.ToDateTimeOffset());
            Assert.Equal(14, later.Retention.Days);
            Assert.Equal(nextDay, later.Retention.PendingEffectiveTime.ToDateTimeOffset());
        }
        Assert.Equal(30, second.Retention.PendingDays);
        Assert.Equal(3, third.Retention.PendingDays);
        Assert.Equal(third.Retention, await RetentionOfAsync(ws, DataType.Apm));

        // Just before the site's midnight the old value holds; from midnight on the last change does.
        host.Clock.Advance(nextDay - host.Clock.GetUtcNow() - TimeSpan.FromTicks(10));
        Assert.Equal((14, 3), ((await RetentionOfAsync(ws, DataType.Apm)).Days, (await RetentionOfAsync(ws, DataType.Apm)).PendingDays));
        host.Clock.Advance(TimeSpan.FromTicks(10));
        var inForce = await RetentionOfAsync(ws, DataType.Apm);
        Assert.Equal((3, 0), (inForce.Days, inForce.PendingDays));
        Assert.Null(inForce.PendingEffectiveTime);

        // A new site-day: its first change is immediate again.
        var nextFirst = await api.UpdateRetentionAsync(Change(ws, DataType.Apm, 60));
        Assert.True(nextFirst.Immediate);
        Assert.Equal(60, nextFirst.Retention.Days);
    }

    [Fact]
    public async Task The_site_day_ends_at_the_sites_midnight_not_at_UTC_midnight()
    {
        var ws = await CommercialWorkspaceAsync("cn1");
        // 23:59 in Shanghai is 15:59 UTC: the first change of that Shanghai day...
        var lateEvening = NextLocalMidnight(host.Clock.GetUtcNow(), "Asia/Shanghai").AddMinutes(-1);
        if (lateEvening < host.Clock.GetUtcNow())
        {
            lateEvening = lateEvening.AddDays(1);
        }
        host.Clock.Advance(lateEvening - host.Clock.GetUtcNow());
        Assert.True((await ws.Owner.Api.Workspaces.UpdateRetentionAsync(Change(ws, DataType.Rum, 14))).Immediate);
        // ...and two minutes later (still the same UTC day) a new Shanghai day has begun.
        host.Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(lateEvening.UtcDateTime.Date, host.Clock.GetUtcNow().UtcDateTime.Date);
        var next = await ws.Owner.Api.Workspaces.UpdateRetentionAsync(Change(ws, DataType.Rum, 30));
        Assert.True(next.Immediate);
        Assert.Equal(30, next.Retention.Days);
    }

    [Fact]
    public async Task Each_data_type_has_its_own_first_change_of_the_day()
    {
        var ws = await CommercialWorkspaceAsync();
        var api = ws.Owner.Api.Workspaces;

        Assert.True((await api.UpdateRetentionAsync(Change(ws, DataType.Logs, 60))).Immediate);
        Assert.True((await api.UpdateRetentionAsync(Change(ws, DataType.Metrics, 360))).Immediate);
        Assert.False((await api.UpdateRetentionAsync(Change(ws, DataType.Logs, 3))).Immediate);

        var workspace = await host.WorkspaceAsync(ws.Id);
        Assert.Equal(
            [(DataType.Metrics, 360, 0), (DataType.Logs, 60, 3), (DataType.Apm, 7, 0), (DataType.Rum, 7, 0)],
            workspace.Retentions.Select(r => (r.DataType, r.Days, r.PendingDays)));
    }

    [Theory]
    [InlineData(DataType.Unspecified, 7, new[] { "data_type" })]
    [InlineData((DataType)77, 7, new[] { "data_type" })]
    [InlineData(DataType.Logs, 0, new[] { "days" })]
    [InlineData(DataType.Logs, 5, new[] { "days" })]
    [InlineData(DataType.Logs, 180, new[] { "days" })]
    [InlineData(DataType.Metrics, 60, new[] { "days" })]
    [InlineData(DataType.Apm, -7, new[] { "days" })]
    public async Task UpdateRetention_names_each_invalid_field_and_changes_nothing(DataType type, int days, string[] fields)
    {
        var ws = await CommercialWorkspaceAsync();
        var before = await host.SnapshotAsync(ws.Id);

        await RpcAssert.InvalidFields(() => ws.Owner.Api.Workspaces.UpdateRetentionAsync(Change(ws, type, days)), fields);
        await RpcAssert.InvalidFields(() => ws.Owner.Api.Workspaces.UpdateRetentionAsync(new UpdateRetentionRequest { DataType = type, Days = days }), ["workspace_id", .. fields]);

        Assert.Equal(before, await host.SnapshotAsync(ws.Id));
        // A refused change does not use up the day's immediate change.
        Assert.True((await ws.Owner.Api.Workspaces.UpdateRetentionAsync(Change(ws, DataType.Rum, 30))).Immediate);
    }

    [Fact]
    public async Task Only_the_Owner_changes_retention()
    {
        var ws = await CommercialWorkspaceAsync();
        foreach (var member in new[] { ws.Administrator, ws.Standard, ws.ReadOnly })
        {
            await RpcAssert.Fails(Grpc.Core.StatusCode.PermissionDenied,
                () => member.Api.Workspaces.UpdateRetentionAsync(Change(ws, DataType.Logs, 30)), "ROLE_NOT_PERMITTED");
        }
        await RpcAssert.NotFound(() => ws.Outsider.Api.Workspaces.UpdateRetentionAsync(Change(ws, DataType.Logs, 30)));
        // None of them used up the Owner's immediate change.
        Assert.True((await ws.Owner.Api.Workspaces.UpdateRetentionAsync(Change(ws, DataType.Logs, 30))).Immediate);
    }
}
