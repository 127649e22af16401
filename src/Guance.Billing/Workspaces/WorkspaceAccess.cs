using Guance.Billing.Common;
using Guance.Billing.Data;
using Guance.Billing.Identity;
using Microsoft.EntityFrameworkCore;

namespace Guance.Billing.Workspaces;

/// <summary>A workspace as the caller may see it, with the caller's role (null for the operator).</summary>
public sealed record WorkspaceGrant(Workspace Workspace, WorkspaceRole? Role);

/// <summary>
/// The one gate of every request about a workspace: a non-member gets NOT_FOUND (an id of another
/// tenant tells nothing), a member without the right gets PERMISSION_DENIED, the operator passes
/// except for the Owner's own actions (PERMISSION_DENIED OWNER_REQUIRED).
/// </summary>
public sealed class WorkspaceAccess(BillingDbContext db)
{
    /// <summary>
    /// Authenticates, then validates the request (the workspace id plus whatever
    /// <paramref name="request"/> collected), then authorizes, in that order.
    /// </summary>
    public async Task<WorkspaceGrant> AuthorizeAsync(
        Caller caller, string workspaceId, WorkspacePermission permission, CancellationToken cancellationToken,
        RequestValidator? request = null, bool tracked = false)
    {
        var userId = caller.RequireUserOrOperator();
        (request ?? new RequestValidator()).Id(workspaceId, "workspace_id", "ws").ThrowIfInvalid();

        var workspaces = tracked ? db.Workspaces : db.Workspaces.AsNoTracking();
        if (userId is null)
        {
            if (RolePermissions.IsOwnerAction(permission))
            {
                throw Errors.PermissionDenied(ErrorReasons.OwnerRequired, "Only the workspace Owner may do this; the operator does not act for the Owner.")
                    .With("workspace_id", workspaceId)
                    .With("permission", permission.ToString());
            }
            var any = await workspaces.FirstOrDefaultAsync(w => w.Id == workspaceId, cancellationToken)
                ?? throw Errors.NotFound(ResourceTypes.Workspace, workspaceId);
            return new WorkspaceGrant(any, null);
        }

        var role = await db.WorkspaceMembers.AsNoTracking()
            .Where(m => m.WorkspaceId == workspaceId && m.UserId == userId)
            .Select(m => (WorkspaceRole?)m.Role)
            .FirstOrDefaultAsync(cancellationToken);
        if (role is null)
        {
            throw Errors.NotFound(ResourceTypes.Workspace, workspaceId);
        }
        if (!RolePermissions.Allows(role.Value, permission))
        {
            throw Errors.PermissionDenied(ErrorReasons.RoleNotPermitted, $"The {RoleName(role.Value)} role may not do this in this workspace.")
                .With("workspace_id", workspaceId)
                .With("role", RoleName(role.Value))
                .With("permission", permission.ToString());
        }
        var workspace = await workspaces.FirstAsync(w => w.Id == workspaceId, cancellationToken);
        return new WorkspaceGrant(workspace, role);
    }

    public static string RoleName(WorkspaceRole role) => role switch
    {
        WorkspaceRole.Owner => "Owner",
        WorkspaceRole.Administrator => "Administrator",
        WorkspaceRole.Standard => "Standard",
        WorkspaceRole.ReadOnly => "Read-only",
        _ => role.ToString(),
    };
}
