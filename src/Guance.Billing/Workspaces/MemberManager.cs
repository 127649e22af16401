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
public sealed class MemberManager(BillingDbContext db, WorkspaceAccess access, GuessThrottler throttler, TimeProvider clock)
{
    private const string MemberList = "members";

    public async Task<(IReadOnlyList<MemberDetails> Members, string NextPageToken)> ListAsync(Caller caller, string workspaceId, int pageSize, string? pageToken, CancellationToken cancellationToken)
    {
        var list = $"{MemberList}:{workspaceId}";
        var validator = new RequestValidator().PageSize(pageSize).PageToken(pageToken, list, out var after);
        (DateTimeOffset JoinedAt, string UserId) last = default;
        validator.Check(after is null || TryParseKey(after, out last), "page_token", Paging.InvalidTokenDescription);
        await access.AuthorizeAsync(caller, workspaceId, WorkspacePermission.View, cancellationToken, validator);
        var size = Paging.Size(pageSize);

        // In the order they joined (user id breaks ties), as the contract says.
        var query = from m in db.WorkspaceMembers.AsNoTracking()
                    join u in db.Users.AsNoTracking() on m.UserId equals u.Id
                    where m.WorkspaceId == workspaceId
                    select new { Member = m, u.Email, u.DisplayName };
        if (after is not null)
        {
            query = query.Where(x => x.Member.JoinedAt > last.JoinedAt
                || (x.Member.JoinedAt == last.JoinedAt && string.Compare(x.Member.UserId, last.UserId) > 0));
        }
        var fetched = await query.OrderBy(x => x.Member.JoinedAt).ThenBy(x => x.Member.UserId).Take(size + 1).ToListAsync(cancellationToken);
        var details = fetched.Select(x => new MemberDetails(x.Member, x.Email, x.DisplayName)).ToList();
        return Paging.Page(details, size, list, x => Key(x.Member));
    }

    public async Task<MemberDetails> AddAsync(Caller caller, string workspaceId, string email, WorkspaceRole role, CancellationToken cancellationToken)
    {
        var validator = new RequestValidator()
            .Email(email?.Trim(), "email")
            .Check(IsAssignable(role), "role", "must be WORKSPACE_ROLE_ADMINISTRATOR, WORKSPACE_ROLE_STANDARD or WORKSPACE_ROLE_READ_ONLY");
        var grant = await access.AuthorizeAsync(caller, workspaceId, PermissionToAssign(role), cancellationToken, validator);
        WorkspaceManager.EnsureActive(grant.Workspace);

        // NOT_FOUND tells whether an e-mail address has a console account: such lookups count against the caller's address.
        var normalized = ConsoleAccountService.NormalizeEmail(email!);
        var lookup = await throttler.CheckLookupAsync(caller.ClientAddress, ErrorReasons.GuessesThrottled, cancellationToken);
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Email == normalized, cancellationToken);
        if (user is null)
        {
            await throttler.RecordFailureAsync(lookup, cancellationToken);
            var echoed = Errors.Echo(normalized);
            throw new BillingException(ErrorKind.NotFound, ErrorReasons.UserNotFound,
                $"No console account has the e-mail address {echoed}; ask them to sign up first, then add them.")
            {
                Resource = new ResourceRef(ResourceTypes.User, echoed),
            }.With("email", echoed);
        }
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
        var grant = await access.AuthorizeAsync(caller, workspaceId, WorkspacePermission.ManageMembers, cancellationToken, validator, tracked: true);
        WorkspaceManager.EnsureActive(grant.Workspace);

        var member = await FindAsync(workspaceId, userId, cancellationToken);
        if (member.Member.Role == WorkspaceRole.Owner)
        {
            throw Errors.Precondition(ErrorReasons.OwnerRoleFixed, $"users/{userId}", "The Owner's role changes only by TransferOwnership.");
        }
        if (role == WorkspaceRole.Administrator || member.Member.Role == WorkspaceRole.Administrator)
        {
            await access.AuthorizeAsync(caller, workspaceId, WorkspacePermission.ManageAdministrators, cancellationToken);
        }
        member.Member.Role = role;
        // The workspace's version guards the roles too: a concurrent TransferOwnership makes this fail, not demote the new Owner.
        grant.Workspace.Version++;
        await db.SaveChangesAsync(cancellationToken);
        return member;
    }

    public async Task RemoveAsync(Caller caller, string workspaceId, string userId, CancellationToken cancellationToken)
    {
        var validator = new RequestValidator().Id(userId, "user_id", "usr");
        var leaving = caller.Kind == CallerKind.User && caller.SubjectId == userId;
        var grant = await access.AuthorizeAsync(caller, workspaceId, leaving ? WorkspacePermission.View : WorkspacePermission.ManageMembers, cancellationToken, validator, tracked: true);
        WorkspaceManager.EnsureActive(grant.Workspace);

        var member = await FindAsync(workspaceId, userId, cancellationToken);
        if (member.Member.Role == WorkspaceRole.Owner)
        {
            throw Errors.Precondition(ErrorReasons.OwnerCannotLeave, $"users/{userId}", "The Owner cannot be removed; transfer ownership first.");
        }
        if (member.Member.Role == WorkspaceRole.Administrator && !leaving)
        {
            await access.AuthorizeAsync(caller, workspaceId, WorkspacePermission.ManageAdministrators, cancellationToken);
        }
        db.WorkspaceMembers.Remove(member.Member);
        grant.Workspace.Version++;
        await db.SaveChangesAsync(cancellationToken);
    }

    private async Task<MemberDetails> FindAsync(string workspaceId, string userId, CancellationToken cancellationToken)
    {
        var found = await (from m in db.WorkspaceMembers
                           join u in db.Users on m.UserId equals u.Id
                           where m.WorkspaceId == workspaceId && m.UserId == userId
                           select new { Member = m, u.Email, u.DisplayName }).FirstOrDefaultAsync(cancellationToken)
            ?? throw Errors.NotFound(ResourceTypes.Member, userId);
        return new MemberDetails(found.Member, found.Email, found.DisplayName);
    }

    /// <summary>The keyset position of a member in join order: Unix microseconds of joining, then the user id.</summary>
    private static string Key(WorkspaceMember member) =>
        $"{(member.JoinedAt - DateTimeOffset.UnixEpoch).Ticks / 10}/{member.UserId}";

    private static bool TryParseKey(string key, out (DateTimeOffset JoinedAt, string UserId) position)
    {
        position = default;
        var slash = key.IndexOf('/');
        if (slash <= 0 || !long.TryParse(key.AsSpan(0, slash), out var micros) || micros < 0 || micros > 253_402_300_799_999_999L)
        {
            return false;
        }
        position = (DateTimeOffset.UnixEpoch.AddTicks(micros * 10), key[(slash + 1)..]);
        return true;
    }

    private static bool IsAssignable(WorkspaceRole role) =>
        role is WorkspaceRole.Administrator or WorkspaceRole.Standard or WorkspaceRole.ReadOnly;

    private static WorkspacePermission PermissionToAssign(WorkspaceRole role) =>
        role == WorkspaceRole.Administrator ? WorkspacePermission.ManageAdministrators : WorkspacePermission.ManageMembers;

    private static BillingException MemberExists(string userId) =>
        Errors.AlreadyExists(ErrorReasons.MemberExists, ResourceTypes.Member, userId, "The user is already a member of this workspace.");
}
