using Guance.Billing.BillingAccounts;
using Guance.Billing.Data;
using Microsoft.EntityFrameworkCore;

namespace Guance.Billing.Settlement;

/// <summary>A cloud account cannot be removed while a workspace settles through it.</summary>
public sealed class SettlementCloudAccountGuard(BillingDbContext db) : ICloudAccountGuard
{
    public async Task<IReadOnlyList<string>> WorkspacesSettlingThroughAsync(string cloudAccountId, CancellationToken cancellationToken) =>
        await db.WorkspaceSettlements.AsNoTracking()
            .Where(s => s.CloudAccountId == cloudAccountId && s.Method != SettlementMethod.BillingCenter)
            .OrderBy(s => s.WorkspaceId)
            .Select(s => s.WorkspaceId)
            .ToListAsync(cancellationToken);
}
