using Guance.Billing.Data;
using Guance.Billing.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Guance.Billing.Settlement;

/// <summary>Reads a workspace's settlement (binding, method, countdown) and the arrears state of a billing account.</summary>
public sealed class SettlementReader(BillingDbContext db, IOptions<SettlementOptions> options)
{
    public async Task<SettlementView> ViewAsync(Workspace workspace, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var bound = await (from b in db.WorkspaceBindings.AsNoTracking()
                           join a in db.BillingAccounts.AsNoTracking() on b.BillingAccountId equals a.Id
                           where b.WorkspaceId == workspace.Id
                           select new { b.BillingAccountId, a.Username, b.BoundAt }).FirstOrDefaultAsync(cancellationToken);
        var settlement = await db.WorkspaceSettlements.AsNoTracking().FirstOrDefaultAsync(s => s.WorkspaceId == workspace.Id, cancellationToken);
        var arrearsSince = bound is null ? null : await ArrearsSinceAsync(bound.BillingAccountId, cancellationToken);
        var site = workspace.Site;
        var allowed = workspace.Plan == Plan.Commercial
            ? SettlementMethodRules.Allowed(site, workspace.ActivationChannel, settlement?.ArbitrarySelection ?? false)
            : [];
        return new SettlementView(
            workspace, bound?.BillingAccountId, bound?.Username, bound?.BoundAt, settlement, allowed,
            SettlementMethodRules.NextChangeDay(site, settlement?.MethodChangedAt, now),
            settlement is not null && IsLockedIn(settlement),
            settlement?.IsLocked(now) ?? false,
            arrearsSince);
    }

    /// <summary>When the billing account's current arrears began; null without arrears.</summary>
    public async Task<DateTimeOffset?> ArrearsSinceAsync(string billingAccountId, CancellationToken cancellationToken) =>
        await db.Wallets.AsNoTracking().Where(w => w.BillingAccountId == billingAccountId).Select(w => w.ArrearsSince).FirstOrDefaultAsync(cancellationToken);

    /// <summary>
    /// The lock date of a workspace that settles by <paramref name="method"/> through the billing account:
    /// the end of the settlement period of its arrears; null without arrears or on a cloud method.
    /// </summary>
    public async Task<DateTimeOffset?> LockAtAsync(string billingAccountId, SettlementMethod method, CancellationToken cancellationToken) =>
        method == SettlementMethod.BillingCenter && await ArrearsSinceAsync(billingAccountId, cancellationToken) is { } since
            ? since + options.Value.SettlementPeriod
            : null;

    /// <summary>On a cloud account whose subscription is not cancelled, a workspace can move nowhere else.</summary>
    public static bool IsLockedIn(WorkspaceSettlement settlement) =>
        settlement.Method.IsCloud() && settlement.CloudSubscriptionCancelledAt is null;
}
