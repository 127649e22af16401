using Grpc.Core;
using Guance.Billing.Console.Api;
using Guance.Billing.Console.Layout;
using Guance.Billing.V1;
using Microsoft.AspNetCore.Components;

namespace Guance.Billing.Console.Components;

/// <summary>Where a billing page stands before it can show its data.</summary>
public enum GateState
{
    Loading,
    Ready,
    NoAccess,
    NotFound,
    Failed,
}

/// <summary>
/// A page of the workspace's Billing module: loads the workspace fresh from the host, lets in only
/// its Owner and Administrators (docs/domain.md §2), learns the site's time zone and the item names,
/// then loads the page's own data.
/// </summary>
public abstract class BillingPageBase : ComponentBase
{
    private string? _loadedId;

    [Inject] protected ConsoleApi Api { get; set; } = default!;

    [Inject] protected WorkspaceDirectory Directory { get; set; } = default!;

    [Inject] protected BillingCatalog Catalog { get; set; } = default!;

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
            (Gate, GateError) = (error.Code == StatusCode.NotFound ? GateState.NotFound : GateState.Failed, error);
            return;
        }
        Workspace = workspace.Value!;
        if (!WorkspaceRoute.HasBilling(Workspace.CallerRole))
        {
            Gate = GateState.NoAccess;
            return;
        }
        Zone = await Directory.TimeZoneOfAsync(Workspace);
        await Catalog.ItemsAsync();
        var loaded = await LoadAsync();
        (Gate, GateError) = loaded is null ? (GateState.Ready, null) : (GateState.Failed, loaded);
    }

    /// <summary>Loads the page's data; returns the error that keeps the page from showing, or null.</summary>
    protected abstract Task<ConsoleError?> LoadAsync();
}
