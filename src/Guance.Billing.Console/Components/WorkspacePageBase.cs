using Grpc.Core;
using Guance.Billing.Console.Api;
using Guance.Billing.V1;
using Microsoft.AspNetCore.Components;

namespace Guance.Billing.Console.Components;

/// <summary>Where a workspace's page stands before it can show its data.</summary>
public enum GateState
{
    Loading,
    Ready,
    NoAccess,
    NotFound,
    Failed,
}

/// <summary>
/// A page of a workspace: loads the workspace fresh from the host (a person who is not one of its members
/// gets not found), lets in the roles the page is for, learns the site's time zone, then loads the page's own data.
/// </summary>
public abstract class WorkspacePageBase : ComponentBase
{
    private string? _loadedId;

    [Inject] protected ConsoleApi Api { get; set; } = default!;

    [Inject] protected WorkspaceDirectory Directory { get; set; } = default!;

    [Inject] protected NavigationManager Navigation { get; set; } = default!;

    [Parameter] public string WorkspaceId { get; set; } = "";

    protected Workspace Workspace { get; private set; } = new();

    /// <summary>The site's time zone: days, hours and ranges are site-local.</summary>
    protected TimeZoneInfo Zone { get; private set; } = TimeZoneInfo.Utc;

    protected GateState Gate { get; private set; } = GateState.Loading;

    protected ConsoleError? GateError { get; private set; }

    protected bool IsOwner => Workspace.CallerRole == WorkspaceRole.Owner;

    protected override async Task OnParametersSetAsync()
    {
        if (_loadedId == WorkspaceId)
        {
            return;
        }
        _loadedId = WorkspaceId;
        Gate = GateState.Loading;
        var workspace = await Directory.GetAsync(WorkspaceId);
        if (workspace.Error is { } error)
        {
            // An id that is not even of a workspace's shape (a mistyped address) names no workspace either.
            (Gate, GateError) = (error.Code is StatusCode.NotFound or StatusCode.InvalidArgument ? GateState.NotFound : GateState.Failed, error);
            return;
        }
        Workspace = workspace.Value!;
        if (!Admits(Workspace.CallerRole))
        {
            Gate = GateState.NoAccess;
            return;
        }
        Zone = await Directory.TimeZoneOfAsync(Workspace);
        await PrepareAsync();
        var loaded = await LoadAsync();
        (Gate, GateError) = loaded is null ? (GateState.Ready, null) : (GateState.Failed, loaded);
    }

    /// <summary>Reads the workspace and the page's data again, as on first load (after the caller's role changed, for example).</summary>
    protected async Task ReloadAsync()
    {
        _loadedId = null;
        await OnParametersSetAsync();
    }

    /// <summary>Whether a member of <paramref name="role"/> may see the page; every member, unless the page says otherwise.</summary>
    protected virtual bool Admits(WorkspaceRole role) => true;

    /// <summary>Reads what the page's kind needs before its own data.</summary>
    protected virtual Task PrepareAsync() => Task.CompletedTask;

    /// <summary>Loads the page's data; returns the error that keeps the page from showing, or null.</summary>
    protected abstract Task<ConsoleError?> LoadAsync();
}
