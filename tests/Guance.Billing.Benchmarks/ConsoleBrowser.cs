using System.Diagnostics;
using Microsoft.Playwright;

namespace Guance.Billing.Benchmarks;

/// <summary>
/// Headless Chromium (Debian's package, as in the browser tests; tests/chromium.sh installs it) driven by
/// Playwright, and a person's first visit to the console timed in it: navigation to the sign-in form,
/// then from the sign-in submit through the workspace list to the Billing overview's figures and to the
/// usage statistics. A new browser context has an empty cache (a fresh profile); a second tab in the same
/// context is the warm visit.
/// </summary>
internal sealed class ConsoleBrowser : IAsyncDisposable
{
    private readonly IPlaywright _playwright;

    private ConsoleBrowser(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        Browser = browser;
    }

    public IBrowser Browser { get; }

    public static async Task<ConsoleBrowser> LaunchAsync()
    {
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath(),
            Headless = true,
            Args = ["--no-sandbox", "--disable-dev-shm-usage"],
        });
        return new ConsoleBrowser(playwright, browser);
    }

    public Task<IBrowserContext> NewContextAsync(Uri console) =>
        Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = console.ToString(), ViewportSize = new() { Width = 1280, Height = 860 } });

    /// <summary>One visit in a new tab of <paramref name="context"/>, signed out (session storage is per tab).</summary>
    public static async Task<Visit> VisitAsync(IBrowserContext context, ConsoleSeed seed)
    {
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(120_000);
        var traffic = await NetworkTally.AttachAsync(context, page);
        var started = Stopwatch.StartNew();
        await page.GotoAsync("", new PageGotoOptions { WaitUntil = WaitUntilState.Commit });
        await Input(page, "email").WaitForAsync();
        var toSignIn = started.Elapsed.TotalMilliseconds;
        var atSignIn = traffic.Snapshot();

        await Input(page, "email").FillAsync(seed.Email);
        await Input(page, "password").FillAsync(ConsoleSeed.Password);
        var submitted = Stopwatch.StartNew();
        await page.Locator("[data-testid=sign-in]").ClickAsync();
        await page.Locator($"a[href$='{seed.WorkspaceId}/billing']:visible").First.ClickAsync();
        await page.Locator("[data-testid=account-name]").WaitForAsync();
        var toOverview = submitted.Elapsed.TotalMilliseconds;
        await page.Locator($"a[href$='{seed.WorkspaceId}/billing/usage']:visible").First.ClickAsync();
        await page.Locator("[data-testid=usage-statistics] tr[data-item]").First.WaitForAsync();
        var toUsage = submitted.Elapsed.TotalMilliseconds;
        // Late network events of the last responses.
        await Task.Delay(500);
        var total = traffic.Snapshot();
        await page.CloseAsync();
        return new Visit(toSignIn, toOverview, toUsage, atSignIn, total);
    }

    public static ILocator Input(IPage page, string testId) => page.Locator($"input[data-testid={testId}], [data-testid={testId}] input").First;

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
    }

    /// <summary>GUANCE_CHROMIUM, else Debian's chromium (the binary itself, not its launcher script), as the browser tests look for it.</summary>
    private static string ChromiumPath()
    {
        var candidates = new[] { Environment.GetEnvironmentVariable("GUANCE_CHROMIUM"), "/usr/lib/chromium/chromium", "/usr/bin/chromium" };
        return candidates.FirstOrDefault(p => !string.IsNullOrEmpty(p) && File.Exists(p))
            ?? throw new InvalidOperationException("Chromium is not installed: bash tests/chromium.sh, or set GUANCE_CHROMIUM.");
    }

    /// <summary>Times in ms from navigation to the sign-in form, and from the sign-in submit to each page with data; the traffic up to the form and in all.</summary>
    public sealed record Visit(double ToSignIn, double ToOverview, double ToUsage, NetworkTally.Figures AtSignIn, NetworkTally.Figures Total);
}
