using Guance.Billing.Data;
using Guance.Billing.Identity;
using Guance.Billing.Wallets;
using Guance.Billing.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace Guance.Billing.Settlement;

/// <summary>A billing action the console offers (values equal the contract's).</summary>
public enum BillingAction
{
    Recharge = 1,
    OpenBillingCenter = 2,
    ChangeSettlementMethod = 3,
    ChangeBinding = 4,
    UpgradeToCommercial = 5,
}

/// <summary>The settlement account overview of a workspace, and what the caller may do about it.</summary>
public sealed record BillingOverview(
    SettlementView Settlement, string? BillingAccountDisplayName, WalletView? Wallet, IReadOnlyList<BillingAction> Actions);

/// <summary>
/// GetBillingOverview for the workspace's billing members: the Owner and Administrators see the bound
/// account's balances and lock state; only the Owner is offered actions (docs/domain.md §2); Standard and
/// Read-only members have no billing module at all (PERMISSION_DENIED).
/// </summary>
public sealed class BillingOverviewService(BillingDbContext db, WorkspaceAccess access, SettlementReader reader, WalletLedger wallets, TimeProvider clock)
{
    public async Task<BillingOverview> GetAsync(Caller caller, string workspaceId, CancellationToken cancellationToken)
    {
        var grant = await access.AuthorizeAsync(caller, workspaceId, WorkspacePermission.ViewBilling, cancellationToken);
        var now = clock.GetUtcNow();
        var settlement = await reader.ViewAsync(grant.Workspace, now, cancellationToken);
        WalletView? wallet = null;
        string? displayName = null;
        if (settlement.BillingAccountId is { } accountId)
        {
            wallet = await wallets.ViewAsync(accountId, cancellationToken);
            displayName = await db.BillingAccounts.AsNoTracking().Where(a => a.Id == accountId).Select(a => a.DisplayName).FirstAsync(cancellationToken);
        }
        return new BillingOverview(settlement, displayName, wallet, ActionsOf(grant, settlement));
    }

    private static IReadOnlyList<BillingAction> ActionsOf(WorkspaceGrant grant, SettlementView settlement)
    {
        if (grant.Role is not { } role || !RolePermissions.Allows(role, WorkspacePermission.ManageBilling) || grant.Workspace.State != WorkspaceState.Active)
        {
            return [];
        }
        return grant.Workspace.Plan == Plan.Commercial && settlement.BillingAccountId is not null
            ? [BillingAction.Recharge, BillingAction.OpenBillingCenter, BillingAction.ChangeSettlementMethod, BillingAction.ChangeBinding]
            : [BillingAction.UpgradeToCommercial];
    }
}
