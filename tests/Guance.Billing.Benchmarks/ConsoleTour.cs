using System.Text.Json;
using Microsoft.Playwright;

namespace Guance.Billing.Benchmarks;

/// <summary>
/// The console's data pages visited in one signed-in tab (the workspace's Billing module, then the
/// billing center): each step navigates inside the app (<c>Blazor.navigateTo</c>, as a menu click does)
/// and waits until the page shows its data. After each step the gRPC-Web calls that completed are taken
/// from the browser's Resource Timing (fetches to /guance.billing.v1.*, <c>responseEnd - startTime</c>:
/// the call as the page waits for it, body read) and added to <see cref="Calls"/> by RPC name.
/// </summary>
internal sealed class ConsoleTour(IPage page, ConsoleSeed seed)
{
    private const string Harvest = """
        () => {
            const marker = '/guance.billing.v1.';
            const calls = performance.getEntriesByType('resource')
                .filter(e => e.name.includes(marker))
                .map(e => [e.name.substring(e.name.indexOf(marker) + marker.length), e.responseEnd - e.startTime]);
            performance.clearResourceTimings();
            return calls;
        }
        """;

    /// <summary>Call durations (ms) per RPC, for the phase under way; the benchmark swaps it between phases.</summary>
    public Dictionary<string, List<double>> Calls { get; set; } = [];

    /// <summary>The steps, named as the pages the README lists.</summary>
    public IReadOnlyList<(string Page, Func<Task> Step)> Steps()
    {
        var workspace = $"/workspaces/{seed.WorkspaceId}/billing";
        var steps = new List<(string, Func<Task>)>
        {
            ("Billing overview", () => OpenAsync(workspace, "[data-testid=account-name]")),
            ("Usage statistics", () => OpenAsync(workspace + "/usage", "[data-testid=usage-statistics] tr[data-item]")),
            ("Usage analysis, hourly", () => OpenAsync(workspace + "/analysis", "[data-testid=usage-chart]:has-text('per hour')")),
            ("Usage analysis, daily", DailyChartAsync),
            ("Bill details", () => OpenAsync(workspace + "/bills", "[data-testid=daily-bills] tbody tr")),
            ("A daily bill (no call: in the list)", DailyBillAsync),
            ("Wallet", () => OpenAsync("/billing-center/wallet", "[data-testid=ordinary-vouchers]")),
            ("Income and expenditure", () => OpenAsync("/billing-center/transactions", "[data-testid=transactions] tbody tr")),
            ("Monthly bills", () => OpenAsync("/billing-center/monthly-bills", "[data-testid=monthly-bill-link], [data-testid=no-monthly-bills]")),
        };
        if (seed.MonthlyBillId is { } bill)
        {
            steps.Add(("A monthly bill", () => OpenAsync($"/billing-center/monthly-bills/{bill}", "[data-testid=bill-total]")));
        }
        steps.Add(("Invoices", () => OpenAsync("/billing-center/invoices", "[data-testid=invoices]")));
        steps.Add(("Tickets", () => OpenAsync("/billing-center/tickets", "[data-testid=ticket-link]")));
        return steps;
    }

    /// <summary>Signs in to the console and to the billing center in the tab (two sessions side by side, as a person has them).</summary>
    public async Task SignInAsync()
    {
        await page.GotoAsync("signin");
        await ConsoleBrowser.Input(page, "email").FillAsync(seed.Email);
        await ConsoleBrowser.Input(page, "password").FillAsync(ConsoleSeed.Password);
        await page.Locator("[data-testid=sign-in]").ClickAsync();
        await page.Locator("[data-testid=sign-out]").WaitForAsync();
        await NavigateAsync("/billing-center/signin");
        await ConsoleBrowser.Input(page, "username").FillAsync(seed.BillingUsername);
        await ConsoleBrowser.Input(page, "password").FillAsync(ConsoleSeed.Password);
        await page.Locator("[data-testid=sign-in]").ClickAsync();
        await page.Locator("[data-testid=billing-center-sign-out]").WaitForAsync();
        await HarvestAsync();
    }

    private async Task OpenAsync(string path, string shown)
    {
        await NavigateAsync(path);
        await page.Locator(shown).First.WaitForAsync();
        await HarvestAsync();
    }

    private async Task DailyChartAsync()
    {
        await page.Locator("[data-testid=granularity]").ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = "Daily" }).ClickAsync();
        await page.Locator("[data-testid=usage-chart]:has-text('per day')").WaitForAsync();
        await HarvestAsync();
    }

    private async Task DailyBillAsync()
    {
        await page.Locator("[data-testid=show-bill]").First.ClickAsync();
        await page.Locator("[data-testid=bill-lines] tbody tr").First.WaitForAsync();
        await HarvestAsync();
    }

    private Task NavigateAsync(string path) => page.EvaluateAsync("path => Blazor.navigateTo(path)", path);

    private async Task HarvestAsync()
    {
        var calls = await page.EvaluateAsync<JsonElement>(Harvest);
        foreach (var call in calls.EnumerateArray())
        {
            var name = call[0].GetString()!;
            if (!Calls.TryGetValue(name, out var durations))
            {
                Calls[name] = durations = [];
            }
            durations.Add(call[1].GetDouble());
        }
    }
}
