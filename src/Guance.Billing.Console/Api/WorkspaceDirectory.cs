using Guance.Billing.V1;

namespace Guance.Billing.Console.Api;

/// <summary>The signed-in user's workspaces and the sites (for their time zones), loaded once and reloaded after a change.</summary>
public sealed class WorkspaceDirectory(ConsoleApi api)
{
    private List<Workspace>? _workspaces;
    private SiteCatalog? _sites;

    public event Action? Changed;

    public async Task<ApiResult<IReadOnlyList<Workspace>>> ListAsync(bool reload = false)
    {
        if (_workspaces is not null && !reload)
        {
            return new(_workspaces, null);
        }
        var all = await ApiPage.AllAsync(async token => ApiPage.Of(
            await api.CallAsync(a => a.Workspaces.ListWorkspacesAsync(new ListWorkspacesRequest { PageSize = 1000, PageToken = token })),
            r => r.Workspaces.Where(w => w.State == WorkspaceState.Active), r => r.NextPageToken));
        if (all.Error is { } error)
        {
            return new(null, error);
        }
        _workspaces = all.Value;
        Changed?.Invoke();
        return new(_workspaces, null);
    }

    /// <summary>One workspace, fresh from the host (its plan and the caller's role may have changed).</summary>
    public async Task<ApiResult<Workspace>> GetAsync(string workspaceId)
    {
        var result = await api.CallAsync(a => a.Workspaces.GetWorkspaceAsync(new GetWorkspaceRequest { WorkspaceId = workspaceId }));
        return new(result.Value?.Workspace, result.Error);
    }

    /// <summary>The sites, read once.</summary>
    public async Task<ApiResult<SiteCatalog>> SitesAsync()
    {
        if (_sites is null)
        {
            var result = await api.CallAsync(a => a.Workspaces.ListSitesAsync(new ListSitesRequest()));
            if (result.Error is { } error)
            {
                return new(null, error);
            }
            _sites = new SiteCatalog(result.Value!.Sites);
        }
        return new(_sites, null);
    }

    /// <summary>The sites, or <see cref="SiteCatalog.Empty"/> when they cannot be read: for pages that show sites beside their own data.</summary>
    public async Task<SiteCatalog> SitesOrEmptyAsync() => (await SitesAsync()).Value ?? SiteCatalog.Empty;

    /// <summary>The time zone of the workspace's site (UTC when the sites are unreadable or the zone unknown): billing days, hours and ranges are site-local (docs/domain.md §2).</summary>
    public async Task<TimeZoneInfo> TimeZoneOfAsync(Workspace workspace) =>
        (await SitesOrEmptyAsync()).ZoneOf(workspace.SiteCode) ?? TimeZoneInfo.Utc;

    public void Forget()
    {
        _workspaces = null;
        Changed?.Invoke();
    }
}
