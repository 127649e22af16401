namespace Guance.Billing.Workspaces;

/// <summary>What a member may do in a workspace; <see cref="RolePermissions"/> says which role may.</summary>
public enum WorkspacePermission
{
    /// <summary>See the workspace and its members.</summary>
    View,

    /// <summary>Rename and describe the workspace.</summary>
    UpdateSettings,

    /// <summary>Add, remove and change Standard and Read-only members.</summary>
    ManageMembers,

    /// <summary>Grant, change or remove the Administrator role.</summary>
    ManageAdministrators,

    /// <summary>Create, list and revoke collector (DataKit) tokens.</summary>
    ManageCollectorTokens,

    /// <summary>See usage, bills and balances.</summary>
    ViewBilling,

    /// <summary>Set high-consumption alerts.</summary>
    SetAlerts,

    /// <summary>Recharge, open the billing center, change settlement method or binding, upgrade.</summary>
    ManageBilling,

    /// <summary>Change retention.</summary>
    ChangeRetention,

    /// <summary>Hand the workspace to another member.</summary>
    TransferOwnership,

    /// <summary>Dissolve the workspace.</summary>
    Dissolve,
}
