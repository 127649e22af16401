using Bunit;
using Guance.Billing.Console.Pages.Billing;
using Guance.Billing.V1;

namespace Guance.Billing.BrowserTests.Components;

/// <summary>High-consumption thresholds (docs/domain.md §5): exact amounts, errors next to the field.</summary>
public sealed class ConsumptionAlertsPageTests : ConsoleContext
{
    public ConsumptionAlertsPageTests()
    {
        Host.On<ListConsumptionAlertsRequest, ListConsumptionAlertsResponse>("ConsumptionAlertService/ListConsumptionAlerts", _ => new ListConsumptionAlertsResponse());
    }

    [Fact]
    public async Task An_amount_that_does_not_parse_is_explained_next_to_the_field_and_never_sent()
    {
        await SignInAsync();
        Workspace(WorkspaceRole.Administrator);
        var page = Render<ConsumptionAlertsPage>(p => p.Add(x => x.WorkspaceId, WorkspaceId));

        page.WaitForElement("[data-testid=threshold] input, input[data-testid=threshold]").Change("12.345");
        page.Find("form").Submit();

        Assert.Contains("at most 2 decimals", page.WaitForElement(".mud-input-helper-text.mud-input-error").TextContent);
        Assert.DoesNotContain(Host.Calls, c => c.Method == "ConsumptionAlertService/SetConsumptionAlert");
    }

    [Fact]
    public async Task The_hosts_violation_of_a_part_of_the_threshold_is_shown_next_to_the_threshold()
    {
        await SignInAsync();
        Workspace(WorkspaceRole.Owner);
        Host.On<SetConsumptionAlertRequest, SetConsumptionAlertResponse>("ConsumptionAlertService/SetConsumptionAlert",
            _ => throw FakeHost.BadRequest(("threshold.units", "must be positive")));
        var page = Render<ConsumptionAlertsPage>(p => p.Add(x => x.WorkspaceId, WorkspaceId));

        page.WaitForElement("[data-testid=threshold] input, input[data-testid=threshold]").Change("0");
        page.Find("form").Submit();

        Assert.Contains("must be positive", page.WaitForElement(".mud-input-helper-text.mud-input-error").TextContent);
    }

    [Fact]
    public async Task A_threshold_is_sent_as_exact_money_and_the_list_is_reloaded()
    {
        await SignInAsync();
        Workspace(WorkspaceRole.Owner);
        Host.On<SetConsumptionAlertRequest, SetConsumptionAlertResponse>("ConsumptionAlertService/SetConsumptionAlert", r => new SetConsumptionAlertResponse
        {
            Alert = new ConsumptionAlert { WorkspaceId = r.WorkspaceId, Item = r.Item, Threshold = r.Threshold },
        });
        var page = Render<ConsumptionAlertsPage>(p => p.Add(x => x.WorkspaceId, WorkspaceId));

        page.WaitForElement("[data-testid=threshold] input, input[data-testid=threshold]").Change("12.34");
        page.Find("form").Submit();

        page.WaitForAssertion(() => Assert.Equal(2, Host.Calls.Count(c => c.Method == "ConsumptionAlertService/ListConsumptionAlerts")));
        var sent = Host.CallsOf<SetConsumptionAlertRequest>("ConsumptionAlertService/SetConsumptionAlert").Single();
        Assert.Equal((BillingItem.TimeSeries, "CNY", 12L, 340_000_000), (sent.Item, sent.Threshold.CurrencyCode, sent.Threshold.Units, sent.Threshold.Nanos));
    }

    [Fact]
    public async Task Remove_asks_first_then_removes_the_items_threshold_and_the_list_is_reloaded()
    {
        await SignInAsync();
        Workspace(WorkspaceRole.Administrator);
        var alerts = new List<ConsumptionAlert> { new() { WorkspaceId = WorkspaceId, Item = BillingItem.Logs, Threshold = Guance.Billing.Client.MoneyAmounts.FromDecimal(10m) } };
        Host.On<ListConsumptionAlertsRequest, ListConsumptionAlertsResponse>("ConsumptionAlertService/ListConsumptionAlerts", _ => new ListConsumptionAlertsResponse { Alerts = { alerts } })
            .On<RemoveConsumptionAlertRequest, RemoveConsumptionAlertResponse>("ConsumptionAlertService/RemoveConsumptionAlert", r =>
            {
                alerts.RemoveAll(a => a.Item == r.Item);
                return new RemoveConsumptionAlertResponse { Removed = true };
            });
        var dialogs = Render<MudBlazor.MudDialogProvider>();
        var page = Render<ConsumptionAlertsPage>(p => p.Add(x => x.WorkspaceId, WorkspaceId));

        page.WaitForElement("[data-testid=remove-alert]").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("Remove the threshold?", dialogs.Markup, StringComparison.Ordinal));
        Assert.Empty(Host.CallsOf<RemoveConsumptionAlertRequest>("ConsumptionAlertService/RemoveConsumptionAlert"));
        dialogs.FindAll("button").Single(b => b.TextContent.Contains("Remove it", StringComparison.Ordinal)).Click();

        page.WaitForAssertion(() => Assert.Contains("No threshold set.", page.Find("[data-testid=alerts]").TextContent, StringComparison.Ordinal));
        var removed = Host.CallsOf<RemoveConsumptionAlertRequest>("ConsumptionAlertService/RemoveConsumptionAlert").Single();
        Assert.Equal((WorkspaceId, BillingItem.Logs), (removed.WorkspaceId, removed.Item));
    }

    [Fact]
    public async Task Keeping_the_threshold_in_the_dialog_removes_nothing()
    {
        await SignInAsync();
        Workspace(WorkspaceRole.Owner);
        Host.On<ListConsumptionAlertsRequest, ListConsumptionAlertsResponse>("ConsumptionAlertService/ListConsumptionAlerts", _ => new ListConsumptionAlertsResponse
        {
            Alerts = { new ConsumptionAlert { WorkspaceId = WorkspaceId, Item = BillingItem.Logs, Threshold = Guance.Billing.Client.MoneyAmounts.FromDecimal(10m) } },
        });
        var dialogs = Render<MudBlazor.MudDialogProvider>();
        var page = Render<ConsumptionAlertsPage>(p => p.Add(x => x.WorkspaceId, WorkspaceId));

        page.WaitForElement("[data-testid=remove-alert]").Click();
        dialogs.WaitForAssertion(() => dialogs.FindAll("button").Single(b => b.TextContent.Contains("Keep it", StringComparison.Ordinal)).Click());

        dialogs.WaitForAssertion(() => Assert.DoesNotContain("Remove the threshold?", dialogs.Markup, StringComparison.Ordinal));
        Assert.Empty(Host.CallsOf<RemoveConsumptionAlertRequest>("ConsumptionAlertService/RemoveConsumptionAlert"));
        Assert.Contains("CNY\u00A010.00", page.Find("[data-testid=alerts]").TextContent, StringComparison.Ordinal);
        PhoneCards.AssertEveryCellNamed(page, "alerts");
    }
}
