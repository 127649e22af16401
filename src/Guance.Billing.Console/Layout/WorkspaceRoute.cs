using Guance.Billing.V1;
using Microsoft.AspNetCore.Components;

namespace Guance.Billing.Console.Layout;

/// <summary>The console's addresses: the workspace is in the path, never a token.</summary>
public static class WorkspaceRoute
{
    /// <summary>The workspace id of the current address (<c>/workspaces/{id}/...</c>); null elsewhere.</summary>
    public static string? CurrentId(NavigationManager navigation)
    {
        var path = navigation.ToBaseRelativePath(navigation.Uri).Split('?', '#')[0].Split('/');
        return path.Length >= 2 && path[0] == "workspaces" && path[1] != "new" ? Uri.UnescapeDataString(path[1]) : null;
    }

    /// <summary>Whether the role has the Billing module (docs/domain.md §2: Owner and Administrator; Standard and Read-only have none).</summary>
    public static bool HasBilling(WorkspaceRole role) => role is WorkspaceRole.Owner or WorkspaceRole.Administrator;

    /// <summary>Whether the role manages the workspace's members and collector tokens (Owner and Administrator).</summary>
    public static bool Manages(WorkspaceRole role) => role is WorkspaceRole.Owner or WorkspaceRole.Administrator;

    public static string Home(string workspaceId) => $"workspaces/{Uri.EscapeDataString(workspaceId)}";

    /// <summary>The workspace's tickets, which every member sees (docs/domain.md §8); a ticket's page is under it.</summary>
    public static string Tickets(string workspaceId) => $"workspaces/{Uri.EscapeDataString(workspaceId)}/tickets";

    /// <summary>The workspace's members, which every member sees; the Owner and Administrators manage them.</summary>
    public static string Members(string workspaceId) => $"workspaces/{Uri.EscapeDataString(workspaceId)}/members";

    /// <summary>The workspace's collector tokens, which the Owner and Administrators manage.</summary>
    public static string CollectorTokens(string workspaceId) => $"workspaces/{Uri.EscapeDataString(workspaceId)}/collectors";

    public static string Billing(string workspaceId, string page = "") =>
        $"workspaces/{Uri.EscapeDataString(workspaceId)}/billing" + (page.Length > 0 ? "/" + page : "");
}
