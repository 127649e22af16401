using Guance.Billing.Data;
using Guance.Billing.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace Guance.Billing.Notifications;

/// <summary>
/// One address a notice goes to; <see cref="Key"/> makes its dedupe key unique per recipient. The
/// <see cref="Primary"/> one (the first) is the notice's copy that the account's webhooks also get, so that
/// an endpoint receives one event per notice, not one per address.
/// </summary>
public sealed record NoticeRecipient(string Key, string Email, string? UserId, bool Primary = false);

/// <summary>Who is told of a workspace notice (docs/domain.md §9).</summary>
public static class NoticeRecipients
{
    /// <summary>
    /// The paying billing account's address (when given), then the workspace Owner's and its
    /// Administrators' (by user id): each address once, compared case-insensitively, so that an Owner who
    /// registered the billing account with the same address gets one message, not two.
    /// </summary>
    public static async Task<IReadOnlyList<NoticeRecipient>> OfWorkspaceAsync(
        BillingDbContext db, string workspaceId, string? accountEmail, CancellationToken cancellationToken)
    {
        var members = await (from m in db.WorkspaceMembers.AsNoTracking()
                             join u in db.Users.AsNoTracking() on m.UserId equals u.Id
                             where m.WorkspaceId == workspaceId && (m.Role == WorkspaceRole.Owner || m.Role == WorkspaceRole.Administrator)
                             select new { m.UserId, m.Role, u.Email }).ToListAsync(cancellationToken);
        var candidates = new List<NoticeRecipient>();
        if (!string.IsNullOrWhiteSpace(accountEmail))
        {
            candidates.Add(new NoticeRecipient("account", accountEmail, null));
        }
        candidates.AddRange(members.Where(m => m.Role == WorkspaceRole.Owner).Select(m => new NoticeRecipient("owner", m.Email, m.UserId)));
        candidates.AddRange(members.Where(m => m.Role == WorkspaceRole.Administrator).OrderBy(m => m.UserId, StringComparer.Ordinal)
            .Select(m => new NoticeRecipient("admin:" + m.UserId, m.Email, m.UserId)));
        return Distinct(candidates);
    }

    /// <summary>
    /// The billing account's address, then the Owners and Administrators of <paramref name="workspaceIds"/> (by user id):
    /// who is told of an account's notice that concerns the workspaces it pays for, each address once.
    /// </summary>
    public static async Task<IReadOnlyList<NoticeRecipient>> OfWorkspacesAsync(
        BillingDbContext db, IQueryable<string> workspaceIds, string accountEmail, CancellationToken cancellationToken)
    {
        var people = await (from m in db.WorkspaceMembers.AsNoTracking()
                            join u in db.Users.AsNoTracking() on m.UserId equals u.Id
                            where workspaceIds.Contains(m.WorkspaceId) && (m.Role == WorkspaceRole.Owner || m.Role == WorkspaceRole.Administrator)
                            select new { m.UserId, u.Email }).Distinct().ToListAsync(cancellationToken);
        return Distinct(people.OrderBy(p => p.UserId, StringComparer.Ordinal).Select(p => new NoticeRecipient("user:" + p.UserId, p.Email, p.UserId))
            .Prepend(new NoticeRecipient("account", accountEmail, null)));
    }

    /// <summary>The first recipient of each address, compared case-insensitively.</summary>
    public static IReadOnlyList<NoticeRecipient> Distinct(IEnumerable<NoticeRecipient> recipients) =>
        recipients.DistinctBy(r => r.Email.Trim(), StringComparer.OrdinalIgnoreCase).Select((r, i) => r with { Primary = i == 0 }).ToList();
}
