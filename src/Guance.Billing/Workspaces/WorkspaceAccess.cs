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
    /// <paramref name="request"/> collected), then authorizes, in that order. With <paramref name="tracked"/> the
    /// workspace is attached to the context, for a caller that changes and saves it.
    /// </summary>
    public async Task<WorkspaceGrant> AuthorizeAsync(
        Caller caller, string workspaceId, WorkspacePermission permission, CancellationToken cancellationToken,
        RequestValidator? request = null, bool tracked = false)
    {
        if (RolePermissions.IsOwnerAction(permission) && caller.Kind is CallerKind.Collector or CallerKind.BillingAccount)
        {
            throw Errors.PermissionDenied(ErrorReasons.ConsoleUserRequired, "Only the workspace Owner may do this: call with the Owner's console user token.");
        }
        var userId = caller.RequireUserOrOperator();
        (request ?? new RequestValidator()).Id(workspaceId, "workspace_id", "ws").ThrowIfInvalid();

        if (userId is null)
        {
            if (RolePermissions.IsOwnerAction(permission))
            {
                throw Errors.PermissionDenied(ErrorReasons.OwnerRequired, "Only the workspace Owner may do this; the operator does not act for the Owner.")
                    .With("workspace_id", workspaceId)
                    .With("permission", permission.ToString());
            }
            var any = await Workspace.For(db)(db, workspaceId, cancellationToken)
                ?? throw Errors.NotFound(ResourceTypes.Workspace, workspaceId);
            return Grant(any, null, tracked);
        }

        // The workspace and the caller's membership in one round trip, read afresh at every call: a removed
        // member or a changed role counts from the next call on, on every host.
        var membership = await Membership.For(db)(db, workspaceId, userId, cancellationToken);
        if (membership?.Role is not { } role)
        {
            throw Errors.NotFound(ResourceTypes.Workspace, workspaceId);
        }
        if (!RolePermissions.Allows(role, permission))
        {
            var allowed = string.Join(" or ", RolePermissions.RolesAllowing(permission).Select(RoleName));
            var who = RolePermissions.IsOwnerAction(permission) ? "only the Owner may" : $"it takes the {allowed} role";
            throw Errors.PermissionDenied(ErrorReasons.RoleNotPermitted, $"The {RoleName(role)} role may not do this in this workspace: {who}.")
                .With("workspace_id", workspaceId)
                .With("role", RoleName(role))
                .With("required_role", allowed)
                .With("permission", permission.ToString());
        }
        return Grant(membership.Workspace, role, tracked);
    }

    private WorkspaceGrant Grant(Workspace workspace, WorkspaceRole? role, bool tracked)
    {
        if (tracked)
        {
            db.Workspaces.Attach(workspace);
        }
        return new WorkspaceGrant(workspace, role);
    }

    /// <summary>A workspace and the role of one user in it (null when not a member).</summary>
    private sealed record WorkspaceMembership(Workspace Workspace, WorkspaceRole? Role);

    // Compiled once: the gate runs on every workspace call, and LINQ's per-call translation lookup was a
    // visible part of a dashboard read's cost (docs/performance.md, "Dashboard reads"). Untracked only: a
    // caller that saves the workspace has it attached (Grant), so one compiled copy of each query serves both.
    private static readonly ModelQuery<Func<BillingDbContext, string, CancellationToken, Task<Workspace?>>> Workspace =
        new(() => EF.CompileAsyncQuery((BillingDbContext db, string id, CancellationToken _) => db.Workspaces.AsNoTracking().FirstOrDefault(w => w.Id == id)));

    private static readonly ModelQuery<Func<BillingDbContext, string, string, CancellationToken, Task<WorkspaceMembership?>>> Membership =
        new(() => EF.CompileAsyncQuery((BillingDbContext db, string id, string userId, CancellationToken _) => db.Workspaces.AsNoTracking()
            .Where(w => w.Id == id)
            .Select(w => new WorkspaceMembership(w, db.WorkspaceMembers.Where(m => m.WorkspaceId == w.Id && m.UserId == userId).Select(m => (WorkspaceRole?)m.Role).FirstOrDefault()))
            .FirstOrDefault()));

    public static string RoleName(WorkspaceRole role) => role switch
    {
        WorkspaceRole.Owner => "Owner",
        WorkspaceRole.Administrator => "Administrator",
        WorkspaceRole.Standard => "Standard",
        WorkspaceRole.ReadOnly => "Read-only",
        _ => role.ToString(),
    };
}
