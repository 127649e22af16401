using System.Linq.Expressions;
using Guance.Billing.Common;
using Guance.Billing.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query;

namespace Guance.Billing.Settlement;

/// <summary>
/// The one write of a workspace's settlement row after a change of its payer or method: it applies
/// only to the version that was read (and to what else <c>only</c> requires), sets the lock that the
/// new payer's arrears give, clears the lock's notices and moves the version on. A row that changed
/// meanwhile fails the request with CONCURRENT_UPDATE, so that two changes never both win.
/// </summary>
internal static class SettlementUpdate
{
    public static async Task ApplyAsync(
        BillingDbContext db, WorkspaceSettlement read, DateTimeOffset? lockAt, DateTimeOffset now,
        Action<UpdateSettersBuilder<WorkspaceSettlement>>? change, CancellationToken cancellationToken,
        Expression<Func<WorkspaceSettlement, bool>>? only = null)
    {
        var rows = db.WorkspaceSettlements.Where(s => s.WorkspaceId == read.WorkspaceId && s.Version == read.Version);
        if (only is not null)
        {
            rows = rows.Where(only);
        }
        var updated = await rows.ExecuteUpdateAsync(s =>
        {
            change?.Invoke(s);
            s.SetProperty(x => x.LockAt, lockAt)
                .SetProperty(x => x.LockWarningSentAt, (DateTimeOffset?)null)
                .SetProperty(x => x.LockedNoticeSentAt, (DateTimeOffset?)null)
                .SetProperty(x => x.UpdatedAt, now)
                .SetProperty(x => x.Version, x => x.Version + 1);
        }, cancellationToken);
        if (updated == 0)
        {
            throw ConcurrentChange();
        }
    }

    public static BillingException ConcurrentChange() =>
        Errors.Aborted(ErrorReasons.ConcurrentUpdate, "The workspace's settlement changed while this request ran; read it again and retry.");
}
