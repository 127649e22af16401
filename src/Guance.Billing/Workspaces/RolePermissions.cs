namespace Guance.Billing.Workspaces;

/// <summary>
/// The role table of docs/domain.md §2, in one place: every RPC about a workspace asks it, none decides
/// by hand. Standard and Read-only have no billing at all.
/// </summary>
public static class RolePermissions
{
    private static readonly Dictionary<WorkspaceRole, HashSet<WorkspacePermission>> Table = new()
    {
        [WorkspaceRole.Owner] = [.. Enum.GetValues<WorkspacePermission>()],
        [WorkspaceRole.Administrator] =
        [
            WorkspacePermission.View,
            WorkspacePermission.UpdateSettings,
            WorkspacePermission.ManageMembers,
            WorkspacePermission.ManageCollectorTokens,
            WorkspacePermission.ViewBilling,
            WorkspacePermission.SetAlerts,
        ],
        [WorkspaceRole.Standard] = [WorkspacePermission.View],
        [WorkspaceRole.ReadOnly] = [WorkspacePermission.View],
    };

    /// <summary>
    /// The Owner's own actions (upgrade, binding, settlement method, retention, transfer, dissolution):
    /// not even the operator takes them for a customer, since the rules name no one but the Owner.
    /// </summary>
    private static readonly HashSet<WorkspacePermission> OwnerActions =
    [
        WorkspacePermission.ManageBilling,
        WorkspacePermission.ChangeRetention,
        WorkspacePermission.TransferOwnership,
        WorkspacePermission.Dissolve,
    ];

    public static bool Allows(WorkspaceRole role, WorkspacePermission permission) => Table[role].Contains(permission);

    public static bool IsOwnerAction(WorkspacePermission permission) => OwnerActions.Contains(permission);

    /// <summary>The roles that may, strongest first (the Owner may do everything).</summary>
    public static IEnumerable<WorkspaceRole> RolesAllowing(WorkspacePermission permission) =>
        Table.Where(r => r.Value.Contains(permission)).Select(r => r.Key).Order();
}
