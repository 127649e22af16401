using Guance.Billing.IntegrationTests.Infrastructure;
using Microsoft.Playwright;

namespace Guance.Billing.BrowserTests.EndToEnd;

/// <summary>
/// One person's tab on the console: the locators the tests need, and screenshots of each page under
/// tests/Guance.Billing.BrowserTests/TestResults/screenshots/&lt;test&gt;/. Console errors of the page
/// (a CSP violation among them) are kept for assertions.
/// </summary>
public sealed class ConsolePage(IBrowserContext context, IPage page, string testName) : IAsyncDisposable
{
    private int _shots;

    public IPage Page => page;

    public IBrowserContext Context => context;

    public List<string> Errors { get; } = Listen(page);

    public static string ScreenshotDirectory => Path.Combine(Repository.Root, "tests", "Guance.Billing.BrowserTests", "TestResults", "screenshots");

    /// <summary>The input of the field marked data-testid=<paramref name="testId"/> (MudBlazor puts the mark on the input or around it).</summary>
    public ILocator Input(string testId) => page.Locator($"input[data-testid={testId}], [data-testid={testId}] input").First;

    public ILocator ByTestId(string testId) => page.Locator($"[data-testid={testId}]");

    /// <summary>Saves the whole page, or only what the window shows (<paramref name="fullPage"/> false: a phone's screen as its user sees it).</summary>
    public async Task ScreenshotAsync(string name, bool fullPage = true)
    {
        var folder = Path.Combine(ScreenshotDirectory, testName);
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, $"{++_shots:D2}-{name}.png"), FullPage = fullPage });
    }

    public async Task SignInAsync(string email, string password)
    {
        await page.GotoAsync("signin");
        await Input("email").FillAsync(email);
        await Input("password").FillAsync(password);
        await page.Locator("[data-testid=sign-in]").ClickAsync();
        await page.Locator("[data-testid=sign-out]").WaitForAsync();
    }

    /// <summary>
    /// Signs in to the billing center as <paramref name="username"/>: at its sign-in page, or, given another billing-center
    /// page, after that page sent the tab there, which leads back to it.
    /// </summary>
    public async Task SignInToBillingCenterAsync(string username, string password, string path = "billing-center/signin")
    {
        await page.GotoAsync(path);
        if (path != "billing-center/signin")
        {
            await page.WaitForURLAsync("**/billing-center/signin?return=*");
        }
        await Input("username").FillAsync(username);
        await Input("password").FillAsync(password);
        await page.Locator("[data-testid=sign-in]").ClickAsync();
        await page.Locator("[data-testid=billing-center-sign-out]").WaitForAsync();
    }

    public async ValueTask DisposeAsync() => await context.DisposeAsync();

    private static List<string> Listen(IPage page)
    {
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                lock (errors)
                {
                    errors.Add(message.Text);
                }
            }
        };
        page.PageError += (_, error) =>
        {
            lock (errors)
            {
                errors.Add(error);
            }
        };
        return errors;
    }
}
