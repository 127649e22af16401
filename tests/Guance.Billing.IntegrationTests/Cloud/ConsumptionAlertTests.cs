using Grpc.Core;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.IntegrationTests.Usage;
using Guance.Billing.V1;

namespace Guance.Billing.IntegrationTests.Cloud;

/// <summary>
/// High-consumption alerts (docs/domain.md §2, §5): thresholds per item set by the Owner or an
/// Administrator; a daily bill line above one notifies the Owner and the Administrators, once per
/// item and day, and never Standard or Read-only members.
/// </summary>
public sealed class ConsumptionAlertTests
{
    private static SetConsumptionAlertRequest Alert(string workspaceId, BillingItem item, decimal threshold) =>
        new() { WorkspaceId = workspaceId, Item = item, Threshold = BillingCenterScenario.Yuan(threshold) };

    [Fact]
    public async Task An_item_above_its_threshold_notifies_the_owner_and_administrators_once_per_item_and_day()
    {
        using var host = new BillingHost();
        var workspace = await host.CreateWorkspaceAsync("cn1");
        var account = await host.UpgradeAsync(workspace);
        await host.RechargeAsync(account.Id, 1000m);
        await workspace.Owner.Api.ConsumptionAlerts.SetConsumptionAlertAsync(Alert(workspace.Id, BillingItem.Logs, 10m));
        await workspace.Administrator.Api.ConsumptionAlerts.SetConsumptionAlertAsync(Alert(workspace.Id, BillingItem.Sms, 1m));
        await workspace.Owner.Api.ConsumptionAlerts.SetConsumptionAlertAsync(Alert(workspace.Id, BillingItem.TimeSeries, 7m));
        // Setting an item again changes its threshold (one alert per item).
        var changed = (await workspace.Owner.Api.ConsumptionAlerts.SetConsumptionAlertAsync(Alert(workspace.Id, BillingItem.Sms, 4.99m))).Alert;
        Assert.Equal((499L, workspace.Owner.Id), (changed.Threshold.Cents(), changed.UpdatedByUserId));

        var alerts = (await workspace.Administrator.Api.ConsumptionAlerts.ListConsumptionAlertsAsync(new ListConsumptionAlertsRequest { WorkspaceId = workspace.Id })).Alerts;
        Assert.Equal([(BillingItem.TimeSeries, 700L), (BillingItem.Logs, 1000L), (BillingItem.Sms, 499L)], alerts.Select(a => (a.Item, a.Threshold.Cents())));

        var collector = await host.CollectorAsync(workspace);
        host.Clock.Advance(TimeSpan.FromHours(1));
        for (var day = 1; day <= 2; day++)
        {
            var now = host.Clock.GetUtcNow();
            // Time series 7.00 (not above 7.00), logs 15.00 (above 10.00), SMS 5.00 (above 4.99): see CloudKit.AllItems.
            await collector.ReportAsync("agent", day,
                UsageTestKit.Record(BillingItem.TimeSeries, 10_000, now), UsageTestKit.Record(BillingItem.Logs, 10_000_000, now), UsageTestKit.Record(BillingItem.Sms, 50, now));
            var closed = await host.EndDayAsync("cn1");
            await host.CloseDayAsync("cn1", closed); // a second close of the day notifies nobody again

            var notices = await host.NotificationsAsync(account.Id, NotificationKind.ConsumptionAlert);
            var ofDay = notices.Where(n => n.Subject.Contains(closed.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture))).ToList();
            // Logs and SMS, each to the Owner and the Administrator: 4 a day.
            Assert.Equal(4 * day, notices.Count);
            Assert.Equal(4, ofDay.Count);
            Assert.Equal(new[] { workspace.Owner.Email, workspace.Owner.Email, workspace.Administrator.Email, workspace.Administrator.Email }.Order(),
                ofDay.Select(n => n.Recipient).Order());
            Assert.DoesNotContain(notices, n => n.Recipient == workspace.Standard.Email || n.Recipient == workspace.ReadOnly.Email);
            Assert.Equal(2, ofDay.Count(n => n.Body.Contains("15.00 CNY") && n.Body.Contains("10.00 CNY")));
            Assert.Equal(2, ofDay.Count(n => n.Body.Contains("5.00 CNY") && n.Body.Contains("4.99 CNY")));
            Assert.All(ofDay, n => Assert.Equal(workspace.Id, n.Reference));
        }
    }

    [Fact]
    public async Task Setting_and_listing_alerts_is_for_the_owner_and_administrators_with_valid_thresholds()
    {
        using var host = new BillingHost();
        var workspace = await host.CreateWorkspaceAsync("cn1");
        var owner = workspace.Owner.Api.ConsumptionAlerts;

        await RpcAssert.InvalidFields(() => owner.SetConsumptionAlertAsync(new SetConsumptionAlertRequest { WorkspaceId = workspace.Id }), "item", "threshold");
        await RpcAssert.InvalidFields(() => owner.SetConsumptionAlertAsync(Alert(workspace.Id, (BillingItem)99, 0m)), "item", "threshold");
        await RpcAssert.InvalidFields(() => owner.SetConsumptionAlertAsync(new SetConsumptionAlertRequest
        {
            WorkspaceId = workspace.Id, Item = BillingItem.Logs, Threshold = new Money { CurrencyCode = "USD", Units = 1, Nanos = 1 },
        }), "threshold.currency_code", "threshold.nanos");
        await RpcAssert.InvalidFields(() => owner.SetConsumptionAlertAsync(Alert(workspace.Id, BillingItem.Logs, -1m)), "threshold");
        Assert.Empty((await owner.ListConsumptionAlertsAsync(new ListConsumptionAlertsRequest { WorkspaceId = workspace.Id })).Alerts);

        foreach (var user in new[] { workspace.Owner, workspace.Administrator })
        {
            await user.Api.ConsumptionAlerts.SetConsumptionAlertAsync(Alert(workspace.Id, BillingItem.Logs, 1m));
            Assert.Single((await user.Api.ConsumptionAlerts.ListConsumptionAlertsAsync(new ListConsumptionAlertsRequest { WorkspaceId = workspace.Id })).Alerts);
        }
        foreach (var user in new[] { workspace.Standard, workspace.ReadOnly })
        {
            await RpcAssert.Denied(() => user.Api.ConsumptionAlerts.SetConsumptionAlertAsync(Alert(workspace.Id, BillingItem.Logs, 1m)));
            await RpcAssert.Denied(() => user.Api.ConsumptionAlerts.ListConsumptionAlertsAsync(new ListConsumptionAlertsRequest { WorkspaceId = workspace.Id }));
        }
        await RpcAssert.NotFound(() => workspace.Outsider.Api.ConsumptionAlerts.SetConsumptionAlertAsync(Alert(workspace.Id, BillingItem.Logs, 1m)));
        await RpcAssert.NotFound(() => workspace.Outsider.Api.ConsumptionAlerts.ListConsumptionAlertsAsync(new ListConsumptionAlertsRequest { WorkspaceId = workspace.Id }));
        await RpcAssert.Fails(StatusCode.Unauthenticated, () => host.Api().ConsumptionAlerts.SetConsumptionAlertAsync(Alert(workspace.Id, BillingItem.Logs, 1m)), "TOKEN_MISSING");
        await RpcAssert.Fails(StatusCode.Unauthenticated, () => host.Api().ConsumptionAlerts.ListConsumptionAlertsAsync(new ListConsumptionAlertsRequest { WorkspaceId = workspace.Id }), "TOKEN_MISSING");
        // The Standard member's refusal changed nothing: still the Administrator's 1.00.
        var alert = Assert.Single((await owner.ListConsumptionAlertsAsync(new ListConsumptionAlertsRequest { WorkspaceId = workspace.Id })).Alerts);
        Assert.Equal((100L, workspace.Administrator.Id), (alert.Threshold.Cents(), alert.UpdatedByUserId));
    }

    private static RemoveConsumptionAlertRequest Removal(string workspaceId, BillingItem item) => new() { WorkspaceId = workspaceId, Item = item };

    [Fact]
    public async Task A_removed_threshold_no_longer_notifies_and_removing_it_again_changes_nothing()
    {
        using var host = new BillingHost();
        var workspace = await host.CreateWorkspaceAsync("cn1");
        var account = await host.UpgradeAsync(workspace);
        await host.RechargeAsync(account.Id, 1000m);
        var alerts = workspace.Owner.Api.ConsumptionAlerts;
        await alerts.SetConsumptionAlertAsync(Alert(workspace.Id, BillingItem.Logs, 10m));
        await alerts.SetConsumptionAlertAsync(Alert(workspace.Id, BillingItem.Sms, 1m));

        Assert.True((await workspace.Administrator.Api.ConsumptionAlerts.RemoveConsumptionAlertAsync(Removal(workspace.Id, BillingItem.Logs))).Removed);
        Assert.False((await alerts.RemoveConsumptionAlertAsync(Removal(workspace.Id, BillingItem.Logs))).Removed);
        Assert.False((await alerts.RemoveConsumptionAlertAsync(Removal(workspace.Id, BillingItem.ApmTrace))).Removed);
        var left = (await alerts.ListConsumptionAlertsAsync(new ListConsumptionAlertsRequest { WorkspaceId = workspace.Id })).Alerts;
        Assert.Equal([(BillingItem.Sms, 100L)], left.Select(a => (a.Item, a.Threshold.Cents())));

        // Logs 15.00 would have passed the removed 10.00: only SMS (5.00 above 1.00) notifies, Owner and Administrator.
        var collector = await host.CollectorAsync(workspace);
        host.Clock.Advance(TimeSpan.FromHours(1));
        var now = host.Clock.GetUtcNow();
        await collector.ReportAsync("agent", 1, UsageTestKit.Record(BillingItem.Logs, 10_000_000, now), UsageTestKit.Record(BillingItem.Sms, 50, now));
        await host.EndDayAsync("cn1");
        var notices = await host.NotificationsAsync(account.Id, NotificationKind.ConsumptionAlert);
        Assert.Equal(2, notices.Count);
        Assert.All(notices, n => Assert.Contains("1.00 CNY", n.Body, StringComparison.Ordinal));
        Assert.DoesNotContain(notices, n => n.Body.Contains("15.00 CNY", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Removing_an_alert_is_for_the_owner_and_administrators_with_a_valid_item()
    {
        using var host = new BillingHost();
        var workspace = await host.CreateWorkspaceAsync("cn1");
        await workspace.Owner.Api.ConsumptionAlerts.SetConsumptionAlertAsync(Alert(workspace.Id, BillingItem.Logs, 1m));
        var owner = workspace.Owner.Api.ConsumptionAlerts;

        await RpcAssert.InvalidFields(() => owner.RemoveConsumptionAlertAsync(new RemoveConsumptionAlertRequest { WorkspaceId = workspace.Id }), "item");
        await RpcAssert.InvalidFields(() => owner.RemoveConsumptionAlertAsync(Removal(workspace.Id, (BillingItem)99)), "item");
        await RpcAssert.InvalidFields(() => owner.RemoveConsumptionAlertAsync(new RemoveConsumptionAlertRequest { WorkspaceId = "x" }), "workspace_id", "item");
        foreach (var user in new[] { workspace.Standard, workspace.ReadOnly })
        {
            await RpcAssert.Denied(() => user.Api.ConsumptionAlerts.RemoveConsumptionAlertAsync(Removal(workspace.Id, BillingItem.Logs)));
        }
        await RpcAssert.NotFound(() => workspace.Outsider.Api.ConsumptionAlerts.RemoveConsumptionAlertAsync(Removal(workspace.Id, BillingItem.Logs)));
        await RpcAssert.Fails(StatusCode.Unauthenticated, () => host.Api().ConsumptionAlerts.RemoveConsumptionAlertAsync(Removal(workspace.Id, BillingItem.Logs)), "TOKEN_MISSING");
        // None of the refusals removed it.
        Assert.Single((await owner.ListConsumptionAlertsAsync(new ListConsumptionAlertsRequest { WorkspaceId = workspace.Id })).Alerts);
        Assert.True((await host.Operator.ConsumptionAlerts.RemoveConsumptionAlertAsync(Removal(workspace.Id, BillingItem.Logs))).Removed);
        Assert.Empty((await owner.ListConsumptionAlertsAsync(new ListConsumptionAlertsRequest { WorkspaceId = workspace.Id })).Alerts);
    }
}
