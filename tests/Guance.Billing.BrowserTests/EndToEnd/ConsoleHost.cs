using Grpc.Core;
using Guance.Billing.IntegrationTests.Infrastructure;
using Guance.Billing.V1;
using Microsoft.Playwright;

namespace Guance.Billing.BrowserTests.EndToEnd;

/// <summary>
/// The built host as a process with its browser endpoint on, on a simulated clock, and one headless
/// Chromium (Debian's package; tests/run-all.sh installs it) driven by Playwright, shared by the
/// end-to-end tests of the "Console end to end" collection.
/// </summary>
public sealed class ConsoleHost : IAsyncLifetime
{
    public const string Password = "correct horse battery";

    /// <summary>How long a step waits for the page (an element, a navigation, an expectation) before it fails.</summary>
    private const float WaitMilliseconds = 60_000;

    /// <summary>09:30 in China: a day with room before its midnight.</summary>
    public static readonly DateTimeOffset Start = new(2026, 11, 2, 1, 30, 0, TimeSpan.Zero);

    private IPlaywright? _playwright;

    public HostProcess Host { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>The browser endpoint, for example http://127.0.0.1:41235/.</summary>
    public Uri ConsoleAddress { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Host = await HostProcess.StartAsync(new HostProcessOptions
        {
            Settings =
            {
                ["Guance:Console:Url"] = "http://127.0.0.1:0",
                ["Guance:Security:PasswordHashIterations"] = "1000",
                ["Guance:Clock:Mode"] = "Simulated",
                ["Guance:Clock:Start"] = Start.ToString("O"),
            },
        });
        ConsoleAddress = Host.ListeningAddresses.Single(a => a != Host.Address);
        // A page load boots the WebAssembly runtime: on a busy 2-core machine that takes seconds, and the test
        // command runs the browser tests beside the other test projects (a sign-in once took over 30 s there).
        Assertions.SetDefaultExpectTimeout(WaitMilliseconds);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath(),
            Headless = true,
            // Root in CI: Chromium's sandbox needs user namespaces that containers often lack.
            Args = ["--no-sandbox", "--disable-dev-shm-usage"],
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }
        _playwright?.Dispose();
        if (Host is not null)
        {
            await Host.DisposeAsync();
        }
    }

    /// <summary>A fresh browser context (its own session storage) with a page on the console, a laptop's screen unless told.</summary>
    public async Task<ConsolePage> OpenAsync(string testName, int width = 1280, int height = 860)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = ConsoleAddress.ToString(), ViewportSize = new() { Width = width, Height = height } });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(WaitMilliseconds);
        return new ConsolePage(context, page, testName);
    }

    /// <summary>The host's time now (its simulated clock).</summary>
    public async Task<DateTimeOffset> NowAsync() =>
        (await Host.Operator.Settlement.GetClockAsync(new GetClockRequest())).Now.ToDateTimeOffset();

    public async Task AdvanceToAsync(DateTimeOffset target) =>
        await Host.Operator.Settlement.AdvanceClockAsync(new AdvanceClockRequest { TargetTime = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(target) });

    /// <summary>A console account made through the API; returns its e-mail and a token.</summary>
    public async Task<(string Email, string Token)> SignUpAsync(string name)
    {
        var email = $"{name}.{Guid.NewGuid():N}@example.com";
        var signUp = await Host.Api().Identity.SignUpAsync(new SignUpRequest { Email = email, Password = Password, DisplayName = name });
        return (email, signUp.Token);
    }

    /// <summary>A workspace of a new Owner with a member of <paramref name="role"/>; returns the workspace id and the member's e-mail.</summary>
    public async Task<(string WorkspaceId, string MemberEmail)> WorkspaceWithMemberAsync(WorkspaceRole role)
    {
        var (_, ownerToken) = await SignUpAsync("owner");
        var workspace = (await Host.Api(ownerToken).Workspaces.CreateWorkspaceAsync(new CreateWorkspaceRequest
        {
            Name = "Production", SiteCode = "cn1", ActivationChannel = ActivationChannel.OfficialWebsite,
        })).Workspace;
        var (memberEmail, _) = await SignUpAsync(role.ToString().ToLowerInvariant());
        await Host.Api(ownerToken).Workspaces.AddMemberAsync(new AddMemberRequest { WorkspaceId = workspace.WorkspaceId, Email = memberEmail, Role = role });
        return (workspace.WorkspaceId, memberEmail);
    }

    /// <summary>Whether the host still accepts <paramref name="token"/>.</summary>
    public async Task<bool> AcceptsAsync(string token)
    {
        try
        {
            await Host.Api(token).Identity.GetCurrentUserAsync(new GetCurrentUserRequest());
            return true;
        }
        catch (RpcException error) when (error.StatusCode == StatusCode.Unauthenticated)
        {
            return false;
        }
    }

    /// <summary>GUANCE_CHROMIUM, else Debian's chromium (the binary itself, not its launcher script).</summary>
    private static string ChromiumPath()
    {
        var candidates = new[] { Environment.GetEnvironmentVariable("GUANCE_CHROMIUM"), "/usr/lib/chromium/chromium", "/usr/bin/chromium" };
        return candidates.FirstOrDefault(p => !string.IsNullOrEmpty(p) && File.Exists(p))
            ?? throw new InvalidOperationException("Chromium is not installed: apt-get install -y chromium (tests/run-all.sh does), or set GUANCE_CHROMIUM.");
    }
}

[CollectionDefinition(Name)]
public sealed class ConsoleEndToEnd : ICollectionFixture<ConsoleHost>
{
    public const string Name = "Console end to end";
}
