using Guance.Billing.Common;
using Guance.Billing.Data;
using Guance.Billing.Identity;
using Microsoft.EntityFrameworkCore;

namespace Guance.Billing.Workspaces;

/// <summary>A member with the user's e-mail and name.</summary>
public sealed record MemberDetails(WorkspaceMember Member, string Email, string DisplayName);

/// <summary>
/// Members and roles. Owner and Administrator manage members; only the Owner grants, changes or
/// removes an Administrator; the Owner's own role changes only by <see cref="WorkspaceManager.TransferOwnershipAsync"/>.
/// </summary>
public sealed class MemberManager(BillingDbContext db, WorkspaceAccess access, TimeProvider clock)
{
    private const string MemberList = "members";

    public async Task<(IReadOnlyList<MemberDetails> Members, string NextPageToken)> ListAsync(Caller caller, string workspaceId, int pageSize, string? pageToken, CancellationToken cancellationToken)
    {
        var validator = new RequestValidator().PageSize(pageSize);
        await access.AuthorizeAsync(caller, workspaceId, WorkspacePermission.View, cancellationToken, validator);
        var after = Paging.Decode(pageToken, MemberList);
        var size = Paging.Size(pageSize);

        // Filter and order on the entity, then project: EF cannot translate a member of a record built in the query.
        var query = from m in db.WorkspaceMembers.AsNoTracking()
                    join u in db.Users.AsNoTracking() on m.UserId equals u.Id
                    where m.WorkspaceId == workspaceId
                    select new { Member = m, u.Email, u.DisplayName };
        if (after is not null)
        {
            query = query.Where(x => string.Compare(x.Member.UserId, after) > 0);
        }
        var rows = await query.OrderBy(x => x.Member.UserId).Take(size + 1).ToListAsync(cancellationToken);
        var fetched = rows.Select(x => new MemberDetails(x.Member, x.Email, x.DisplayName)).ToList();
        return Paging.Page(fetched, size, MemberList, x => x.Member.UserId);
    }

    public async Task<MemberDetails> AddAsync(Caller caller, string workspaceId, string email, WorkspaceRole role, CancellationToken cancellationToken)
    {
        var validator = new RequestValidator()
            .Email(email?.Trim(), "email")
            .Check(IsAssignable(role), "role", "must be WORKSPACE_ROLE_ADMINISTRATOR, WORKSPACE_ROLE_STANDARD or WORKSPACE_ROLE_READ_ONLY");
        var grant = await access.AuthorizeAsync(caller, workspaceId, PermissionToAssign(role), cancellationToken, validator);
        WorkspaceManager.EnsureActive(grant.Workspace);

        var normalized = ConsoleAccountService.NormalizeEmail(email!);
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Email == normalized, cancellationToken)
            ?? throw Errors.NotFound("user", normalized);
        if (await db.WorkspaceMembers.AnyAsync(m => m.WorkspaceId == workspaceId && m.UserId == user.Id, cancellationToken))
        {
            throw MemberExists(user.Id);
        }
        var member = new WorkspaceMember { WorkspaceId = workspaceId, UserId = user.Id, Role = role, JoinedAt = clock.GetUtcNow() };
        db.WorkspaceMembers.Add(member);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
        {
            throw MemberExists(user.Id);
        }
        return new MemberDetails(member, user.Email, user.DisplayName);
    }

    public async Task<MemberDetails> UpdateRoleAsync(Caller caller, string workspaceId, string userId, WorkspaceRole role, CancellationToken cancellationToken)
    {
        var validator = new RequestValidator()
            .Id(userId, "user_id", "usr")
            .Check(IsAssignable(role), "role", "must be WORKSPACE_ROLE_ADMINISTRATOR, WORKSPACE_ROLE_STANDARD or WORKSPACE_ROLE_READ_ONLY; use TransferOwnership for the Owner");
        var grant = await access.AuthorizeAsync(caller, workspaceId, WorkspacePermission.ManageMembers, cancellationToken, validator);
        WorkspaceManager.EnsureActive(grant.Workspace);

        var member = await FindAsync(workspaceId, userId, cancellationToken);
        if (member.Member.Role == WorkspaceRole.Owner)
        {
            throw Errors.Precondition("OWNER_ROLE_FIXED", $"users/{userId}", "The Owner's role changes only by TransferOwnership.");
        }
        if (role == WorkspaceRole.Administrator || member.Member.Role == WorkspaceRole.Administrator)
        {
            await access.AuthorizeAsync(caller, workspaceId, WorkspacePermission.ManageAdministrators, cancellationToken);
        }
        member.Member.Role = role;
        await db.SaveChangesAsync(cancellationToken);
        return member;
    }

    public async Task RemoveAsync(Caller caller, string workspaceId, string userId, CancellationToken cancellationToken)
    {
        var validator = new RequestValidator().Id(userId, "user_id", "usr");
        var leaving = caller.Kind == CallerKind.User && caller.SubjectId == userId;
        var grant = await access.AuthorizeAsync(caller, workspaceId, leaving ? WorkspacePermission.View : WorkspacePermission.ManageMembers, cancellationToken, validator);
        WorkspaceManager.EnsureActive(grant.Workspace);

        var member = await FindAsync(workspaceId, userId, cancellationToken);
        if (member.Member.Role == WorkspaceRole.Owner)
        {
            throw Errors.Precondition("OWNER_CANNOT_LEAVE", $"users/{userId}", "The Owner cannot be removed; transfer ownership first.");
        }
        if (member.Member.Role == WorkspaceRole.Administrator && !leaving)
        {
            await access.AuthorizeAsync(caller, workspaceId, WorkspacePermission.ManageAdministrators, cancellationToken);
        }
        db.WorkspaceMembers.Remove(member.Member);
        await db.SaveChangesAsync(cancellationToken);
    }

    private async Task<MemberDetails> FindAsync(string workspaceId, string userId, CancellationToken cancellationToken)
    {
        var found = await (from m in db.WorkspaceMembers
                           join u in db.Users on m.UserId equals u.Id
                           where m.WorkspaceId == workspaceId && m.UserId == userId
                           select new { Member = m, u.Email, u.DisplayName }).FirstOrDefaultAsync(cancellationToken)
            ?? throw Errors.NotFound("member", userId);
        return new MemberDetails(found.Member, found.Email, found.DisplayName);
    }

    private static bool IsAssignable(WorkspaceRole role) =>
        role is WorkspaceRole.Administrator or WorkspaceRole.Standard or WorkspaceRole.ReadOnly;

    private static WorkspacePermission PermissionToAssign(WorkspaceRole role) =>
        role == WorkspaceRole.Administrator ? WorkspacePermission.ManageAdministrators : WorkspacePermission.ManageMembers;

    private static BillingException MemberExists(string userId) =>
        Errors.AlreadyExists("MEMBER_EXISTS", "member", userId, "The user is already a member of this workspace.");
}
