using Bunit;
using Guance.Billing.Console;
using Guance.Billing.Console.Api;
using Guance.Billing.Console.Components;
using Guance.Billing.Console.Session;
using Guance.Billing.V1;
using Microsoft.Extensions.DependencyInjection;

namespace Guance.Billing.BrowserTests.Components;

/// <summary>Session storage in memory.</summary>
public sealed class MemorySessionStore : ISessionStore
{
    public Dictionary<string, string> Items { get; } = new();

    public ValueTask<string?> GetAsync(string key) => ValueTask.FromResult(Items.GetValueOrDefault(key));

    public ValueTask SetAsync(string key, string value)
    {
        Items[key] = value;
        return ValueTask.CompletedTask;
    }

    public ValueTask RemoveAsync(string key)
    {
        Items.Remove(key);
        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// A bUnit context with the console's own services, a <see cref="FakeHost"/> behind them and a
/// signed-in user; MudBlazor's JavaScript calls are answered loosely (no browser here).
/// </summary>
public abstract class ConsoleContext : BunitContext, IAsyncLifetime
{
    public const string WorkspaceId = "ws_test";
    public const string Token = "gcu_test_token";
    public const string BillingAccountId = "ba_test";
    public const string BillingCenterToken = "gcb_test_token";

    protected ConsoleContext()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddConsoleState();
        Services.AddSingleton<ConsoleConnection>(Host);
        Services.AddSingleton<ISessionStore>(Store);
        Host.On<ListBillingItemsRequest, ListBillingItemsResponse>("UsageService/ListBillingItems", _ => new ListBillingItemsResponse
        {
            BillingItems =
            {
                new BillingItemInfo { Item = BillingItem.TimeSeries, DisplayName = "Time series", Enabled = true, DailyAggregation = DailyAggregation.Max },
                new BillingItemInfo { Item = BillingItem.Logs, DisplayName = "Logs", Enabled = true, DailyAggregation = DailyAggregation.Sum },
            },
        });
        Host.On<ListSitesRequest, ListSitesResponse>("WorkspaceService/ListSites", _ => new ListSitesResponse
        {
            Sites = { new Site { Code = "cn1", DisplayName = "China 1 (Hangzhou)", TimeZone = "Asia/Shanghai" } },
        });
    }

    protected FakeHost Host { get; } = new();

    public Task InitializeAsync() => Task.CompletedTask;

    // MudBlazor's services are only asynchronously disposable; xunit 2 would call Dispose().
    async Task IAsyncLifetime.DisposeAsync() => await DisposeAsync();

    protected MemorySessionStore Store { get; } = new();

    protected ConsoleSession Session => Services.GetRequiredService<ConsoleSession>();

    protected async Task SignInAsync() =>
        await Session.SignInAsync(new SignedInUser(Token, "tok_1", "usr_1", "ann@example.com", "Ann"));

    protected BillingCenterSession BillingCenter => Services.GetRequiredService<BillingCenterSession>();

    /// <summary>Signs the tab in to the billing center as account <see cref="BillingAccountId"/> ("acme").</summary>
    protected async Task SignInBillingCenterAsync() =>
        await BillingCenter.SignInAsync(new SignedInBillingAccount(BillingCenterToken, "bs_1", BillingAccountId, "acme", "Acme Ltd"));

    /// <summary>The browser's side of <see cref="BrowserDownload"/>: the saveFile calls of its module, recorded.</summary>
    protected BunitJSModuleInterop Downloads()
    {
        var module = JSInterop.SetupModule(BrowserDownload.ModulePath);
        module.SetupVoid("saveFile", _ => true).SetVoidResult();
        return module;
    }

    /// <summary>The one file handed to the browser: its name, type and content as text.</summary>
    protected static (string FileName, string ContentType, string Text) SavedFile(BunitJSModuleInterop downloads)
    {
        var saved = Assert.Single(downloads.Invocations["saveFile"]).Arguments;
        return ((string)saved[0]!, (string)saved[1]!, System.Text.Encoding.UTF8.GetString((byte[])saved[2]!));
    }

    /// <summary>The workspace as GetWorkspace answers it to a caller of <paramref name="role"/>.</summary>
    protected void Workspace(WorkspaceRole role, Plan plan = Plan.Experience) =>
        Host.On<GetWorkspaceRequest, GetWorkspaceResponse>("WorkspaceService/GetWorkspace", _ => new GetWorkspaceResponse
        {
            Workspace = new Workspace { WorkspaceId = WorkspaceId, Name = "Production", SiteCode = "cn1", CallerRole = role, Plan = plan, State = WorkspaceState.Active },
        }).On<ListWorkspacesRequest, ListWorkspacesResponse>("WorkspaceService/ListWorkspaces", _ => new ListWorkspacesResponse
        {
            Workspaces = { new Workspace { WorkspaceId = WorkspaceId, Name = "Production", SiteCode = "cn1", CallerRole = role, Plan = plan, State = WorkspaceState.Active } },
        });
}
